// The MRZ band around an MRZ-looking line: the rows beside it (same direction, same left margin,
// one line pitch apart, printed in the MRZ alphabet, even without fillers), short rows re-cut to the
// band's full width and re-read (the detector often stops where faint "<<<<" fillers start), and a
// row the detector missed looked for one pitch above or below. Cuts come from the decoded copy the
// lines were read on.
import type { RawImage } from '../../types.ts';
import { toCorners, rectAlong, toRectFrame } from './paddle/geometry.ts';
import type { RotatedRect } from './paddle/geometry.ts';
import type { PaddleModels } from './paddle/models.ts';
import { readDetected } from './paddle/read-lines.ts';
import type { PaddleLine } from './paddle/read-lines.ts';
import type { Recognizer } from './paddle/recognizer.ts';
import { toLicenceMrz } from './recognizers/mrz-licence.ts';

/** Reads one rotated rectangle of the copy into lines. */
export type ReadRect = (rect: RotatedRect) => Promise<PaddleLine[]>;

/**
 * A detected box worth reading for the band of the MRZ lines `anchors`: on one of their rows, or
 * within three rows of one and starting at its left end (a short row, a row without fillers).
 */
export function isNearMrzRow(r: RotatedRect, anchors: readonly RotatedRect[]): boolean {
  return anchors.some((q) => {
    const f = inFrame(q, r);
    const rows = Math.abs(f.across) / q.height;
    return rows < 0.5 || (rows < 3.5 && Math.abs(f.left + q.width / 2) < 2 * q.height);
  });
}

/** A reader of single rectangles through PP-OCR (direction and polarity as for detected lines). */
export function toRectReader(
  models: PaddleModels,
  recognizer: Recognizer,
  raw: RawImage,
  displayed: { width: number; height: number },
): ReadRect {
  return (rect) => {
    return readDetected(models, recognizer, raw, { lines: [{ rect, score: 1 }], textShare: 0 }, displayed);
  };
}

/** The line's rectangle in the copy's pixels (its boxes spanned along their axis). */
export function toLineRect(l: PaddleLine): RotatedRect {
  const first = l.segments[0]!.rect;
  return l.segments.length === 1
    ? first
    : rectAlong(
        l.segments.flatMap((s) => toCorners(s.rect)),
        first.angle,
      );
}

/** The line over the MRZ alphabet. */
export const toMrzText = (l: PaddleLine): string =>
  l.segments.flatMap((s) => s.reading.mrz.map((c) => c.char)).join('');

/** Capitals, digits and fillers only (at least 90 % of the characters), eight or more of them. */
function isBandText(l: PaddleLine): boolean {
  const plain = l.line.words.map((w) => w.text).join('');
  if (/[a-z]/.test(plain) || toMrzText(l).length < 8) return false;
  return (plain.match(/[A-Z0-9<«]/g) ?? []).length >= 0.9 * plain.length;
}

const meanP = (l: PaddleLine): number => {
  const cs = l.segments.flatMap((s) => s.reading.mrz);
  return cs.reduce((a, c) => a + c.p, 0) / Math.max(1, cs.length);
};

/** Where `r` sits in the frame of `a`: along its axis (left and right ends) and across it. */
function inFrame(a: RotatedRect, r: RotatedRect): { left: number; right: number; across: number } {
  const { along, across } = toRectFrame(a, r.cx, r.cy);
  return { left: along - r.width / 2, right: along + r.width / 2, across };
}

/** The rectangle in the frame of `a` from `left` to `right` along it, `across` off its axis. */
function toRect(a: RotatedRect, left: number, right: number, across: number, height: number): RotatedRect {
  const c = Math.cos(a.angle);
  const s = Math.sin(a.angle);
  const mid = (left + right) / 2;
  return {
    cx: a.cx + mid * c - across * s,
    cy: a.cy + mid * s + across * c,
    width: right - left,
    height,
    angle: a.angle,
  };
}

const angleGap = (a: number, b: number): number => {
  const d = Math.abs(a - b) % Math.PI;
  return Math.min(d, Math.PI - d);
};

/** Rows of the band around `anchor`, top to bottom (at most three). */
function toBandRows(anchor: PaddleLine, lines: readonly PaddleLine[]): PaddleLine[] {
  const a = toLineRect(anchor);
  const h = a.height;
  const rows = [anchor];
  const at = new Map<PaddleLine, ReturnType<typeof inFrame>>([[anchor, inFrame(a, a)]]);
  for (let grown = true; grown && rows.length < 3;) {
    grown = false;
    const left = Math.min(...rows.map((r) => at.get(r)!.left));
    for (const l of lines) {
      if (rows.includes(l) || !isBandText(l)) continue;
      const r = toLineRect(l);
      if (angleGap(r.angle, a.angle) > 0.06 || r.height < 0.65 * h || r.height > 1.5 * h) continue;
      const f = inFrame(a, r);
      if (Math.abs(f.left - left) > 2 * h) continue;
      const gaps = rows.map((m) => Math.abs(f.across - at.get(m)!.across));
      if (Math.min(...gaps) < 0.6 * h || !gaps.some((g) => g <= 2.3 * h)) continue;
      rows.push(l);
      at.set(l, f);
      grown = true;
      break;
    }
  }
  return rows.sort((p, q) => at.get(p)!.across - at.get(q)!.across);
}

