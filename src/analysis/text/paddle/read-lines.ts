// Detected boxes → straightened crops → direction and polarity fixed → PP-OCR reading → OCR lines
// (boxes that sit side by side on one axis become one line of words), in displayed pixels.
import type { RawImage, Region } from '../../../types.ts';
import type { OcrLine, OcrWord } from '../page.ts';
import { unionRegions } from '../../image/regions.ts';
import type { Detection } from './detector.ts';
import { fromRectFrame, rectAlong, toAxisBox, toCorners, toRectFrame } from './geometry.ts';
import type { Point, RotatedRect } from './geometry.ts';
import { cropLine, invert, isLightOnDark, rotateHalf } from './line-crop.ts';
import type { LineCrop } from './line-crop.ts';
import type { PaddleModels } from './models.ts';
import { REC_HEIGHT, classifyUpsideDown } from './recognizer.ts';
import type { DecodedChar, LineReading, Recognizer } from './recognizer.ts';

/** One detected box as read. */
export interface Segment {
  /** In the pixels of the copy read. */
  rect: RotatedRect;
  /** Read half a turn round (the classifier said upside down). */
  flipped: boolean;
  inverted: boolean;
  reading: LineReading;
  crop: LineCrop;
}

/** A line of the page and the boxes it was read from, left to right. */
export interface PaddleLine {
  line: OcrLine;
  segments: Segment[];
}

/** Extra length given to a box, in line heights (half at each end). */
const END_PAD = 0.2;

/** Widest crop read (a 44-character MRZ line at 48 px is ≈ 1300 px). */
const MAX_CROP_WIDTH = 2000;
/** Most boxes read per image (a dense page has hundreds; it goes to tesseract before this). */
export const MAX_SEGMENTS = 160;

/** A point of a segment's crop (crop pixels) in displayed pixels. */
function toDisplayedPoint(seg: Segment, u: number, v: number, scale: number): Point {
  const k = seg.rect.width / seg.crop.width;
  const kv = seg.rect.height / seg.crop.height;
  // A flipped crop runs from the rectangle's far end.
  const uu = seg.flipped ? seg.rect.width - u * k : u * k;
  const vv = seg.flipped ? seg.rect.height - v * kv : v * kv;
  const p = fromRectFrame(seg.rect, uu, vv);
  return { x: p.x * scale, y: p.y * scale };
}

/**
 * The reader often leaves out a word space ("IBANFR76…", "Carte4242…") that it did consider: a
 * space probability of at least SPACE_P between two characters is a word break.
 */
export function toWordBreaks(chars: readonly DecodedChar[]): boolean[] {
  return chars.map((c, i) => c.char === ' ' || (i > 0 && c.space >= SPACE_P));
}

const SPACE_P = 0.05;

/** A segment's words (split on spaces), each boxed by the crop columns its characters were read at. */
export function toWords(seg: Segment, scale: number, width: number, height: number): OcrWord[] {
  const { chars, stepWidth } = seg.reading;
  const breaks = toWordBreaks(chars);
  const parts: DecodedChar[][] = [];
  chars.forEach((c, i) => {
    if (breaks[i] || parts.length === 0) parts.push([]);
    if (c.char !== ' ') parts[parts.length - 1]!.push(c);
  });
  const words: OcrWord[] = [];
  for (const part of parts) {
    if (part.length === 0) continue;
    const u0 = Math.max(0, (part[0]!.step - 0.5) * stepWidth);
    const u1 = Math.min(seg.crop.width, (part[part.length - 1]!.step + 1.5) * stepWidth);
    const corners = [
      toDisplayedPoint(seg, u0, 0, scale),
      toDisplayedPoint(seg, u1, 0, scale),
      toDisplayedPoint(seg, u1, seg.crop.height, scale),
      toDisplayedPoint(seg, u0, seg.crop.height, scale),
    ];
    words.push({
      text: part.map((c) => c.char).join(''),
      confidence: (100 * part.reduce((a, c) => a + c.p, 0)) / part.length,
      box: toAxisBox(corners, width, height),
    });
  }
  return words;
}

/** Two boxes on one text line: same direction, same height, centres on one axis, a small gap. */
export function isSameLine(a: RotatedRect, b: RotatedRect): boolean {
  const dAngle = Math.abs(a.angle - b.angle);
  if (Math.min(dAngle, Math.PI - dAngle) > 0.09) return false;
  const h = Math.max(a.height, b.height);
  if (Math.min(a.height, b.height) < h / 1.6) return false;
  const { along, across } = toRectFrame(a, b.cx, b.cy);
  if (Math.abs(across) > 0.35 * h) return false;
  const gap = Math.abs(along) - (a.width + b.width) / 2;
  return gap < 1.2 * h;
}

/** Segments grouped into lines (union-find over isSameLine), each ordered along its axis. */
function toLineGroups(segs: readonly Segment[]): Segment[][] {
  const parent = segs.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  for (let i = 0; i < segs.length; i++)
    for (let j = i + 1; j < segs.length; j++)
      if (isSameLine(segs[i]!.rect, segs[j]!.rect)) parent[find(i)] = find(j);
  const groups = new Map<number, Segment[]>();
  segs.forEach((s, i) => {
    const r = find(i);
    groups.set(r, [...(groups.get(r) ?? []), s]);
  });
  return [...groups.values()].map((g) => {
    const a = g[0]!.rect.angle;
    const flipped = g.filter((s) => s.flipped).length * 2 > g.length;
    const key = (s: Segment): number =>
      (s.rect.cx * Math.cos(a) + s.rect.cy * Math.sin(a)) * (flipped ? -1 : 1);
    return [...g].sort((p, q) => key(p) - key(q));
  });
}

