// The copy tesseract reads (grey, upscaled when small, CLAHE on photos, negative for dark screens)
// and its block → line → word results as OCR lines in displayed pixels.
import sharp from 'sharp';
import type { Block } from 'tesseract.js';
import type { RawImage, Region } from '../../../types.ts';
import type { OcrLine, OcrWord } from '../page.ts';
import { clahe } from '../clahe.ts';
import { unionRegions } from '../../image/regions.ts';

/** Share of sampled horizontal neighbour pairs that differ by at most 2 grey levels. */
export function flatShare(data: Uint8Array, w: number, h: number): number {
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
export function toPgm(data: Buffer, width: number, height: number): Buffer {
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
export async function toOcrImage(
  raw: RawImage,
  rotate: 0 | 90 | 180 | 270,
  minSide: number,
): Promise<OcrImage> {
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

/** Blocks → paragraphs → lines → words, as lines of words in displayed pixels. */
export function toLinesFromBlocks(
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

/** A confident word that looks like a word (three letters or digits). */
export const isConfident = (w: OcrWord): boolean => w.confidence >= 70 && /[A-Za-z]{3,}|\d{3,}/.test(w.text);

/** Confident words that look like words: a rotated page gives junk with low confidence. */
export function toTextScore(lines: OcrLine[]): number {
  return lines.reduce((n, l) => n + l.words.filter(isConfident).length, 0);
}
