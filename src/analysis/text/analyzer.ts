// OCR with tesseract.js, fully offline (language data and WASM core from node_modules), then the
// sensitive-text recognizers on the words and their boxes, then the scene signals.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { createWorker, OEM, PSM } from 'tesseract.js';
import type { Block, Worker } from 'tesseract.js';
import type { AnalyzerContext, ClosableAnalyzer, Finding, RawImage, Region } from '../../types.ts';
import { toMrzLine } from './recognizers/mrz.ts';
import { findSceneSignals } from './scene.ts';
import { findDocuments } from './documents/find-documents.ts';
import { STRONG_KINDS, toOcrPage, toTextFindings } from './page.ts';
import type { OcrLine, OcrPage, OcrWord } from './page.ts';
import { clahe } from './clahe.ts';
import { BASE_SIDE } from '../image/decode.ts';
import { intersectionArea, unionRegions } from '../image/regions.ts';
import { timed as timeStage, withTimeout } from '../../timing.ts';

const require = createRequire(import.meta.url);

export interface TextAnalyzerOptions {
  /** Folder holding `<lang>.traineddata.gz` for every language (default: tessdata/, links to the npm data packages). */
  langPath?: string;
  /** Tesseract languages, all in `langPath` (default `DEFAULT_OCR_LANGS`: English). */
  langs?: string[];
  /** OCR workers kept for the process (default 1). */
  workers?: number;
  /** Deadline reported to the pipeline (default 20 s). */
  timeoutMs?: number;
  /**
   * Longest side of the grayscale copy given to OCR (default BASE_SIDE, 2048: the copy decoded up
   * front, so OCR's copy is a colour conversion, ≈ 23 ms, not a resize, ≈ 55 ms).
   */
  maxSide?: number;
  /** Milliseconds allowed for creating one worker (default 30 s). */
  createTimeoutMs?: number;
  /** Try 90°/270° rotations when a first pass finds little text (default true). */
  rotationRetry?: boolean;
  /** Re-read weak lines one by one (default true). */
  rereadLines?: boolean;
  /**
   * Timing of each pass ('raw', 'ocr' — itself 'ocr.prep', 'ocr.layout' and, when needed,
   * 'ocr.block' or, for small text read at twice the size, 'ocr.block.doubled' — 'rotation',
   * 'reread', 'mrz', 'recognize'), for benchmarks and tests.
   */
  onStage?: (stage: string, ms: number) => void;
  /** The reading the recognizers get, for tests and the evaluation (never logged). */
  onPage?: (page: OcrPage) => void;
}

/** The `4.0.0_best_int` folder of a `@tesseract.js-data/<lang>` package. */
export function toLangDir(lang: string): string {
  const pkg = require.resolve(`@tesseract.js-data/${lang}/package.json`);
  return path.join(path.dirname(pkg), '4.0.0_best_int');
}

/**
 * The folder of links to every shipped language (tessdata/ at the project root): tesseract.js reads
 * all languages from ONE folder, and the npm packages ship one folder each.
 */
const SHARED_LANG_DIR = fileURLToPath(new URL('../../../tessdata/', import.meta.url));

/**
 * English alone by default. Adding French reads accents (measured: "à Besançon", "l'Église" where
 * English alone reads "a Besancon", "I'Eglise") but costs about 40% more time and, on the French bank
 * details fixture, lost the IBAN line of the table entirely; French labels are matched
 * accent-insensitively by the recognizers either way. `OCR_LANGS=fra+eng` turns it on.
 */
export const DEFAULT_OCR_LANGS: readonly string[] = ['eng'];

async function checkLangFile(dir: string, lang: string): Promise<string | undefined> {
  const data = await readFile(path.join(dir, `${lang}.traineddata.gz`)).catch(() => undefined);
  if (!data) return `OCR language data for "${lang}" is missing`;
  // A gzip header and a plausible size: a truncated or foreign file fails here, not in the worker.
  if (data.length < 100_000 || data[0] !== 0x1f || data[1] !== 0x8b)
    return `OCR language data for "${lang}" is damaged`;
  return undefined;
}

/**
 * Where tesseract.js will read each language, checked first: a missing file there is an uncaught
 * exception that ends the process. (Passing the bytes as `{ code, data }` objects is broken in
 * tesseract.js 7: it joins the data into the language name.) One language is read from its npm
 * package's folder; several from tessdata/, the folder of links to every shipped language.
 */
async function toLangSetup(opts: TextAnalyzerOptions): Promise<{ langPath: string; langs: string[] }> {
  const langs = [...(opts.langs ?? DEFAULT_OCR_LANGS)];
  const first = langs[0];
  if (first === undefined) throw new Error('No OCR language configured');
  for (const lang of langs) if (!/^[a-z_]{3,12}$/.test(lang)) throw new Error('Invalid OCR language name');
  let langPath: string;
  try {
    langPath = opts.langPath ?? (langs.length > 1 ? SHARED_LANG_DIR : toLangDir(first));
  } catch {
    throw new Error(`OCR language data for "${first}" is not installed`);
  }
  for (const lang of langs) {
    const problem = await checkLangFile(langPath, lang);
    if (problem) throw new Error(problem);
  }
  return { langPath, langs };
}

