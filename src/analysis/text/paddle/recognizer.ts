// PP-OCRv4 line recognition: batches of 48 px line crops through the CTC net, decoded greedily over
// the full character set and, for machine-readable zones, over A–Z 0–9 "<" only.
import { ort } from './models.ts';
import type { PaddleModels } from './models.ts';
import { toBatchData } from './line-crop.ts';
import type { LineCrop } from './line-crop.ts';

/** The height PP-OCRv4 rec reads. */
export const REC_HEIGHT = 48;

export interface DecodedChar {
  char: string;
  /** Probability of the chosen class. */
  p: number;
  /** Output step (each covers `stepWidth` crop pixels). */
  step: number;
  /** The runner-up inside the same alphabet and its probability (for check-digit repair). */
  alt?: { char: string; p: number };
  /** Highest probability of a space over the steps since the previous character. */
  space: number;
}

export interface LineReading {
  text: string;
  chars: DecodedChar[];
  /** Mean probability of the characters (0 when none). */
  confidence: number;
  /** Crop pixels per output step. */
  stepWidth: number;
  /** The same output decoded over the MRZ alphabet only. */
  mrz: DecodedChar[];
}

const MRZ_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<';

/** Greedy CTC decoding of a [steps × classes] slice over the classes in `allowed` (all when undefined). */
function decode(
  probs: Float32Array,
  offset: number,
  steps: number,
  classes: number,
  charset: readonly string[],
  allowed?: readonly number[],
): DecodedChar[] {
  const out: DecodedChar[] = [];
  let prev = -1;
  let space = 0;
  for (let t = 0; t < steps; t++) {
    const row = offset + t * classes;
    space = Math.max(space, probs[row + classes - 1]!);
    let best = 0;
    let bestP = probs[row]!;
    let second = -1;
    let secondP = 0;
    const visit = (k: number): void => {
      const p = probs[row + k]!;
      if (p > bestP) {
        if (best !== 0) {
          second = best;
          secondP = bestP;
        }
        best = k;
        bestP = p;
      } else if (k !== 0 && p > secondP) {
        second = k;
        secondP = p;
      }
    };
    if (allowed) for (const k of allowed) visit(k);
    else for (let k = 1; k < classes; k++) visit(k);
    if (best !== 0 && best !== prev) {
      const c: DecodedChar = { char: charset[best] ?? '', p: bestP, step: t, space };
      space = 0;
      if (second > 0) c.alt = { char: charset[second] ?? '', p: secondP };
      out.push(c);
    }
    prev = best;
  }
  return out;
}

export interface Recognizer {
  /** Reads every crop (batched by width); results in the crops' order. */
  read(crops: readonly LineCrop[]): Promise<LineReading[]>;
}

/** Widths within a batch differ by at most this factor (padding costs compute). */
const BATCH_SPREAD = 1.5;
const BATCH_SIZE = 6;

export function createRecognizer(models: PaddleModels): Recognizer {
  const { rec, charset } = models;
  const mrzClasses = [...MRZ_ALPHABET].map((ch) => charset.indexOf(ch)).filter((k) => k > 0);
  return {
    async read(crops) {
      const order = crops.map((c, i) => ({ c, i })).sort((a, b) => a.c.width - b.c.width);
      const out: LineReading[] = new Array<LineReading>(crops.length);
      let k = 0;
      while (k < order.length) {
        const first = order[k]!;
        let end = k + 1;
        while (
          end < order.length &&
          end - k < BATCH_SIZE &&
          order[end]!.c.width <= first.c.width * BATCH_SPREAD
        )
          end++;
        const batch = order.slice(k, end);
        const width = Math.ceil(Math.max(...batch.map((b) => b.c.width)) / 8) * 8;
        const data = toBatchData(
          batch.map((b) => b.c),
          width,
          REC_HEIGHT,
        );
        const feeds = {
          [rec.inputNames[0]!]: new ort.Tensor('float32', data, [batch.length, 3, REC_HEIGHT, width]),
        };
        const result = await rec.run(feeds);
        const output = result[rec.outputNames[0]!]!;
        const [, steps, classes] = output.dims as [number, number, number];
        const probs = output.data as Float32Array;
        batch.forEach((b, j) => {
          const offset = j * steps * classes;
          // Steps past the crop's own width read the padding.
          const own = Math.min(steps, Math.ceil((b.c.width / width) * steps) + 1);
          const chars = decode(probs, offset, own, classes, charset);
          const text = chars.map((c) => c.char).join('');
          out[b.i] = {
            text,
            chars,
            confidence: chars.length === 0 ? 0 : chars.reduce((a, c) => a + c.p, 0) / chars.length,
            stepWidth: width / steps,
            mrz: decode(probs, offset, own, classes, charset, mrzClasses),
          };
        });
        output.dispose();
        k = end;
      }
      return out;
    },
  };
}

/**
 * Which crops are upside down, by the direction classifier (48 × 192 input, classes 0° and 180°);
 * `true` where 180° wins with at least `minP`.
 */
export async function classifyUpsideDown(
  models: PaddleModels,
  crops: readonly LineCrop[],
  minP = 0.9,
): Promise<boolean[]> {
  if (crops.length === 0) return [];
  const { cls } = models;
  const width = 192;
  const out: boolean[] = [];
  for (let k = 0; k < crops.length; k += 16) {
    const batch = crops.slice(k, k + 16).map((c) => squeezeTo(c, width));
    const data = toBatchData(batch, width, REC_HEIGHT);
    const feeds = {
      [cls.inputNames[0]!]: new ort.Tensor('float32', data, [batch.length, 3, REC_HEIGHT, width]),
    };
    const result = await cls.run(feeds);
    const output = result[cls.outputNames[0]!]!;
    const p = output.data as Float32Array;
    for (let j = 0; j < batch.length; j++) out.push(p[j * 2 + 1]! >= minP);
    output.dispose();
  }
  return out;
}

/** A crop narrowed to at most `width` columns (nearest column), as the classifier's input. */
function squeezeTo(crop: LineCrop, width: number): LineCrop {
  if (crop.width <= width) return crop;
  const gray = new Uint8Array(width * crop.height);
  for (let y = 0; y < crop.height; y++)
    for (let x = 0; x < width; x++)
      gray[y * width + x] = crop.gray[y * crop.width + Math.floor(((x + 0.5) * crop.width) / width)]!;
  return { gray, width, height: crop.height };
}
