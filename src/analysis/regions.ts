// Box arithmetic shared by the analyzers. Pure.
import type { Region } from '../types.ts';

/** The smallest box holding every box given. */
export function unionRegions(boxes: readonly Region[]): Region {
  const x0 = Math.min(...boxes.map((b) => b.x));
  const y0 = Math.min(...boxes.map((b) => b.y));
  const x1 = Math.max(...boxes.map((b) => b.x + b.width));
  const y1 = Math.max(...boxes.map((b) => b.y + b.height));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}
