// Straightened line crops: a rotated rectangle cut from a decoded copy by bilinear sampling, scaled to
// the reader's height, as the planar normalised tensor data PP-OCR's readers take.
import type { RawImage } from '../../../types.ts';
import type { RotatedRect } from './geometry.ts';

export interface LineCrop {
  /** Grey levels, `width` × `height`, row by row. */
  gray: Uint8Array;
  width: number;
  height: number;
}

/** The rectangle sampled upright at `height` px (width keeps the aspect, at most `maxWidth`). */
export function cropLine(raw: RawImage, rect: RotatedRect, height: number, maxWidth: number): LineCrop {
  const width = Math.max(8, Math.min(maxWidth, Math.round((rect.width / Math.max(1, rect.height)) * height)));
  const gray = new Uint8Array(width * height);
  const c = Math.cos(rect.angle);
  const s = Math.sin(rect.angle);
  const ku = rect.width / width;
  const kv = rect.height / height;
  const ch = raw.channels;
  const { data } = raw;
  const W = raw.width;
  const H = raw.height;
  const at = (x: number, y: number): number => {
    const i = (y * W + x) * ch;
    // Luma from RGB (BT.601), or the grey channel.
    return ch === 1 ? data[i]! : 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
  };
  for (let v = 0; v < height; v++) {
    const dv = (v + 0.5) * kv - rect.height / 2;
    for (let u = 0; u < width; u++) {
      const du = (u + 0.5) * ku - rect.width / 2;
      const x = rect.cx + du * c - dv * s - 0.5;
      const y = rect.cy + du * s + dv * c - 0.5;
      const x0 = Math.max(0, Math.min(W - 1, Math.floor(x)));
      const y0 = Math.max(0, Math.min(H - 1, Math.floor(y)));
      const x1 = Math.min(W - 1, x0 + 1);
      const y1 = Math.min(H - 1, y0 + 1);
      const fx = Math.max(0, Math.min(1, x - x0));
      const fy = Math.max(0, Math.min(1, y - y0));
      const top = at(x0, y0) * (1 - fx) + at(x1, y0) * fx;
      const bottom = at(x0, y1) * (1 - fx) + at(x1, y1) * fx;
      gray[v * width + u] = Math.round(top * (1 - fy) + bottom * fy);
    }
  }
  return { gray, width, height };
}

/** The crop turned half a turn (an upside-down line). */
export function rotateHalf(crop: LineCrop): LineCrop {
  return { ...crop, gray: crop.gray.slice().reverse() };
}

/** The crop in negative (light text on a dark ground becomes dark on light). */
export function invert(crop: LineCrop): LineCrop {
  return { ...crop, gray: crop.gray.map((v) => 255 - v) };
}

/**
 * Light text on a dark ground: the crop's middle band (where the glyphs are) is darker on average
 * than its top and bottom rows only when the text is dark; the median of the border rows under 100
 * and the band brighter than them says the ground is dark.
 */
export function isLightOnDark(crop: LineCrop): boolean {
  const { gray, width, height } = crop;
  const rows = Math.max(1, Math.floor(height / 8));
  const border: number[] = [];
  for (let y = 0; y < height; y++) {
    if (y >= rows && y < height - rows) continue;
    for (let x = 0; x < width; x += 2) border.push(gray[y * width + x]!);
  }
  border.sort((a, b) => a - b);
  const ground = border[Math.floor(border.length / 2)] ?? 255;
  let band = 0;
  let n = 0;
  for (let y = Math.floor(height / 3); y < Math.ceil((2 * height) / 3); y++)
    for (let x = 0; x < width; x += 2) {
      band += gray[y * width + x]!;
      n++;
    }
  return ground < 110 && band / Math.max(1, n) > ground + 8;
}

/**
 * Crops as one batch tensor's data: (v / 255 − 0.5) / 0.5 on three equal planes, each crop padded
 * to `width` with 0 (mid grey), as PaddleOCR pads its batches.
 */
export function toBatchData(crops: readonly LineCrop[], width: number, height: number): Float32Array {
  const plane = width * height;
  const out = new Float32Array(crops.length * 3 * plane);
  crops.forEach((crop, b) => {
    const base = b * 3 * plane;
    const w = Math.min(width, crop.width);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < w; x++) {
        const v = crop.gray[y * crop.width + x]! / 127.5 - 1;
        const i = base + y * width + x;
        out[i] = v;
        out[i + plane] = v;
        out[i + 2 * plane] = v;
      }
  });
  return out;
}
