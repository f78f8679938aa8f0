// Rows of digit groups (a card number's "5355 2203 2390 …"): the detector boxes each group apart, so
// a row of three or more group-sized boxes among a few boxes is a card's number line, before reading.
import type { Detection } from './detector.ts';
import { isSameLine } from './read-lines.ts';

/** A digit group's box: 3 to 6 glyphs, about 1.5 to 6 line heights long. */
const isGroupBox = (r: { width: number; height: number }): boolean =>
  r.width >= 1.5 * r.height && r.width <= 6 * r.height;

/** The boxes of `detection` in rows of three or more group-sized boxes side by side. */
export function toDigitGroupRows(detection: Detection): Detection {
  const boxes = detection.lines.filter((l) => isGroupBox(l.rect));
  // Rows as connected chains of boxes on one line (union-find over isSameLine).
  const parent = boxes.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++)
      if (isSameLine(boxes[i]!.rect, boxes[j]!.rect)) parent[find(i)] = find(j);
  const size = new Map<number, number>();
  boxes.forEach((_, i) => size.set(find(i), (size.get(find(i)) ?? 0) + 1));
  return { ...detection, lines: boxes.filter((_, i) => size.get(find(i))! >= 3) };
}

/** Most boxes a photo of a card gives (its number's groups, name, expiry, network, bank). */
const CARD_BOXES = 15;

/** A few boxes with a row of digit groups: a photo of a card, whatever its flat background says. */
export function isCardLayout(detection: Detection): boolean {
  return detection.lines.length <= CARD_BOXES && toDigitGroupRows(detection).lines.length > 0;
}
