// Rotated rectangles for text lines: convex hull, minimum-area rectangle, growth and mapping.

export interface Point {
  x: number;
  y: number;
}

/**
 * A rotated rectangle: centre, `width` along the text (the longer side), `height` across it, and
 * `angle` (radians) of the width axis from +x, in (−π/2, π/2].
 */
export interface RotatedRect {
  cx: number;
  cy: number;
  width: number;
  height: number;
  angle: number;
}

const cross = (o: Point, a: Point, b: Point): number => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);

/** Convex hull (Andrew's monotone chain), counter-clockwise, no repeated end point. */
export function convexHull(points: readonly Point[]): Point[] {
  const p = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  if (p.length < 3) return p;
  const lower: Point[] = [];
  for (const q of p) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, q) <= 0)
      lower.pop();
    lower.push(q);
  }
  const upper: Point[] = [];
  for (let i = p.length - 1; i >= 0; i--) {
    const q = p[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, q) <= 0)
      upper.pop();
    upper.push(q);
  }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
}

/** The angle folded into (−π/2, π/2]: a line read left to right or right to left has one axis. */
export function foldAngle(a: number): number {
  let r = a;
  while (r > Math.PI / 2) r -= Math.PI;
  while (r <= -Math.PI / 2) r += Math.PI;
  return r;
}

/** The rectangle bounding `points` in the frame turned by `angle` (its width along that angle). */
export function rectAlong(points: readonly Point[], angle: number): RotatedRect {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  let u0 = Infinity;
  let u1 = -Infinity;
  let v0 = Infinity;
  let v1 = -Infinity;
  for (const q of points) {
    const u = q.x * c + q.y * s;
    const v = -q.x * s + q.y * c;
    u0 = Math.min(u0, u);
    u1 = Math.max(u1, u);
    v0 = Math.min(v0, v);
    v1 = Math.max(v1, v);
  }
  const um = (u0 + u1) / 2;
  const vm = (v0 + v1) / 2;
  return { cx: um * c - vm * s, cy: um * s + vm * c, width: u1 - u0, height: v1 - v0, angle };
}

/** The smallest-area rectangle around `points` (one side on a hull edge), its long side as width. */
export function minAreaRect(points: readonly Point[]): RotatedRect {
  const hull = convexHull(points);
  if (hull.length === 0) return { cx: 0, cy: 0, width: 0, height: 0, angle: 0 };
  let best: RotatedRect | undefined;
  let bestArea = Infinity;
  const edges = hull.length < 2 ? [0] : hull.map((_, i) => i);
  for (const i of edges) {
    const a = hull[i]!;
    const b = hull[(i + 1) % hull.length]!;
    const rect = rectAlong(hull, hull.length < 2 ? 0 : Math.atan2(b.y - a.y, b.x - a.x));
    const area = rect.width * rect.height;
    if (area < bestArea) {
      bestArea = area;
      best =
        rect.width >= rect.height
          ? rect
          : { ...rect, width: rect.height, height: rect.width, angle: rect.angle + Math.PI / 2 };
    }
  }
  const r = best!;
  return { ...r, angle: foldAngle(r.angle) };
}

/** The four corners: top-left, top-right, bottom-right, bottom-left in the rectangle's own frame. */
export function toCorners(r: RotatedRect): Point[] {
  const c = Math.cos(r.angle);
  const s = Math.sin(r.angle);
  const hw = r.width / 2;
  const hh = r.height / 2;
  return [
    [-hw, -hh],
    [hw, -hh],
    [hw, hh],
    [-hw, hh],
  ].map(([u, v]) => ({ x: r.cx + u! * c - v! * s, y: r.cy + u! * s + v! * c }));
}

/** A point of the rectangle from its own coordinates (u along the text from its left end, v down from its top). */
export function fromRectFrame(r: RotatedRect, u: number, v: number): Point {
  const c = Math.cos(r.angle);
  const s = Math.sin(r.angle);
  const du = u - r.width / 2;
  const dv = v - r.height / 2;
  return { x: r.cx + du * c - dv * s, y: r.cy + du * s + dv * c };
}

/** Where point (x, y) sits in the rectangle's frame, from its centre: along its axis and across it. */
export function toRectFrame(r: RotatedRect, x: number, y: number): { along: number; across: number } {
  const c = Math.cos(r.angle);
  const s = Math.sin(r.angle);
  const dx = x - r.cx;
  const dy = y - r.cy;
  return { along: dx * c + dy * s, across: -dx * s + dy * c };
}

/** DB's unclip for a rectangle: every side pushed out by area × ratio / perimeter. */
export function unclipRect(r: RotatedRect, ratio: number): RotatedRect {
  const d = (r.width * r.height * ratio) / Math.max(1e-6, 2 * (r.width + r.height));
  return { ...r, width: r.width + 2 * d, height: r.height + 2 * d };
}

/** The rectangle with every coordinate multiplied by (sx, sy), re-fitted (scales may differ a little). */
export function scaleRect(r: RotatedRect, sx: number, sy: number): RotatedRect {
  return minAreaRect(toCorners(r).map((p) => ({ x: p.x * sx, y: p.y * sy })));
}

/** The axis-aligned box around some points, clipped to [0, width] × [0, height]. */
export function toAxisBox(
  points: readonly Point[],
  width: number,
  height: number,
): { x: number; y: number; width: number; height: number } {
  const x0 = Math.max(0, Math.floor(Math.min(...points.map((p) => p.x))));
  const y0 = Math.max(0, Math.floor(Math.min(...points.map((p) => p.y))));
  const x1 = Math.min(width, Math.ceil(Math.max(...points.map((p) => p.x))));
  const y1 = Math.min(height, Math.ceil(Math.max(...points.map((p) => p.y))));
  return { x: x0, y: y0, width: Math.max(1, x1 - x0), height: Math.max(1, y1 - y0) };
}