/** Reads the detected boxes of `raw` into lines of words (displayed pixels). */
export async function readDetected(
  models: PaddleModels,
  recognizer: Recognizer,
  raw: RawImage,
  detection: Detection,
  displayed: { width: number; height: number },
): Promise<PaddleLine[]> {
  // A little room at both ends: the detector's box can clip a line's first character ("I<MCO…").
  const rects = detection.lines
    .map((l) => ({ ...l.rect, width: l.rect.width + END_PAD * l.rect.height }))
    .sort((a, b) => b.width * b.height - a.width * a.height)
    .slice(0, MAX_SEGMENTS);
  if (rects.length === 0) return [];
  const upright = rects.map((r) => cropLine(raw, r, REC_HEIGHT, MAX_CROP_WIDTH));
  const inverted = upright.map(isLightOnDark);
  const crops = upright.map((c, i) => (inverted[i] ? invert(c) : c));
  // The classifier's "upside down" is a hint, not a verdict (it flagged upright card digits): a
  // flagged box is read both ways and the more confident reading wins.
  const hinted = await classifyUpsideDown(models, crops);
  const turned = crops.flatMap((c, i) => (hinted[i] ? [rotateHalf(c)] : []));
  const both = await recognizer.read([...crops, ...turned]);
  const readings = both.slice(0, crops.length);
  const flipped = crops.map(() => false);
  let t = crops.length;
  hinted.forEach((h, i) => {
    if (!h) return;
    const other = both[t++]!;
    if (other.confidence > readings[i]!.confidence) {
      readings[i] = other;
      flipped[i] = true;
      crops[i] = rotateHalf(crops[i]!);
    }
  });
  const segs: Segment[] = rects.map((rect, i) => ({
    rect,
    flipped: flipped[i] ?? false,
    inverted: inverted[i] ?? false,
    reading: readings[i]!,
    crop: crops[i]!,
  }));
  const groups = await rereadWeakDigitRows(
    raw,
    recognizer,
    toLineGroups(segs.filter((s) => s.reading.text.trim().length > 0)),
  );
  const out: PaddleLine[] = [];
  for (const group of groups) {
    const words = group.flatMap((s) => toWords(s, raw.scale, displayed.width, displayed.height));
    if (words.length === 0) continue;
    const quad = toCorners(group.length === 1 ? group[0]!.rect : spanRect(group)).map((p) => ({
      x: p.x * raw.scale,
      y: p.y * raw.scale,
    }));
    const box: Region = unionRegions(words.map((w) => w.box));
    const angle = (group[0]!.rect.angle * 180) / Math.PI + (group[0]!.flipped ? 180 : 0);
    out.push({ line: { words, box, quad, angle, reader: 'paddle' }, segments: group });
  }
  // Reading order: top to bottom by the line's centre.
  return out.sort((a, b) => a.line.box.y + a.line.box.height / 2 - (b.line.box.y + b.line.box.height / 2));
}

/** A box read this unsure (mean character probability) gets a second look with its row. */
export const WEAK_READING = 0.8;

/** Mostly digits: a card number's, an account's or a code's groups (an MRZ row, with fillers, is the MRZ path's). */
const isDigitText = (t: string): boolean => {
  const chars = t.replace(/\s/g, '');
  return chars.length > 0 && !chars.includes('<') && (chars.match(/\d/g) ?? []).length >= 0.6 * chars.length;
};

/**
 * A second look at a row of digit groups with a weak group ("□O00" between "7500" and "0002"): the
 * whole row read as one crop gives the reader the neighbouring digits' context; that reading is kept
 * when it is surer than the groups' mean. One extra read per such row, none on other lines.
 */
async function rereadWeakDigitRows(
  raw: RawImage,
  recognizer: Recognizer,
  groups: Segment[][],
): Promise<Segment[][]> {
  const weak = groups.filter(
    (g) =>
      g.length >= 2 &&
      g.some((s) => s.reading.confidence < WEAK_READING) &&
      isDigitText(g.map((s) => s.reading.text).join('')),
  );
  if (weak.length === 0) return groups;
  const rows = weak.map((g) => {
    const rect = spanRect(g);
    const flipped = g.filter((s) => s.flipped).length * 2 > g.length;
    const inverted = g.filter((s) => s.inverted).length * 2 > g.length;
    let crop = cropLine(raw, rect, REC_HEIGHT, MAX_CROP_WIDTH);
    if (inverted) crop = invert(crop);
    if (flipped) crop = rotateHalf(crop);
    return { rect, flipped, inverted, crop };
  });
  const readings = await recognizer.read(rows.map((r) => r.crop));
  return groups.map((g) => {
    const k = weak.indexOf(g);
    if (k < 0) return g;
    const reading = readings[k]!;
    const mean = g.reduce((a, s) => a + s.reading.confidence, 0) / g.length;
    return reading.confidence > mean && isDigitText(reading.text) ? [{ ...rows[k]!, reading }] : g;
  });
}

/** The rectangle spanning a line's boxes along their common axis. */
function spanRect(group: readonly Segment[]): RotatedRect {
  return rectAlong(
    group.flatMap((seg) => toCorners(seg.rect)),
    group[0]!.rect.angle,
  );
}
