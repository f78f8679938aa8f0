// Box arithmetic shared by the analyzers. Pure.
import type { Region } from '../../types.ts';

/** The area two boxes share (0 when they only touch or are apart). */
export function intersectionArea(a: Region, b: Region): number {
  const ix = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const iy = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return ix > 0 && iy > 0 ? ix * iy : 0;
}

/** More than half of `r` lies inside `area`. */
export function isMostlyInside(r: Region, area: Region): boolean {
  return intersectionArea(r, area) > 0.5 * r.width * r.height;
}

/** The smallest box holding every box given. */
export function unionRegions(boxes: readonly Region[]): Region {
  const x0 = Math.min(...boxes.map((b) => b.x));
  const y0 = Math.min(...boxes.map((b) => b.y));
  const x1 = Math.max(...boxes.map((b) => b.x + b.width));
  const y1 = Math.max(...boxes.map((b) => b.y + b.height));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}
