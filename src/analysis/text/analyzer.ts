// The text check's orchestration: detect text lines first (PP-OCR DB net); no line, no reader (most
// photos); otherwise read each line with the reader measured best for that kind of image, the MRZ
// band over its own alphabet, then the recognizers on the page and the scene signals.
import type { AnalyzerContext, ClosableAnalyzer, Finding, Region } from '../../types.ts';
import { BASE_SIDE } from '../image/decode.ts';
import { intersectionArea } from '../image/regions.ts';
import { STRONG_KINDS, toOcrPage, toTextFindings } from './page.ts';
import type { OcrLine, OcrPage } from './page.ts';
import { toRectFrame } from './paddle/geometry.ts';
import type { RotatedRect } from './paddle/geometry.ts';
import { findSceneSignals } from './scene.ts';
import { findDocuments } from './documents/find-documents.ts';
import { readMrzBands, toMrzAnchors, withBands } from './mrz-reader.ts';
import { isNearMrzRow, toRectReader } from './mrz-band.ts';
import { detectLines } from './paddle/detector.ts';
import type { Detection } from './paddle/detector.ts';
import { loadPaddleModels } from './paddle/models.ts';
import { WEAK_READING, readDetected } from './paddle/read-lines.ts';
import { isCardLayout } from './paddle/digit-rows.ts';
import { createRecognizer } from './paddle/recognizer.ts';
import { flatShare } from './tesseract/ocr-image.ts';
import { readTesseractPage } from './tesseract/page-reader.ts';
import { isMrzCandidate } from './tesseract/line-reader.ts';
import { createOcrWorker, createPool, toLangSetup } from './tesseract/worker.ts';
import type { Worker } from './tesseract/worker.ts';
import { timed as timeStage } from '../../timing.ts';

export { DEFAULT_OCR_LANGS, toLangDir } from './tesseract/worker.ts';

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
   * 'reread', 'mrz', 'recognize'; for PP-OCR 'detect.gate', 'detect', 'read', 'read.mrz' and
   * 'read.dropped', the lines tesseract's layout pass set aside), for benchmarks and tests.
   */
  onStage?: (stage: string, ms: number) => void;
  /**
   * Which reader reads the detected lines: 'auto' (default: PP-OCR per line on photos, tesseract on
   * screens and dense pages), or one of them for every image (measurements).
   */
  reader?: 'auto' | 'paddle' | 'tesseract';
  /** Intra-op threads of each PP-OCR model (default 2). */
  modelThreads?: number;
  /** The reading the recognizers get, for tests and the evaluation (never logged). */
  onPage?: (page: OcrPage) => void;
}

/** What the text check did so far in this process (tests read it; never timings). */
export interface TextCounts {
  images: number;
  /** Images the detector found no text line on: no reader ran. */
  gated: number;
  /** Images read line by line by PP-OCR. */
  paddle: number;
  /** Images read by tesseract (screens, dense pages). */
  tesseract: number;
}

export interface TextAnalyzer extends ClosableAnalyzer {
  readonly counts: Readonly<TextCounts>;
}

/**
 * More detected boxes than this make a dense page (a letter, an invoice, a form): tesseract's page
 * layout reads it in one pass where PP-OCR would read hundreds of crops.
 */
const DENSE_BOXES = 60;

/** Long side of the detector's map (detectLines' default). */
const FULL_SIDE = 960;

type LineReader = 'paddle' | 'tesseract';

/**
 * An MRZ is looked for on a picture, and on a re-check of the copy only where the first pass found
 * one. The first pass searches the original with every means it has (the band from the detected
 * lines, check-digit repair); covering hides bands, it never makes one, so a band read only off the
 * copy is read off its covers and its pixelation noise (the CV fixture: a "possible MRZ" in about
 * one re-check in three, across the photo's lower edge, then covered by a second round as a black
 * bar over a line of text).
 */
function isMrzWanted(ctx: AnalyzerContext): boolean {
  return !ctx.recheck || ctx.recheck.some((f) => f.kind === 'mrz');
}

/**
 * The reader that read a finding, kept on the finding for the re-check of the copy (rescan.ts passes
 * the first pass's findings back). A symbol key: the copies the pipeline makes of a finding keep it
 * (object spread copies symbol keys), and no report or job ever carries it (JSON leaves symbols out).
 */
const READ_BY = Symbol('text reader');

function markReader(f: Finding, r: LineReader): void {
  (f as Finding & { [READ_BY]?: LineReader })[READ_BY] = r;
}