async function createOcrWorker(
  setup: { langPath: string; langs: string[] },
  timeoutMs: number,
): Promise<Worker> {
  let settled = false;
  const pending = createWorker(setup.langs, OEM.LSTM_ONLY, {
    langPath: setup.langPath,
    gzip: true,
    cacheMethod: 'none',
    // An error inside the worker after creation rejects the job instead of killing the process.
    errorHandler: () => undefined,
  });
  // A worker that arrives after the deadline is terminated, not leaked.
  pending.then(
    async (w) => {
      if (settled) await w.terminate();
    },
    () => undefined,
  );
  let worker: Worker;
  try {
    worker = await withTimeout(pending, timeoutMs, 'OCR worker creation');
  } finally {
    settled = true;
  }
  // Tesseract's library default is one uniform block of text (PSM 6): on a photo every texture
  // becomes a "line" and the recogniser grinds through it (2.5 s and 270 junk words on a 12 MP
  // photo without text). Full layout analysis (PSM 3, the command line's default) sets non-text
  // regions aside: 170 ms and no words on the same photo, the same findings on text (bench/text.ts).
  // Tesseract's progress notes ("Estimating resolution as 349", "Detected 38 diacritics") went to
  // the user's terminal on every scan: its debug file is the null device of the WASM file system.
  await worker.setParameters({ tessedit_pageseg_mode: PSM.AUTO, debug_file: '/dev/null' });
  return worker;
}

/** A small pool: a job borrows an idle worker (parameters are per job, so workers stay clean). */
function createPool(workers: Worker[]): {
  run<T>(job: (w: Worker) => Promise<T>): Promise<T>;
  close(): Promise<void>;
} {
  const idle = [...workers];
  const waiting: ((w: Worker) => void)[] = [];
  let closed = false;
  const release = (w: Worker): void => {
    const next = waiting.shift();
    if (next) next(w);
    else idle.push(w);
  };
  return {
    async run(job) {
      if (closed) throw new Error('OCR is closed');
      const w = idle.pop() ?? (await new Promise<Worker>((resolve) => waiting.push(resolve)));
      try {
        return await job(w);
      } finally {
        release(w);
      }
    },
    async close() {
      closed = true;
      await Promise.allSettled(workers.map((w) => w.terminate()));
    },
  };
}

/** Share of sampled horizontal neighbour pairs that differ by at most 2 grey levels. */
function flatShare(data: Uint8Array, w: number, h: number): number {
  let flat = 0;
  let n = 0;
  for (let y = 0; y < h; y += 3)
    for (let x = 1; x < w; x += 3) {
      n++;
      if (Math.abs(data[y * w + x]! - data[y * w + x - 1]!) <= 2) flat++;
    }
  return n === 0 ? 1 : flat / n;
}

function meanOf(data: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < data.length; i += 7) sum += data[i]!;
  return sum / Math.max(1, Math.ceil(data.length / 7));
}

/** A binary PGM: leptonica reads it without any decoding cost on our side. */
function toPgm(data: Buffer, width: number, height: number): Buffer {
  return Buffer.concat([Buffer.from(`P5\n${width} ${height}\n255\n`, 'latin1'), data]);
}

export interface OcrImage {
  pgm: Buffer;
  width: number;
  height: number;
  /**
   * A screenshot or a scan: at least 90 % flat pixels (neighbour difference ≤ 2 grey levels;
   * screenshots and scans measure ≥ 0.95, photos well under 0.9).
   */
  screen: boolean;
  /** OCR pixel → displayed pixel. */
  toDisplayed(b: { x0: number; y0: number; x1: number; y1: number }): Region;
}

/**
 * Local contrast for photos: 48 px tiles, slopes up to 2. The earlier 32 px tiles (smaller than a
 * line of 40 px text) with slopes up to 3 broke large, clear text into noise before the layout pass.
 * Measured with the text check alone (dev set; synthetic set, 52 values): 32/3 read 27 of 52, 48/2
 * 31 (and one more labelled name on the dev set), 64/2 31 but lost the e-mail and phone of the
 * bundled sample (a cream note upscaled to 1400 px became texture), 40/2 and 32/2 27 and 26 with the
 * passport's MRZ check digits lost, 96/2 27, 128/2 25, no CLAHE 28.
 */
const CLAHE_OPTIONS = { tile: 48, maxSlope: 2 } as const;

/**
 * Grayscale, locally contrast-equalised copy for OCR. Small images (ID card specimens, thumbnails) are
 * upscaled so text reaches a height tesseract reads well; `rotate` turns the copy clockwise.
 */
