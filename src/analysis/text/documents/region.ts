// Where a document lies on the page: the lines that told what it is, grown to the lines around them,
// and whether it is bounded (no line of it runs out of the photo).
import type { Region } from '../../../types.ts';
import { unionRegions } from '../../image/regions.ts';
import type { OcrLine } from '../page.ts';

export interface DocumentArea {
  region: Region;
  /** Indexes of every page line inside the document. */
  lines: number[];
  /** False when a line of the document touches the photo's edge (cut by the frame). */
  bounded: boolean;
}

const centreIn = (b: Region, r: Region): boolean => {
  const cx = b.x + b.width / 2;
  const cy = b.y + b.height / 2;
  return cx >= r.x && cx <= r.x + r.width && cy >= r.y && cy <= r.y + r.height;
};

/** `r` grown by `k` of its size on every side. */
export function grow(r: Region, kx: number, ky = kx): Region {
  return {
    x: r.x - r.width * kx,
    y: r.y - r.height * ky,
    width: r.width * (1 + 2 * kx),
    height: r.height * (1 + 2 * ky),
  };
}

/**
 * The document around `anchors`: their union grown by a fifth (a card's margins and the fields the
 * rules did not name), every line whose centre falls inside it, twice (the grown box may reach more).
 */
export function toDocumentArea(
  lines: readonly OcrLine[],
  anchors: readonly number[],
  size: { width: number; height: number },
  extra: readonly Region[] = [],
): DocumentArea | undefined {
  const boxes = [...anchors.map((i) => lines[i]?.box).filter((b): b is Region => b !== undefined), ...extra];
  if (boxes.length === 0) return undefined;
  let region = unionRegions(boxes);
  let inside: number[] = [];
  for (let pass = 0; pass < 2; pass++) {
    const area = grow(region, 0.2, 0.25);
    inside = lines.flatMap((l, i) => (centreIn(l.box, area) ? [i] : []));
    region = unionRegions([region, ...inside.map((i) => lines[i]!.box)]);
  }
  const edge = 1;
  const bounded = !inside.some((i) => {
    const b = lines[i]!.box;
    const real = lines[i]!.words.some((w) => /[A-Za-z0-9]{3}/.test(w.text) && w.confidence >= 60);
    return (
      real &&
      (b.x <= edge ||
        b.y <= edge ||
        b.x + b.width >= size.width - edge ||
        b.y + b.height >= size.height - edge)
    );
  });
  return { region, lines: inside, bounded };
}
