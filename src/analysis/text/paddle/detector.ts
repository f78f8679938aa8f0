// Text-line detection with PP-OCRv4's DB net: a probability map of a ≈ 960 px copy, thresholded into
// connected regions, each turned into a rotated rectangle in the source copy's pixels.
import sharp from 'sharp';
import type { RawImage } from '../../../types.ts';
import { minAreaRect, scaleRect, unclipRect } from './geometry.ts';
import type { Point, RotatedRect } from './geometry.ts';
import { ort } from './models.ts';

export interface DetectedLine {
  /** In the pixels of the copy given to `detectLines`. */
  rect: RotatedRect;
  /** Mean text probability over the region. */
  score: number;
}

export interface DetectOptions {
  /** Long side of the map (default 960; small images are upscaled to it). */
  side?: number;
  /** Probability from which a map pixel is text (DB's default 0.3). */
  threshold?: number;
  /** Mean probability a region needs (DB's default 0.6). */
  boxThreshold?: number;
  /** How far DB's shrunk regions are grown back (DB's default 1.5). */
  unclipRatio?: number;
}

export interface Detection {
  lines: DetectedLine[];
  /** Share of map pixels above the threshold (≈ 0.001 on a photo without text). */
  textShare: number;
}

/** ImageNet mean and deviation, in the BGR order PaddleOCR feeds its models. */
const MEAN = [0.406, 0.456, 0.485];
const STD = [0.225, 0.224, 0.229];

/** The copy's size for the net: long side `side`, both sides multiples of 32. */
function toMapSize(w: number, h: number, side: number): { width: number; height: number } {
  const k = side / Math.max(w, h);
  const round32 = (v: number): number => Math.max(32, Math.round((v * k) / 32) * 32);
  return { width: round32(w), height: round32(h) };
}

/** Planar, normalised BGR input of the net from an RGB(A) copy. */
async function toInput(raw: RawImage, width: number, height: number): Promise<Float32Array> {
  const { data } = await sharp(raw.data, {
    raw: { width: raw.width, height: raw.height, channels: raw.channels },
  })
    .resize({ width, height, fit: 'fill', kernel: 'linear' })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const n = width * height;
  const out = new Float32Array(3 * n);
  const ch = data.length / n;
  for (let c = 0; c < 3; c++) {
    // Channel c of the BGR planes is RGB channel 2 − c (a grey copy has one channel for all three).
    const src = ch === 1 ? 0 : 2 - c;
    const scale = 1 / (255 * STD[c]!);
    const shift = MEAN[c]! / STD[c]!;
    const plane = c * n;
    for (let i = 0, j = src; i < n; i++, j += ch) out[plane + i] = data[j]! * scale - shift;
  }
  return out;
}

/** Connected regions (8-neighbour) of the thresholded map, as their outline points and mean probability. */
function toRegions(
  map: Float32Array,
  w: number,
  h: number,
  threshold: number,
): { points: Point[]; score: number; size: number }[] {
  const label = new Int32Array(w * h);
  const out: { points: Point[]; score: number; size: number }[] = [];
  const stack: number[] = [];
  let next = 0;
  for (let start = 0; start < w * h; start++) {
    if (label[start] !== 0 || map[start]! <= threshold) continue;
    next++;
    label[start] = next;
    stack.push(start);
    let sum = 0;
    let size = 0;
    // Per-row extremes: their hull is the region's hull.
    const rowMin = new Map<number, number>();
    const rowMax = new Map<number, number>();
    while (stack.length > 0) {
      const p = stack.pop()!;
      const x = p % w;
      const y = (p - x) / w;
      sum += map[p]!;
      size++;
      if ((rowMin.get(y) ?? Infinity) > x) rowMin.set(y, x);
      if ((rowMax.get(y) ?? -Infinity) < x) rowMax.set(y, x);
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= w) continue;
          const q = yy * w + xx;
          if (label[q] === 0 && map[q]! > threshold) {
            label[q] = next;
            stack.push(q);
          }
        }
      }
    }
    const points: Point[] = [];
    for (const [y, x0] of rowMin) {
      const x1 = rowMax.get(y)!;
      points.push({ x: x0, y }, { x: x0, y: y + 1 }, { x: x1 + 1, y }, { x: x1 + 1, y: y + 1 });
    }
    out.push({ points, score: sum / size, size });
  }
  return out;
}

/** Text lines of `raw` (rotated rectangles in its pixels). */
export async function detectLines(
  session: ort.InferenceSession,
  raw: RawImage,
  opts: DetectOptions = {},
): Promise<Detection> {
  const { width, height } = toMapSize(raw.width, raw.height, opts.side ?? 960);
  const input = await toInput(raw, width, height);
  const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', input, [1, 3, height, width]) };
  const result = await session.run(feeds);
  const output = result[session.outputNames[0]!]!;
  const map = output.data as Float32Array;
  const threshold = opts.threshold ?? 0.3;
  let lit = 0;
  for (let i = 0; i < map.length; i++) if (map[i]! > threshold) lit++;
  const textShare = lit / map.length;
  const lines: DetectedLine[] = [];
  if (lit > 0) {
    const sx = raw.width / width;
    const sy = raw.height / height;
    for (const region of toRegions(map, width, height, threshold)) {
      if (region.size < 6 || region.score < (opts.boxThreshold ?? 0.6)) continue;
      const shrunk = minAreaRect(region.points);
      if (Math.min(shrunk.width, shrunk.height) < 2) continue;
      const grown = unclipRect(shrunk, opts.unclipRatio ?? 1.5);
      if (grown.height < 4) continue;
      lines.push({ rect: scaleRect(grown, sx, sy), score: region.score });
    }
  }
  output.dispose();
  return { lines, textShare };
}