async function toOcrImage(raw: RawImage, rotate: 0 | 90 | 180 | 270, minSide: number): Promise<OcrImage> {
  const long = Math.max(raw.width, raw.height);
  const up = long < minSide ? Math.min(3, minSide / long) : 1;
  let gray: { data: Buffer; info: { width: number; height: number } };
  if (raw.channels === 1 && up === 1 && rotate === 0) {
    // Already the grayscale copy OCR reads (the common case): no second copy through sharp.
    gray = { data: raw.data, info: { width: raw.width, height: raw.height } };
  } else {
    let p = sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: raw.channels } });
    if (up > 1) p = p.resize({ width: Math.round(raw.width * up), kernel: 'lanczos3' });
    if (rotate !== 0) p = p.rotate(rotate);
    gray = await p.grayscale().extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  }
  const w = gray.info.width;
  const h = gray.info.height;
  const screen = flatShare(gray.data, w, h) >= 0.9;
  // Light text on a dark screen (dark mode): tesseract reads dark on light. Screens only: an
  // inverted dark photo turned its texture into text-like blobs (3-4x slower, nothing more read).
  // A new buffer: the raw copy is shared with the other analyzers.
  if (screen && meanOf(gray.data) < 96) gray = { ...gray, data: Buffer.from(gray.data.map((v) => 255 - v)) };
  // Photos get local contrast (CLAHE) rather than a global stretch: a global stretch could not lift
  // faint text on a bright card. Screens and scans (almost all flat) are read as they are: CLAHE
  // turned the text in dark-mode chat bubbles into noise (synthetic set: 0 of 4 values read, 1 of 4
  // without), and they have no texture to flatten.
  const data = screen ? gray.data : clahe(gray.data, w, h, CLAHE_OPTIONS);
  const k = raw.scale / up;
  const toDisplayed = (b: { x0: number; y0: number; x1: number; y1: number }): Region => {
    // Undo the clockwise rotation: map the box corners back into the unrotated OCR frame.
    let x0 = b.x0;
    let y0 = b.y0;
    let x1 = b.x1;
    let y1 = b.y1;
    if (rotate === 90) [x0, y0, x1, y1] = [b.y0, h - b.x1, b.y1, h - b.x0];
    else if (rotate === 180) [x0, y0, x1, y1] = [w - b.x1, h - b.y1, w - b.x0, h - b.y0];
    else if (rotate === 270) [x0, y0, x1, y1] = [w - b.y1, b.x0, w - b.y0, b.x1];
    return {
      x: Math.max(0, Math.floor(x0 * k)),
      y: Math.max(0, Math.floor(y0 * k)),
      width: Math.ceil((x1 - x0) * k),
      height: Math.ceil((y1 - y0) * k),
    };
  };
  return { pgm: toPgm(data, w, h), width: w, height: h, screen, toDisplayed };
}

/** A text area in OCR pixels; `sure` when the layout pass read all of it well. */
export interface TextArea {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  sure: boolean;
  /** Median height of its lines across their direction (the smallest, for merged areas). */
  lineHeight: number;
}

type LayoutLine = Block['paragraphs'][number]['lines'][number];

/**
 * Confidence from which the layout pass's word is taken as read. Evaluation sets (dev + synthetic):
 * 70 and 80 gave the same findings, 60 lost two e-mails.
 */
const SURE_CONFIDENCE = 70;

type Box = LayoutLine['bbox'];

/** Sideways text (the layout pass reads it on its own): a line box taller than wide. */
const isVertical = (b: Box): boolean => b.y1 - b.y0 > b.x1 - b.x0;

/** A box's extent along its line (main axis) and across it. */
function toAxes(b: Box, vertical: boolean): { start: number; end: number; c0: number; c1: number } {
  return vertical
    ? { start: b.y0, end: b.y1, c0: b.x0, c1: b.x1 }
    : { start: b.x0, end: b.x1, c0: b.y0, c1: b.y1 };
}

/**
 * A line's words without the specks where it runs off a card into the background ("9)", "J" at
 * either end: two characters at most, read with low confidence); none for a line of specks.
 */
function toCoreWords(line: LayoutLine): LayoutLine['words'] {
  let words = line.words.filter((w) => w.text.trim().length > 0);
  const isSpeck = (w: (typeof words)[number]): boolean =>
    w.confidence < SURE_CONFIDENCE && w.text.trim().length <= 2;
  while (words.length > 0 && isSpeck(words[0]!)) words = words.slice(1);
  while (words.length > 0 && isSpeck(words[words.length - 1]!)) words = words.slice(0, -1);
  return words;
}

/** The box around some words. */
function toBox(words: readonly { bbox: Box }[]): Box {
  return {
    x0: Math.min(...words.map((w) => w.bbox.x0)),
    y0: Math.min(...words.map((w) => w.bbox.y0)),
    x1: Math.max(...words.map((w) => w.bbox.x1)),
    y1: Math.max(...words.map((w) => w.bbox.y1)),
  };
}