/** The reader of the first pass, from its findings (tesseract if any was read by it). */
export function readerOf(found: readonly Finding[]): LineReader | undefined {
  const readers = found.map((f) => (f as Finding & { [READ_BY]?: LineReader })[READ_BY]);
  return readers.includes('tesseract') ? 'tesseract' : readers.includes('paddle') ? 'paddle' : undefined;
}

/** The smallest map a re-check of a crop gets (a crop of a few lines still has room for them). */
const MIN_RECHECK_SIDE = 320;

/**
 * The detector map's long side: FULL_SIDE for a picture; for a crop of the copy (a re-check), the
 * share of FULL_SIDE the crop had in the whole picture's map, so the re-check sees its text at the
 * scale the first pass found it at, and pays for the crop's pixels only (not at least from
 * MIN_RECHECK_SIDE, not more than FULL_SIDE).
 */
export function toMapSide(
  image: { width: number; height: number },
  cropOf?: { width: number; height: number },
): number {
  if (!cropOf) return FULL_SIDE;
  const share = Math.max(image.width, image.height) / Math.max(cropOf.width, cropOf.height);
  return Math.round(Math.min(FULL_SIDE, Math.max(MIN_RECHECK_SIDE, FULL_SIDE * share)));
}

/**
 * The gate's probe: a 480 px map, text from a probability of 0.2 (DB's 0.3) and boxes from a mean
 * of 0.4 (DB's 0.6). On the 108 fixtures, every picture with a labelled text value lights pixels
 * there (the spreadsheet screenshot's small text only a few, no box); the probe lit none on 27 —
 * faces, negatives, a QR photo — where the full map boxed 0 to 10 bits of texture.
 */
const GATE_OPTIONS = { side: 480, threshold: 0.2, boxThreshold: 0.4 } as const;

/** A box long enough to be an MRZ line (44 characters at about 0.6 of the line height each). */
const isLongBox = (r: { width: number; height: number }): boolean => r.width >= 12 * r.height;

/** Confidence from which tesseract's word at a long box is taken as what the box holds. */
const PLAIN_CONFIDENCE = 80;

/**
 * A detected box (`scale`: displayed pixels per box pixel) that tesseract read as plain text: inside
 * it a confident word with two lower-case letters in a row, or three confident words apart with no
 * filler among them, and no MRZ-looking line there. An MRZ is one run of upper case, digits and
 * fillers, so such a box is not part of one and is not read again over the MRZ alphabet (a dense
 * page has many long boxes: its headings and table rows; the payslip fixture 9, all plain).
 */
export function isPlainTextBox(rect: RotatedRect, scale: number, lines: readonly OcrLine[]): boolean {
  const inside = (b: Region): boolean => isCentreInside(rect, scale, b);
  let plain = false;
  for (const l of lines) {
    const words = l.words.filter((w) => inside(w.box));
    if (words.length === 0) continue;
    if (isMrzCandidate(l)) return false;
    const sure = words.filter((w) => w.confidence >= PLAIN_CONFIDENCE);
    if (sure.some((w) => /\p{Ll}{2}/u.test(w.text))) plain = true;
    // Words apart: an MRZ has no spaces (its gaps are "<" fillers, read as "<", "«", K or C).
    if (sure.length >= 3 && !sure.some((w) => /[<«]/.test(w.text))) plain = true;
  }
  return plain;
}

/**
 * A detected box (`scale`: displayed pixels per box pixel) in which tesseract read no word at all,
 * neither in its page nor in its other reading: its layout pass set that area aside (the contact
 * column of a CV on a grey band, fixture pii_cv_photo: name, phone, e-mail and address). Long boxes
 * are the MRZ path's.
 */
export function isUnreadBox(rect: RotatedRect, scale: number, lines: readonly OcrLine[]): boolean {
  if (isLongBox(rect)) return false;
  return !lines.some((l) => l.words.some((w) => isCentreInside(rect, scale, w.box)));
}

/** The centre of `b` (displayed pixels; `scale` displayed pixels per box pixel) lies inside `rect`. */
function isCentreInside(rect: RotatedRect, scale: number, b: Region): boolean {
  const { along, across } = toRectFrame(rect, (b.x + b.width / 2) / scale, (b.y + b.height / 2) / scale);
  return Math.abs(along) <= rect.width / 2 && Math.abs(across) <= rect.height / 2;
}

/**
 * A PP-OCR reading of a dropped box sure enough to be text (mean character confidence at least the
 * recognizer's "weak reading" line): the layout pass dropped texture too, which reads unsure.
 */
