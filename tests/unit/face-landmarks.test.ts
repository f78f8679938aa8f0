// The landmark geometry on its own: a face-shaped 68-point layout passes, folded or collapsed ones
// (what the landmark net gives on a non-face) fail, and the roll follows the eyes.
import { describe, expect, it } from 'vitest';
import { eyeCentres, isFaceShaped, rollAngle, type Point } from '../../src/analysis/faces/landmarks.ts';

/** A frontal face in the iBUG 68-point layout, relative to its box. */
function frontal(): Point[] {
  const pts: Point[] = [];
  for (let i = 0; i <= 16; i++) {
    const t = (i / 16) * Math.PI;
    pts.push({ x: 0.5 - 0.45 * Math.cos(t), y: 0.3 + 0.65 * Math.sin(t) });
  }
  for (let i = 0; i < 10; i++) pts.push({ x: 0.15 + (i < 5 ? i : i + 1) * 0.065, y: 0.25 });
  for (let i = 0; i < 4; i++) pts.push({ x: 0.5, y: 0.35 + i * 0.08 });
  for (let i = 0; i < 5; i++) pts.push({ x: 0.4 + i * 0.05, y: 0.64 });
  for (const cx of [0.3, 0.7])
    for (let i = 0; i < 6; i++) {
      const t = (i / 6) * 2 * Math.PI;
      pts.push({ x: cx + 0.08 * Math.cos(t + Math.PI), y: 0.38 + 0.03 * Math.sin(t) });
    }
  for (let i = 0; i < 20; i++) {
    const t = (i / 20) * 2 * Math.PI;
    pts.push({ x: 0.5 + 0.15 * Math.cos(t + Math.PI), y: 0.8 + 0.05 * Math.sin(t) });
  }
  return pts;
}

const rotate = (pts: Point[], a: number): Point[] =>
  pts.map((p) => ({
    x: 0.5 + (p.x - 0.5) * Math.cos(a) - (p.y - 0.5) * Math.sin(a),
    y: 0.5 + (p.x - 0.5) * Math.sin(a) + (p.y - 0.5) * Math.cos(a),
  }));

describe('isFaceShaped', () => {
  it('accepts a frontal face and a slightly rolled one', () => {
    expect(frontal()).toHaveLength(68);
    expect(isFaceShaped(frontal())).toBe(true);
    expect(isFaceShaped(rotate(frontal(), 0.2))).toBe(true);
  });

  it('rejects an upside-down layout (mouth above the eyes)', () => {
    expect(isFaceShaped(frontal().map((p) => ({ x: p.x, y: 1 - p.y })))).toBe(false);
  });

  it('rejects points collapsed towards the centre (eyes too close, mouth on the eyes)', () => {
    expect(
      isFaceShaped(frontal().map((p) => ({ x: 0.5 + (p.x - 0.5) * 0.3, y: 0.5 + (p.y - 0.5) * 0.3 }))),
    ).toBe(false);
  });

  it('rejects a nose outside the eyes (a fold, not a face) and points far outside the box', () => {
    const folded = frontal();
    folded[30] = { x: 0.95, y: 0.6 };
    expect(isFaceShaped(folded)).toBe(false);
    expect(isFaceShaped(frontal().map((p) => ({ x: p.x + 0.5, y: p.y })))).toBe(false);
    expect(isFaceShaped(frontal().slice(0, 60))).toBe(false);
  });
});

describe('rollAngle', () => {
  it('is 0 for level eyes and follows a rotation of the face', () => {
    expect(rollAngle(frontal())).toBeCloseTo(0, 5);
    expect(rollAngle(rotate(frontal(), 0.3))).toBeCloseTo(0.3, 5);
    const { left, right } = eyeCentres(frontal());
    expect(left.x).toBeLessThan(right.x);
  });
});