/**
 * A line the layout pass read well: every word confident (specks at its ends aside), and no gap wider than 1.2 line heights
 * between neighbours inside it (a dropped "@" splits "jane_doe@mail.example.net" into two confident
 * words with a hole between them).
 */
function isSureLine(line: LayoutLine): boolean {
  const words = toCoreWords(line);
  if (words.some((w) => w.confidence < SURE_CONFIDENCE)) return false;
  if (words.length === 0) return true;
  const box = toBox(words);
  const vertical = isVertical(box);
  const { c0, c1 } = toAxes(box, vertical);
  const spans = words.map((w) => toAxes(w.bbox, vertical)).sort((a, b) => a.start - b.start);
  for (let i = 1; i < spans.length; i++)
    if (spans[i]!.start - spans[i - 1]!.end > 1.2 * (c1 - c0)) return false;
  return true;
}

/**
 * Lines that run side by side (same direction, overlapping across it by half a line) are the pieces
 * of one tilted line the layout pass broke up.
 */
function isStacked(lines: readonly Box[]): boolean {
  return lines.every((a, i) =>
    lines.every((b, j) => {
      if (j <= i || isVertical(a) !== isVertical(b)) return true;
      const p = toAxes(a, isVertical(a));
      const q = toAxes(b, isVertical(b));
      return Math.min(p.c1, q.c1) - Math.max(p.c0, q.c0) < 0.5 * Math.min(p.c1 - p.c0, q.c1 - q.c0);
    }),
  );
}

/**
 * Where the layout pass saw text worth a second reading: each block holding a word-like word (two
 * letters or digits read with confidence ≥ 60, or four read with ≥ 20: a garbled MRZ line scores
 * 0–30; texture gives short junk at 1–58), padded by 2.5 times its median line height (tilted
 * lines, a line the layout pass missed above or below, such as the IBAN digits under the "IBAN"
 * heading of the bank-details fixture; at most 8 % of the long side), merged when they touch.
 * An area is `sure` when every line of its blocks was read well (see isSureLine). OCR pixels.
 */
export function toTextAreas(blocks: Block[] | null, width: number, height: number): TextArea[] {
  const areas: (TextArea & { lines: Box[] })[] = [];
  const maxPad = Math.max(16, 0.08 * Math.max(width, height));
  for (const block of blocks ?? []) {
    const lines = block.paragraphs.flatMap((p) => p.lines);
    const wordLike = (w: { text: string; confidence: number }): boolean =>
      (w.confidence >= 60 && /[\p{L}\p{N}]{2}/u.test(w.text)) ||
      (w.confidence >= 20 && /[\p{L}\p{N}<]{4}/u.test(w.text));
    if (!lines.some((l) => l.words.some(wordLike))) continue;
    // Line heights across the text's direction (sideways lines are taller than wide).
    const hs = lines
      .map((l) => {
        const a = toAxes(l.bbox, isVertical(l.bbox));
        return a.c1 - a.c0;
      })
      .sort((a, b) => a - b);
    const lineHeight = hs[Math.floor(hs.length / 2)] ?? 8;
    const pad = Math.min(maxPad, Math.max(16, 2.5 * lineHeight));
    areas.push({
      x0: Math.max(0, Math.floor(block.bbox.x0 - pad)),
      y0: Math.max(0, Math.floor(block.bbox.y0 - pad)),
      x1: Math.min(width, Math.ceil(block.bbox.x1 + pad)),
      y1: Math.min(height, Math.ceil(block.bbox.y1 + pad)),
      // Read well: every line, and at least one real word (a lone "oN" among specks is a hint of
      // text the layout pass could not read, not a reading).
      lineHeight,
      sure:
        lines.every(isSureLine) &&
        lines.some((l) =>
          l.words.some((w) => w.confidence >= SURE_CONFIDENCE && /[\p{L}\p{N}]{3}/u.test(w.text)),
        ),
      // The lines as read without their end specks, for the check for a broken tilted line.
      lines: lines.flatMap((l) => {
        const core = toCoreWords(l);
        return core.length === 0 ? [] : [toBox(core)];
      }),
    });
  }
  // Merge overlapping areas until none overlap; a merged area is sure when both were.
  for (let merged = true; merged;) {
    merged = false;
    for (let i = 0; i < areas.length && !merged; i++)
      for (let j = i + 1; j < areas.length && !merged; j++) {
        const a = areas[i]!;
        const b = areas[j]!;
        if (a.x0 <= b.x1 && b.x0 <= a.x1 && a.y0 <= b.y1 && b.y0 <= a.y1) {
          areas[i] = {
            x0: Math.min(a.x0, b.x0),
            y0: Math.min(a.y0, b.y0),
            x1: Math.max(a.x1, b.x1),
            y1: Math.max(a.y1, b.y1),
            sure: a.sure && b.sure,
            lineHeight: Math.min(a.lineHeight, b.lineHeight),
            lines: [...a.lines, ...b.lines],
          };
          areas.splice(j, 1);
          merged = true;
        }
      }
  }
  return areas.map(({ lines, ...a }) => ({ ...a, sure: a.sure && isStacked(lines) }));
}