/** Most bands completed per image (a document has one MRZ; a page with several is rare). */
const MAX_BANDS = 3;

/** The layout's line length for a row read with `length` characters: 44, 36 or 30. */
const toLayoutLength = (length: number): number => (length >= 40 ? 44 : length >= 33 ? 36 : 30);

/** Rows a band of this length has: 2 × 44, 2 × 36, 3 × 30. */
const toRowCount = (length: number): number => (length >= 33 ? 2 : 3);

/**
 * The MRZ bands among `lines` (each anchored on a line `isAnchor` accepts), completed and re-read as
 * above unless `isComplete` says the band as read already verifies (or no `read` is given); `lines`
 * with the re-read rows in place of the old ones and the found rows added, and whether every band
 * verified as read.
 */
export async function findMrzBands(
  lines: readonly PaddleLine[],
  isAnchor: (l: PaddleLine) => boolean,
  read: ReadRect | undefined,
  bounds: { width: number; height: number },
  isComplete: (rows: readonly PaddleLine[]) => boolean,
): Promise<{ lines: PaddleLine[]; bands: PaddleLine[][]; complete: boolean }> {
  let out = [...lines];
  let complete = true;
  const bands: PaddleLine[][] = [];
  // Lines printed in the MRZ alphabet first (a label joined to a row's fillers is not one), the
  // longest first.
  const anchors = lines
    .filter(isAnchor)
    .sort(
      (p, q) => Number(isBandText(q)) - Number(isBandText(p)) || toMrzText(q).length - toMrzText(p).length,
    );
  const inside = (r: RotatedRect): boolean =>
    r.cy > 0 && r.cy < bounds.height && r.cx > 0 && r.cx < bounds.width;
  for (const anchor of anchors) {
    if (bands.length >= MAX_BANDS) break;
    if (bands.some((b) => b.includes(anchor))) continue;
    let rows = toBandRows(
      anchor,
      out.filter((l) => !bands.some((b) => b.includes(l))),
    );
    // A band whose check digits verify as read, or a driving licence's one-line MRZ that does, is
    // complete: no cut is read again.
    if (isComplete(rows) || (rows.length === 1 && toLicenceMrz(toMrzText(anchor))?.valid)) {
      bands.push(rows);
      continue;
    }
    // Nothing is re-read without a reader, nor for a line that is not all MRZ alphabet (a label
    // joined to a row's fillers).
    complete = false;
    if (!read || !isBandText(anchor)) {
      bands.push(rows);
      continue;
    }
    const a = toLineRect(anchor);
    const h = a.height;
    const frames = rows.map((r) => inFrame(a, toLineRect(r)));
    const left = Math.min(...frames.map((f) => f.left));
    // The band's width: its widest row, or the layout's length at the pitch of the row read with
    // the most characters when every row stopped short (faint fillers at the end of each).
    const longest = rows.reduce((p, q) => (toMrzText(q).length > toMrzText(p).length ? q : p));
    const k = rows.indexOf(longest);
    const pitch = (frames[k]!.right - frames[k]!.left) / Math.max(1, toMrzText(longest).length);
    const right = Math.max(
      ...frames.map((f) => f.right),
      left + toLayoutLength(toMrzText(longest).length) * pitch + 0.5 * h,
    );
    // Short rows re-cut to the band's width.
    for (let i = 0; i < rows.length; i++) {
      const f = frames[i]!;
      if (f.right - f.left > right - left - h) continue;
      const again = (await read(toRect(a, left, right, f.across, toLineRect(rows[i]!).height))).filter(
        isBandText,
      );
      const best = again.sort((p, q) => toMrzText(q).length - toMrzText(p).length)[0];
      if (!best || toMrzText(best).length <= toMrzText(rows[i]!).length) continue;
      out = out.map((l) => (l === rows[i] ? best : l));
      rows = rows.map((l) => (l === rows[i] ? best : l));
    }
    // Missing rows, one pitch above the top row or below the bottom one.
    const length = Math.max(...rows.map((r) => toMrzText(r).length));
    for (let k = 0; k < 2 && rows.length < toRowCount(length); k++) {
      const across = rows.map((r) => inFrame(a, toLineRect(r)).across);
      const pitches =
        rows.length >= 2
          ? [(across[across.length - 1]! - across[0]!) / (rows.length - 1)]
          : [1, 1.25, 1.5, 1.75].map((x) => x * h);
      let found: { line: PaddleLine; score: number; top: boolean } | undefined;
      for (const p of pitches)
        for (const top of [true, false]) {
          const rect = toRect(a, left, right, top ? across[0]! - p : across[across.length - 1]! + p, h);
          if (!inside(rect)) continue;
          for (const l of await read(rect)) {
            if (!isBandText(l) || toMrzText(l).length < 0.6 * length) continue;
            const score = meanP(l) * Math.min(1, toMrzText(l).length / length);
            if (!found || score > found.score) found = { line: l, score, top };
          }
        }
      if (!found || found.score < 0.6) break;
      rows = found.top ? [found.line, ...rows] : [...rows, found.line];
      out.push(found.line);
    }
    bands.push(rows);
  }
  return { lines: out, bands, complete };
}
