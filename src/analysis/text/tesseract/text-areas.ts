// Where tesseract's layout pass saw text it did not read well (text areas), and the one-block
// second reading's input built from them.
import sharp from 'sharp';
import { PSM } from 'tesseract.js';
import type { Block } from 'tesseract.js';
import { toPgm } from './ocr-image.ts';
import type { OcrImage } from './ocr-image.ts';

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

export type Box = LayoutLine['bbox'];

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
export const SINGLE_BLOCK: Record<string, string> = { tessedit_pageseg_mode: PSM.SINGLE_BLOCK };

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