/** Job parameters (tesseract.js restores them after the job). */
const SINGLE_BLOCK: Record<string, string> = { tessedit_pageseg_mode: PSM.SINGLE_BLOCK };

/** The OCR copy's pixels inside `areas`, white elsewhere. */
function maskOutside(img: OcrImage, areas: readonly TextArea[]): Buffer {
  const src = img.pgm.subarray(img.pgm.length - img.width * img.height);
  const out = Buffer.alloc(img.width * img.height, 255);
  for (const a of areas)
    for (let y = a.y0; y < a.y1; y++)
      src.copy(out, y * img.width + a.x0, y * img.width + a.x0, y * img.width + a.x1);
  return out;
}

/** Line height (OCR pixels) under which the one-block reading gets the areas at twice the size. */
const SMALL_LINE = 20;

/**
 * The one-block reading's input: the copy with everything but `areas` blanked; when their lines are
 * small (under SMALL_LINE: 18 px text on a 1600 px photo reads as specks), only the part holding the
 * areas, at twice the size. `toOcr` maps its boxes back to the copy.
 */
export async function toBlockInput(
  img: OcrImage,
  areas: readonly TextArea[],
): Promise<{ input: Buffer; toOcr: (b: Box) => Box; doubled: boolean }> {
  const masked = maskOutside(img, areas);
  const heights = areas.map((a) => a.lineHeight).sort((a, b) => a - b);
  if ((heights[Math.floor(heights.length / 2)] ?? SMALL_LINE) >= SMALL_LINE)
    return { input: toPgm(masked, img.width, img.height), toOcr: (b) => b, doubled: false };
  const x0 = Math.min(...areas.map((a) => a.x0));
  const y0 = Math.min(...areas.map((a) => a.y0));
  const width = Math.max(...areas.map((a) => a.x1)) - x0;
  const height = Math.max(...areas.map((a) => a.y1)) - y0;
  const { data, info } = await sharp(masked, { raw: { width: img.width, height: img.height, channels: 1 } })
    .extract({ left: x0, top: y0, width, height })
    .resize({ width: width * 2, kernel: 'lanczos3' })
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    input: toPgm(data, info.width, info.height),
    toOcr: (b) => ({ x0: b.x0 / 2 + x0, y0: b.y0 / 2 + y0, x1: b.x1 / 2 + x0, y1: b.y1 / 2 + y0 }),
    doubled: true,
  };
}

/** Blocks → paragraphs → lines → words, as lines of words in displayed pixels. */
function toLinesFromBlocks(
  blocks: Block[] | null,
  img: Pick<OcrImage, 'toDisplayed'>,
  minConfidence: number,
): OcrLine[] {
  const lines: OcrLine[] = [];
  for (const block of blocks ?? [])
    for (const para of block.paragraphs)
      for (const line of para.lines) {
        const words = line.words
          .map((w) => ({ text: w.text.trim(), confidence: w.confidence, box: img.toDisplayed(w.bbox) }))
          .filter((w) => w.text.length > 0 && w.confidence >= minConfidence);
        if (words.length > 0) lines.push({ words, box: unionRegions(words.map((w) => w.box)) });
      }
  return lines;
}

/** Two readings of the same copy: the one with more confident words first. */
interface Reading {
  best: OcrPage;
  other: OcrPage;
}

/** The rotation a re-check should read at: the one recorded on the original's findings, else upright. */
function toRecheckRotation(recheck: readonly Finding[]): 0 | 90 | 180 | 270 {
  const r = recheck.map((f) => f.details?.['rotation']).find((v) => v === 90 || v === 180 || v === 270);
  return r === 90 || r === 180 || r === 270 ? r : 0;
}

const isConfident = (w: OcrWord): boolean => w.confidence >= 70 && /[A-Za-z]{3,}|\d{3,}/.test(w.text);

/** Confident words that look like words: a rotated page gives junk with low confidence. */
function toTextScore(lines: OcrLine[]): number {
  return lines.reduce((n, l) => n + l.words.filter(isConfident).length, 0);
}

/**
 * A few confident words that are most of the word-like reading: upright text (a short note, a
 * label), not the junk a sideways page gives. Saves the rotation retry, two extra OCR passes.
 */
function isUpright(lines: OcrLine[]): boolean {
  const wordLike = lines.flatMap((l) => l.words).filter((w) => /[A-Za-z]{3,}|\d{3,}/.test(w.text));
  const confident = wordLike.filter(isConfident).length;
  return confident >= 3 && confident >= 0.4 * wordLike.length;
}

