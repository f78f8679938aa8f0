// Pure geometry on face-api's 68 landmarks (iBUG layout: jaw 0–16, brows 17–26, nose 27–35, eyes
// 36–47, mouth 48–67): is the point set face-shaped, and how is the face rolled. No model code here.

export interface Point {
  x: number;
  y: number;
}

const mean = (pts: readonly Point[], from: number, to: number): Point => {
  let x = 0;
  let y = 0;
  for (let i = from; i < to; i++) {
    x += pts[i]!.x;
    y += pts[i]!.y;
  }
  const n = to - from;
  return { x: x / n, y: y / n };
};

/** Centres of the eye on the image's left (points 36–41) and on its right (42–47). */
export function eyeCentres(pts: readonly Point[]): { left: Point; right: Point } {
  return { left: mean(pts, 36, 42), right: mean(pts, 42, 48) };
}

/** Roll of the face in radians: the angle of the line from the left eye to the right eye. */
export function rollAngle(pts: readonly Point[]): number {
  const { left, right } = eyeCentres(pts);
  return Math.atan2(right.y - left.y, right.x - left.x);
}

/**
 * True when 68 points, relative to the face box (0..1 on each axis), are laid out like a face:
 * eyes above the nose tip above the mouth, eyes 0.25–0.75 of the box width apart, the mouth at least
 * 0.2 of the box height below the eyes, the nose tip between the outer eye corners (a rough
 * symmetry that still lets a three-quarter face through), and every point near the box. The
 * landmark net puts 68 points on anything; on a non-face they collapse or fold.
 */
export function isFaceShaped(pts: readonly Point[]): boolean {
  if (pts.length !== 68) return false;
  const { left, right } = eyeCentres(pts);
  const nose = pts[30]!;
  const mouth = mean(pts, 48, 68);
  const eyeY = (left.y + right.y) / 2;
  const eyeGap = Math.hypot(right.x - left.x, right.y - left.y);
  const [a, b] = [pts[36]!.x, pts[45]!.x];
  return (
    eyeY < nose.y &&
    nose.y < mouth.y &&
    eyeGap >= 0.25 &&
    eyeGap <= 0.75 &&
    mouth.y - eyeY >= 0.2 &&
    nose.x >= Math.min(a, b) &&
    nose.x <= Math.max(a, b) &&
    pts.every((p) => p.x >= -0.15 && p.x <= 1.15 && p.y >= -0.15 && p.y <= 1.15)
  );
}