const isSureReading = (l: OcrLine): boolean =>
  l.words.length > 0 && l.words.reduce((a, w) => a + w.confidence, 0) / l.words.length >= 100 * WEAK_READING;

export async function createTextAnalyzer(opts: TextAnalyzerOptions = {}): Promise<TextAnalyzer> {
  const setup = await toLangSetup(opts);
  const createTimeout = opts.createTimeoutMs ?? 30_000;
  const count = Math.max(1, Math.min(4, opts.workers ?? 1));
  const workers: Worker[] = [];
  const models = await loadPaddleModels(opts.modelThreads ?? 2);
  try {
    for (let i = 0; i < count; i++) workers.push(await createOcrWorker(setup, createTimeout));
  } catch (e) {
    await Promise.allSettled(workers.map((w) => w.terminate()));
    await models.release();
    throw e;
  }
  const pool = createPool(workers);
  const recognizer = createRecognizer(models);
  const maxSide = opts.maxSide ?? BASE_SIDE;
  const reader = opts.reader ?? 'auto';
  // PP-OCR's character set has no accented Latin letters: with a language beyond English
  // configured (OCR_LANGS=fra+eng), tesseract reads the pages and PP-OCR the MRZ only.
  const accented = setup.langs.some((l) => l !== 'eng');
  const counts: TextCounts = { images: 0, gated: 0, paddle: 0, tesseract: 0 };
  const timed = <T>(stage: string, f: () => Promise<T>): Promise<T> => timeStage(stage, f, opts.onStage);

  /**
   * tesseract's page, with the MRZ band taken from the detected long lines read by PP-OCR, and the
   * detected lines its layout pass dropped (see isUnreadBox) read by PP-OCR.
   */
  const readWithTesseract = async (
    ctx: AnalyzerContext,
    detection: Detection,
  ): Promise<{ page: OcrPage; other: OcrPage }> => {
    const read = await readTesseractWithMrz(ctx, detection);
    const base = await ctx.image.raw(BASE_SIDE, 3);
    const seen = [...read.page.lines, ...read.other.lines];
    const unread = detection.lines.filter((l) => isUnreadBox(l.rect, base.scale, seen));
    if (unread.length === 0) return read;
    const dropped = await timed('read.dropped', () =>
      readDetected(models, recognizer, base, { ...detection, lines: unread }, ctx.image),
    );
    const kept = dropped.map((d) => d.line).filter(isSureReading);
    if (kept.length === 0) return read;
    return { page: toOcrPage([...read.page.lines, ...kept]), other: read.other };
  };

  /** tesseract's page, with the MRZ band taken from the detected long lines read by PP-OCR. */
  const readTesseractWithMrz = async (
    ctx: AnalyzerContext,
    detection: Detection,
  ): Promise<{ page: OcrPage; other: OcrPage }> => {
    const raw = await timed('raw.gray', () => ctx.image.raw(maxSide, 1));
    const read = await pool.run((worker) =>
      readTesseractPage(worker, ctx.image, raw, ctx.signal, ctx.recheck, {
        maxSide,
        rotationRetry: opts.rotationRetry ?? true,
        rereadLines: opts.rereadLines ?? true,
        ...(opts.onStage ? { onStage: opts.onStage } : {}),
      }),
    );
    // Long boxes and the boxes on their rows (a filler run the detector boxed apart); where a band
    // does not verify as read, the boxes near an MRZ-looking one (a short row; see isNearMrzRow)
    // too, and the band's rows re-cut and looked for.
    const base = await ctx.image.raw(BASE_SIDE, 3);
    const read2 = [...read.page.lines, ...read.other.lines];
    const rows = detection.lines
      .filter((l) => isLongBox(l.rect) && !isPlainTextBox(l.rect, base.scale, read2))
      .map((l) => l.rect);
    const onRow = (r: { cy: number }): boolean => rows.some((q) => Math.abs(r.cy - q.cy) < 0.5 * q.height);
    const long = detection.lines.filter((l) => onRow(l.rect));
    if (long.length === 0 || read.page.rotation !== 0 || !isMrzWanted(ctx)) return read;
    const { bands } = await timed('read.mrz', async () => {
      const first = await readDetected(models, recognizer, base, { ...detection, lines: long }, ctx.image);
      const asRead = await readMrzBands(first, undefined, base);
      if (asRead.complete) return asRead;
      const anchors = toMrzAnchors(first);
      const near = detection.lines.filter((l) => !long.includes(l) && isNearMrzRow(l.rect, anchors));
      const second =
        near.length > 0
          ? await readDetected(models, recognizer, base, { ...detection, lines: near }, ctx.image)
          : [];
      return readMrzBands([...first, ...second], toRectReader(models, recognizer, base, ctx.image), base);
    });
    if (bands.length === 0) return read;
    const lines = withBands(
      read.page.lines.filter((l) => !isMrzCandidate(l)),
      bands,
    );
    return { page: toOcrPage(lines), other: read.other };
  };

  const analyze = async (ctx: AnalyzerContext): Promise<Finding[]> => {
    counts.images++;
    const base = await timed('raw', () => ctx.image.raw(BASE_SIDE, 3));
    // The gate: on a picture larger than the full map, the detector on a small copy first (a
    // quarter of the map's pixels), with looser thresholds than DB's. Not one pixel of text
    // probability there: no reader runs, and the full map is not made either. Not on a re-check of
    // what this check found (the cleaned copy): the first pass read text there.
    if (Math.max(base.width, base.height) > FULL_SIDE && !(ctx.recheck && ctx.recheck.length > 0)) {
      const probe = await timed('detect.gate', () => detectLines(models.det, base, GATE_OPTIONS));
      ctx.signal.throwIfAborted();
      if (probe.lines.length === 0 && probe.textShare === 0) {
        counts.gated++;
        return [];
      }
    }
    const detection = await timed('detect', () =>
      detectLines(models.det, base, { side: toMapSide(ctx.image, ctx.cropOf) }),
    );
    ctx.signal.throwIfAborted();
    if (detection.lines.length === 0) {
      counts.gated++;
      return [];
    }
    let page: OcrPage;
    let other: OcrPage = toOcrPage([]);
    // A re-check reads the copy with the reader that read the original: a crop around a card in a
    // photo is as flat as a screen, but it is still the photo's card.
    const used = (ctx.recheck && readerOf(ctx.recheck)) ?? (await chooseReader(ctx, detection));
    if (used === 'tesseract') {
      counts.tesseract++;
      ({ page, other } = await readWithTesseract(ctx, detection));
    } else {
      counts.paddle++;
      const lines = await timed('read', () => readDetected(models, recognizer, base, detection, ctx.image));
      const { bands, others } = isMrzWanted(ctx)
        ? await timed('read.mrz', () =>
            readMrzBands(lines, toRectReader(models, recognizer, base, ctx.image), base),
          )
        : { bands: [], others: lines.map((l) => l.line) };
      page = toOcrPage(withBands(others, bands));
    }
    ctx.signal.throwIfAborted();
    opts.onPage?.(page);
    const t = performance.now();
    const findings = toTextFindings(page);
    // What only the other reading saw (a line one pass garbled) is kept too, when it is a value
    // with a shape or a checksum; names, addresses and dates near labels from the weaker reading
    // are mostly misread texture.
    for (const f of toTextFindings(other))
      if (
        (f.certainty === 'confirmed' || STRONG_KINDS.has(f.kind)) &&
        !findings.some(
          (g) => g.kind === f.kind && g.region && f.region && intersectionArea(g.region, f.region) > 0,
        )
      )
        findings.push(f);
    findings.push(...findSceneSignals(page, { width: ctx.image.width, height: ctx.image.height }, findings));
    opts.onStage?.('recognize', performance.now() - t);
    const found = findDocuments(
      page,
      { width: ctx.image.width, height: ctx.image.height },
      isMrzWanted(ctx) ? findings : findings.filter((f) => f.kind !== 'mrz'),
      ctx.recheck,
    );
    for (const f of found) markReader(f, used);
    return found;
  };

  /** Which reader reads this picture's lines ('auto': see TextAnalyzerOptions.reader). */
  const chooseReader = async (ctx: AnalyzerContext, detection: Detection): Promise<LineReader> => {
    if (reader !== 'auto') return reader;
    if (accented || detection.lines.length > DENSE_BOXES) return 'tesseract';
    const gray = await ctx.image.raw(maxSide, 1);
    // A card on a dark surface looks flat too: its row of digit groups says it is a photo.
    const screen = flatShare(gray.data, gray.width, gray.height) >= 0.9 && !isCardLayout(detection);
    return screen ? 'tesseract' : 'paddle';
  };

  return {
    name: 'text',
    timeoutMs: opts.timeoutMs ?? 20_000,
    offThread: true,
    analyze,
    counts,
    close: async () => {
      await pool.close();
      await models.release();
    },
  };
}