const MRZ_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<';

function isMrzCandidate(line: OcrLine): boolean {
  const joined = line.words.map((w) => w.text).join('');
  const s = toMrzLine(joined);
  return s.length >= 20 && ((s.match(/</g) ?? []).length >= 3 || /[<«]{2}/.test(joined));
}

/**
 * A second pass on the band around MRZ-looking lines, upscaled and restricted to the MRZ alphabet:
 * the first pass reads "<" as K, C or L and often misses a line of the band entirely.
 */
/** OCR of one rectangle of the raw copy (raw pixels), upscaled by `up`, boxes in displayed pixels. */
async function readRegion(
  worker: Worker,
  raw: RawImage,
  rect: { left: number; top: number; width: number; height: number },
  up: number,
  params: Record<string, string>,
): Promise<OcrLine[]> {
  const left = Math.max(0, Math.floor(rect.left));
  const top = Math.max(0, Math.floor(rect.top));
  const width = Math.min(raw.width - left, Math.ceil(rect.width));
  const height = Math.min(raw.height - top, Math.ceil(rect.height));
  if (width < 4 || height < 4) return [];
  const { data, info } = await sharp(raw.data, {
    raw: { width: raw.width, height: raw.height, channels: raw.channels },
  })
    .extract({ left, top, width, height })
    .resize({ width: Math.round(width * up), kernel: 'lanczos3' })
    .normalise()
    .grayscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const res = await worker.recognize(toPgm(data, info.width, info.height), params, {
    blocks: true,
    text: false,
  });
  const k = raw.scale;
  const img: Pick<OcrImage, 'toDisplayed'> = {
    toDisplayed: (b) => ({
      x: Math.floor((b.x0 / up + left) * k),
      y: Math.floor((b.y0 / up + top) * k),
      width: Math.ceil(((b.x1 - b.x0) / up) * k),
      height: Math.ceil(((b.y1 - b.y0) / up) * k),
    }),
  };
  return toLinesFromBlocks(res.data.blocks, img, 0);
}

/**
 * A second pass on the band around MRZ-looking lines, upscaled and restricted to the MRZ alphabet:
 * the first pass reads "<" as K, C or L and often misses a line of the band entirely.
 */
async function readMrzBand(worker: Worker, raw: RawImage, page: OcrPage): Promise<OcrLine[]> {
  const mrzLines = page.lines.filter(isMrzCandidate);
  if (mrzLines.length === 0) return [];
  const k = raw.scale;
  const top = Math.min(...mrzLines.map((l) => l.box.y)) / k;
  const bottom = Math.max(...mrzLines.map((l) => l.box.y + l.box.height)) / k;
  const lineH = Math.max(...mrzLines.map((l) => l.box.height)) / k;
  // Room for a missed line above (TD3 line 1) or below (TD1 line 3); glyphs upscaled to ≈ 40 px.
  const y0 = Math.max(0, top - 2.6 * lineH);
  const y1 = Math.min(raw.height, bottom + 2.2 * lineH);
  const up = Math.max(1, Math.min(4, 40 / Math.max(1, lineH)));
  const lines = await readRegion(worker, raw, { left: 0, top: y0, width: raw.width, height: y1 - y0 }, up, {
    tessedit_char_whitelist: MRZ_ALPHABET,
    tessedit_pageseg_mode: '6',
  });
  return lines.filter((l) => {
    const s = toMrzLine(l.words.map((w) => w.text).join(''));
    return s.length >= 26 && (s.match(/</g) ?? []).length >= 2;
  });
}

const meanConfidence = (l: OcrLine): number =>
  l.words.reduce((a, w) => a + w.confidence, 0) / Math.max(1, l.words.length);

/** Words that announce a value worth re-reading: bank, card, contact and identity labels. */
const VALUE_LABEL =
  /(?<![\p{L}\p{N}])(?:iban|bic|swift|rib|account|compte|card|carte|t[ée]l|t[ée]l[ée]phone|phone|mobile|portable|fax|e-?mail|courriel|n°|no\.|number|num[ée]ro|passport|passeport|licen[cs]e|permis|ssn|nir|s[ée]curit[ée] sociale|birth|naissance|dob)(?![\p{L}\p{N}])/iu;

/**
 * A line that holds a value label, or sits just under one (a table's value row under its heading,
 * within two line heights and overlapping it horizontally).
 */
export function isLabelled(line: OcrLine, lines: readonly OcrLine[]): boolean {
  const text = (l: OcrLine): string => l.words.map((w) => w.text).join(' ');
  if (VALUE_LABEL.test(text(line))) return true;
  const top = line.box.y;
  return lines.some((l) => {
    if (l === line) return false;
    const bottom = l.box.y + l.box.height;
    const gap = top - bottom;
    const overlapsX = l.box.x < line.box.x + line.box.width && line.box.x < l.box.x + l.box.width;
    return (
      gap >= -0.3 * l.box.height &&
      gap <= 2 * Math.max(l.box.height, 1) &&
      overlapsX &&
      VALUE_LABEL.test(text(l))
    );
  });
}

