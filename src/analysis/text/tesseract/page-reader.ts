// tesseract's reading of a whole page: the layout pass, a one-block second reading of the areas it
// read badly, the rotation retry for sideways text, weak lines re-read and the MRZ band.
import type { Finding, RawImage, PreparedImage } from '../../../types.ts';
import { toOcrPage } from '../page.ts';
import type { OcrLine, OcrPage } from '../page.ts';
import { toLinesFromBlocks, toOcrImage, toTextScore, isConfident } from './ocr-image.ts';
import { SINGLE_BLOCK, toBlockInput, toTextAreas } from './text-areas.ts';
import type { Box } from './text-areas.ts';
import { isMrzCandidate, readMrzBand, rereadWeakLines } from './line-reader.ts';
import type { Worker } from './worker.ts';
import { timed as timeStage } from '../../../timing.ts';

/** Two readings of the same copy: the one with more confident words first. */
export interface Reading {
  best: OcrPage;
  other: OcrPage;
}

/** The rotation a re-check should read at: the one recorded on the original's findings, else upright. */
export function toRecheckRotation(recheck: readonly Finding[]): 0 | 90 | 180 | 270 {
  const r = recheck.map((f) => f.details?.['rotation']).find((v) => v === 90 || v === 180 || v === 270);
  return r === 90 || r === 180 || r === 270 ? r : 0;
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

/** Timing of a pass, for benchmarks and tests. */
export type OnStage = (stage: string, ms: number) => void;

const timed = <T>(onStage: OnStage | undefined, stage: string, f: () => Promise<T>): Promise<T> =>
  timeStage(stage, f, onStage);

/**
 * Two readings of one copy. The layout pass (PSM 3) sets textures aside, so a photo without text
 * costs one cheap pass, and it reads sideways text on its own; the text areas it did not read
 * well (a weak word, a hole in a line, a tilted line broken into pieces: toTextAreas) are then
 * read again as one block (PSM 6) with everything else blanked out, which reads cards, tables and
 * slightly tilted lines better. Callers keep the better reading and use the other as a backup.
 */
export async function readPage(
  worker: Worker,
  raw: RawImage,
  rotate: 0 | 90 | 180 | 270,
  onStage?: OnStage,
  minSide = 1400,
): Promise<Reading> {
  let t = performance.now();
  const img = await toOcrImage(raw, rotate, minSide);
  onStage?.('ocr.prep', performance.now() - t);
  t = performance.now();
  const res = await worker.recognize(img.pgm, {}, { blocks: true, text: false });
  onStage?.('ocr.layout', performance.now() - t);
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
  onStage?.(doubled ? 'ocr.block.doubled' : 'ocr.block', performance.now() - t);
  let blockLines = toLinesFromBlocks(block.data.blocks, { toDisplayed: (b) => img.toDisplayed(toOcr(b)) }, 0);
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
}

export interface TesseractReadOptions {
  maxSide: number;
  rotationRetry: boolean;
  rereadLines: boolean;
  onStage?: OnStage;
}

/** tesseract's page of one image, with the other reading kept as a backup. */
export async function readTesseractPage(
  worker: Worker,
  image: PreparedImage,
  raw: RawImage,
  signal: AbortSignal,
  recheck: readonly Finding[] | undefined,
  opts: TesseractReadOptions,
): Promise<{ page: OcrPage; other: OcrPage }> {
  const { maxSide, rotationRetry, rereadLines } = opts;
  const ctx = { image, signal, recheck };
  // A re-check reads the way the original was read; it does not search for a rotation again.
  const turn = ctx.recheck ? toRecheckRotation(ctx.recheck) : 0;
  let reading = await timed(opts.onStage, 'ocr', () => readPage(worker, raw, turn, opts.onStage));
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
    reading = await timed(opts.onStage, 'rotation', async () => {
      const small = await ctx.image.raw(Math.min(maxSide, 1000), 1);
      let best: { r: 90 | 270; score: number } | undefined;
      for (const r of [90, 270] as const) {
        ctx.signal.throwIfAborted();
        // A probe only has to tell which way the text runs: no upscaling past 1000 px.
        const score = toTextScore((await readPage(worker, small, r, opts.onStage, 1000)).best.lines);
        if (score > Math.max(6, score0 * 2) && (!best || score > best.score)) best = { r, score };
      }
      return best ? readPage(worker, raw, best.r, opts.onStage) : reading;
    });
    page = reading.best;
  }
  ctx.signal.throwIfAborted();
  if (rereadLines)
    page = await timed(opts.onStage, 'reread', () => rereadWeakLines(worker, raw, page, ctx.signal));
  if (page.rotation === 0) {
    const band = await timed(opts.onStage, 'mrz', () => readMrzBand(worker, raw, page));
    if (band.length > 0) page = toOcrPage([...page.lines.filter((l) => !isMrzCandidate(l)), ...band]);
  }
  return { page, other: reading.other };
}
