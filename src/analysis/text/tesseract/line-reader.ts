// Second readings of parts of the page by tesseract: the MRZ band restricted to its alphabet, and
// weak lines where a value is expected, one by one.
import sharp from 'sharp';
import type { RawImage } from '../../../types.ts';
import { toMrzLine } from '../recognizers/mrz.ts';
import { toOcrPage } from '../page.ts';
import type { OcrLine, OcrPage } from '../page.ts';
import { toLinesFromBlocks, toPgm, toTextScore } from './ocr-image.ts';
import type { OcrImage } from './ocr-image.ts';
import type { Worker } from './worker.ts';

const MRZ_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<';

export function isMrzCandidate(line: OcrLine): boolean {
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
export async function readMrzBand(worker: Worker, raw: RawImage, page: OcrPage): Promise<OcrLine[]> {
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
export async function rereadWeakLines(
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