/**
 * Page segmentation sometimes garbles a line that reads perfectly on its own (an IBAN in table
 * cells). On pages with real text, the widest weak lines where a value is expected (isLabelled) are
 * re-read one by one (at most three): re-reading texture next to a card (two tries of ≈ 70 ms each)
 * found nothing on any photo of the evaluation sets.
 */
async function rereadWeakLines(
  worker: Worker,
  raw: RawImage,
  page: OcrPage,
  signal: AbortSignal,
): Promise<OcrPage> {
  if (toTextScore(page.lines) < 8) return page;
  const k = raw.scale;
  const weak = page.lines
    .map((line, index) => ({ line, index }))
    .filter(
      ({ line }) =>
        line.words.length >= 2 &&
        meanConfidence(line) < 60 &&
        line.box.width / k >= raw.width * 0.2 &&
        isLabelled(line, page.lines),
    )
    .sort((a, b) => b.line.box.width - a.line.box.width)
    .slice(0, 3);
  if (weak.length === 0) return page;
  // Table borders inflate a weak line's box: size the upscale on the page's typical text height.
  const heights = page.lines
    .filter((l) => meanConfidence(l) >= 70)
    .map((l) => l.box.height / k)
    .sort((a, b) => a - b);
  const textH = heights[Math.floor(heights.length / 2)] ?? 20;
  const up = Math.max(1, Math.min(4, 36 / Math.max(1, textH)));
  const lines = [...page.lines];
  for (const { line, index } of weak) {
    signal.throwIfAborted();
    const h = line.box.height / k;
    // Inside the box first (drops the ruled borders of a table row), then with a margin.
    let again: OcrLine[] = [];
    for (const [inset, pad] of [
      [0.1, 0],
      [0, 0.4],
    ] as const) {
      again = await readRegion(
        worker,
        raw,
        {
          left: line.box.x / k - h,
          top: line.box.y / k + (inset - pad) * h,
          width: line.box.width / k + 2 * h,
          height: (1 - 2 * inset + 2 * pad) * h,
        },
        up,
        { tessedit_pageseg_mode: '7' },
      );
      if (again.length === 1 && again[0] && meanConfidence(again[0]) > meanConfidence(line) + 10) break;
    }
    const best = again[0];
    if (again.length === 1 && best && meanConfidence(best) > meanConfidence(line) + 10) lines[index] = best;
  }
  return toOcrPage(lines, page.rotation);
}

export async function createTextAnalyzer(opts: TextAnalyzerOptions = {}): Promise<ClosableAnalyzer> {
  const setup = await toLangSetup(opts);
  const createTimeout = opts.createTimeoutMs ?? 30_000;
  const count = Math.max(1, Math.min(4, opts.workers ?? 1));
  const workers: Worker[] = [];
  try {
    for (let i = 0; i < count; i++) workers.push(await createOcrWorker(setup, createTimeout));
  } catch (e) {
    await Promise.allSettled(workers.map((w) => w.terminate()));
    throw e;
  }
  const pool = createPool(workers);
  const maxSide = opts.maxSide ?? BASE_SIDE;
  const rotationRetry = opts.rotationRetry ?? true;

  /**
   * Two readings of one copy. The layout pass (PSM 3) sets textures aside, so a photo without text
   * costs one cheap pass, and it reads sideways text on its own; the text areas it did not read
   * well (a weak word, a hole in a line, a tilted line broken into pieces: toTextAreas) are then
   * read again as one block (PSM 6) with everything else blanked out, which reads cards, tables and
   * slightly tilted lines better. Callers keep the better reading and use the other as a backup.
   */
  const ocr = async (
    worker: Worker,
    raw: RawImage,
    rotate: 0 | 90 | 180 | 270,
    minSide = 1400,
  ): Promise<Reading> => {
    let t = performance.now();
    const img = await toOcrImage(raw, rotate, minSide);
    opts.onStage?.('ocr.prep', performance.now() - t);
    t = performance.now();
    const res = await worker.recognize(img.pgm, {}, { blocks: true, text: false });
    opts.onStage?.('ocr.layout', performance.now() - t);
    const layout = toOcrPage(toLinesFromBlocks(res.data.blocks, img, 0), rotate);
    const areas = toTextAreas(res.data.blocks, img.width, img.height);
    const unsure = areas.filter((a) => !a.sure);
    const { screen } = img;
    // No text found by the layout pass on a photo: stop. (A one-block probe of a small copy for
    // faint text the layout pass misses read 2 more of 60 synthetic values, but cost about 1 s on
    // every textured photo without text, the commonest photo there is.) Every text area read well:
    // a second reading would only cost time (≈ 350 ms on a 12 MP photo of a card).
    if (!screen && unsure.length === 0) return { best: layout, other: toOcrPage([], rotate) };
    // A screen or a scan (almost all flat) is read whole: nothing to set aside.
    t = performance.now();
    const { input, toOcr, doubled } = screen
      ? { input: img.pgm, toOcr: (b: Box): Box => b, doubled: false }
      : await toBlockInput(img, unsure);
    const block = await worker.recognize(input, SINGLE_BLOCK, { blocks: true, text: false });
    opts.onStage?.(doubled ? 'ocr.block.doubled' : 'ocr.block', performance.now() - t);
    let blockLines = toLinesFromBlocks(
      block.data.blocks,
      { toDisplayed: (b) => img.toDisplayed(toOcr(b)) },
      0,
    );
    // Areas the layout pass read well were not read again: their lines join this reading as read.
    if (!screen && unsure.length < areas.length) {
      const reread = unsure.map((a) => img.toDisplayed(a));
      const kept = layout.lines.filter((l) => {
        const cx = l.box.x + l.box.width / 2;
        const cy = l.box.y + l.box.height / 2;
        return !reread.some((r) => cx >= r.x && cx < r.x + r.width && cy >= r.y && cy < r.y + r.height);
      });
      blockLines = [...kept, ...blockLines].sort((a, b) => a.box.y - b.box.y);
    }
    const page = toOcrPage(blockLines, rotate);
    return toTextScore(page.lines) >= toTextScore(layout.lines)
      ? { best: page, other: layout }
      : { best: layout, other: page };
  };

  const rereadLines = opts.rereadLines ?? true;
  const timed = <T>(stage: string, f: () => Promise<T>): Promise<T> => timeStage(stage, f, opts.onStage);

  const analyze = async (ctx: AnalyzerContext): Promise<Finding[]> => {
    const raw = await timed('raw', () => ctx.image.raw(maxSide, 1));
    return pool.run(async (worker) => {
      // A re-check reads the way the original was read; it does not search for a rotation again.
      const turn = ctx.recheck ? toRecheckRotation(ctx.recheck) : 0;
      let reading = await timed('ocr', () => ocr(worker, raw, turn));
      let page = reading.best;
      ctx.signal.throwIfAborted();
      // Rotated text: a first pass with few confident words gets 90° and 270° tries on a smaller
      // copy (cheaper); a clearly better reading is then redone at full size. Pages of pure texture
      // (hundreds of fragments) are not retried.
      const score0 = toTextScore(page.lines);
      if (
        rotationRetry &&
        !ctx.recheck &&
        score0 < 6 &&
        page.spans.length >= 3 &&
        page.spans.length <= 150 &&
        !isUpright(page.lines)
      ) {
        reading = await timed('rotation', async () => {
          const small = await ctx.image.raw(Math.min(maxSide, 1000), 1);
          let best: { r: 90 | 270; score: number } | undefined;
          for (const r of [90, 270] as const) {
            ctx.signal.throwIfAborted();
            // A probe only has to tell which way the text runs: no upscaling past 1000 px.
            const score = toTextScore((await ocr(worker, small, r, 1000)).best.lines);
            if (score > Math.max(6, score0 * 2) && (!best || score > best.score)) best = { r, score };
          }
          return best ? ocr(worker, raw, best.r) : reading;
        });
        page = reading.best;
      }
      ctx.signal.throwIfAborted();
      if (rereadLines) page = await timed('reread', () => rereadWeakLines(worker, raw, page, ctx.signal));
      if (page.rotation === 0) {
        const band = await timed('mrz', () => readMrzBand(worker, raw, page));
        if (band.length > 0) page = toOcrPage([...page.lines.filter((l) => !isMrzCandidate(l)), ...band]);
      }
      opts.onPage?.(page);
      const t = performance.now();
      const findings = toTextFindings(page);
      // What only the other reading saw (a line one pass garbled) is kept too, when it is a value
      // with a shape or a checksum; names, addresses and dates near labels from the weaker reading
      // are mostly misread texture.
      for (const f of toTextFindings(reading.other))
        if (
          (f.certainty === 'confirmed' || STRONG_KINDS.has(f.kind)) &&
          !findings.some(
            (g) => g.kind === f.kind && g.region && f.region && intersectionArea(g.region, f.region) > 0,
          )
        )
          findings.push(f);
      findings.push(
        ...findSceneSignals(page, { width: ctx.image.width, height: ctx.image.height }, findings),
      );
      opts.onStage?.('recognize', performance.now() - t);
      return findDocuments(page, { width: ctx.image.width, height: ctx.image.height }, findings, ctx.recheck);
    });
  };

  return {
    name: 'text',
    timeoutMs: opts.timeoutMs ?? 20_000,
    offThread: true,
    analyze,
    close: () => pool.close(),
  };
}
