// Pure geometry of the face check: non-maximum suppression, where to look closer for small faces,
// mapping mosaic boxes back, tiles and merging.
import { describe, expect, it } from 'vitest';
import {
  fromMosaic,
  isSameFace,
  mergeDetections,
  nonMaxSuppression,
  proposalCells,
  toTiles,
  type FaceDetection,
} from '../../src/analysis/faces/boxes.ts';

const det = (x: number, y: number, size: number, score: number): FaceDetection => ({
  x,
  y,
  width: size,
  height: size,
  score,
});

describe('nonMaxSuppression (SSD layout: ymin, xmin, ymax, xmax)', () => {
  const boxes = new Float32Array([
    // 0 and 1 overlap heavily; 2 is elsewhere; 3 is weak; 4 is a degenerate box.
    0.1, 0.1, 0.3, 0.3, 0.11, 0.11, 0.31, 0.31, 0.6, 0.6, 0.8, 0.8, 0.6, 0.1, 0.7, 0.2, 0.5, 0.5, 0.5, 0.5,
  ]);
  const scores = new Float32Array([0.8, 0.9, 0.7, 0.2, 0.95]);

  it('keeps the best of overlapping boxes, best first, above the score threshold', () => {
    expect(nonMaxSuppression(boxes, scores, 100, 0.5, 0.3)).toEqual([4, 1, 2]);
  });
  it('lowers the threshold to keep weak boxes, and honours maxResults', () => {
    expect(nonMaxSuppression(boxes, scores, 100, 0.5, 0.1)).toEqual([4, 1, 2, 3]);
    expect(nonMaxSuppression(boxes, scores, 2, 0.5, 0.1)).toEqual([4, 1]);
  });
  it('keeps both boxes when they overlap less than the IoU threshold', () => {
    expect(nonMaxSuppression(boxes, scores, 100, 0.95, 0.3)).toEqual([4, 1, 0, 2]);
  });
});

describe('proposalCells', () => {
  const W = 1600;
  const H = 1200;

  it('asks for nothing when there is no weak box', () => {
    expect(proposalCells([], [det(100, 100, 200, 0.9)], W, H)).toEqual([]);
  });
  it('centres a 256 px cell on a weak small box, clamped inside the image', () => {
    expect(proposalCells([det(300, 600, 30, 0.08)], [], W, H)).toEqual([
      { x: 187, y: 487, width: 256, height: 256 },
    ]);
    expect(proposalCells([det(1590, 5, 8, 0.08)], [], W, H)).toEqual([
      { x: W - 256, y: 0, width: 256, height: 256 },
    ]);
  });
  it('ignores large weak boxes (the full frame sees large faces) and boxes inside a confident face', () => {
    expect(proposalCells([det(100, 100, 400, 0.1)], [], W, H)).toEqual([]);
    expect(proposalCells([det(110, 110, 30, 0.1)], [det(100, 100, 80, 0.9)], W, H)).toEqual([]);
  });
  it('reuses a cell that already holds a proposal, strongest first', () => {
    const cells = proposalCells([det(700, 700, 20, 0.05), det(690, 690, 20, 0.2)], [], W, H);
    expect(cells).toHaveLength(1);
    expect(cells![0]!.x).toBe(Math.round(700 - 128));
  });
  it('gives up (tile grid instead) past maxCells', () => {
    const weak = Array.from({ length: 9 }, (_, i) => det(i * 170, (i % 3) * 400, 20, 0.1));
    expect(proposalCells(weak, [], W, H)).toBeUndefined();
    expect(proposalCells(weak.slice(0, 8), [], W, H)).toHaveLength(8);
  });
  it('uses smaller cells on an image smaller than a cell', () => {
    expect(proposalCells([det(10, 10, 10, 0.1)], [], 200, 150)).toEqual([
      { x: 0, y: 0, width: 200, height: 150 },
    ]);
  });
});

describe('fromMosaic', () => {
  const cells = [
    { x: 100, y: 200, width: 256, height: 256 },
    { x: 900, y: 50, width: 256, height: 256 },
    { x: 0, y: 700, width: 200, height: 150 },
  ];
  it('maps a box to the cell holding its centre', () => {
    expect(fromMosaic(det(10, 20, 30, 0.9), cells, 256)).toEqual({ ...det(110, 220, 30, 0.9) });
    expect(fromMosaic(det(256 + 40, 10, 30, 0.8), cells, 256)).toEqual({ ...det(940, 60, 30, 0.8) });
    expect(fromMosaic(det(20, 256 + 30, 40, 0.7), cells, 256)).toEqual({ ...det(20, 730, 40, 0.7) });
  });
  it('drops a box straddling two cells and a box in an empty cell', () => {
    expect(fromMosaic(det(220, 20, 80, 0.9), cells, 256)).toBeUndefined();
    expect(fromMosaic(det(300, 300, 30, 0.9), cells, 256)).toBeUndefined();
  });
  it('drops a box in the padding of a cell smaller than 256', () => {
    expect(fromMosaic(det(210, 256 + 10, 30, 0.9), cells, 256)).toBeUndefined();
  });
});

describe('tiles and merging', () => {
  it('covers the image with four overlapping tiles', () => {
    const tiles = toTiles(1600, 1200);
    expect(tiles).toHaveLength(4);
    expect(tiles[0]).toEqual({ x: 0, y: 0, width: 960, height: 720 });
    expect(tiles[3]).toEqual({ x: 640, y: 480, width: 960, height: 720 });
  });
  it('merges a partial box inside a full one, keeping the higher score', () => {
    const merged = mergeDetections([det(100, 100, 60, 0.6), det(110, 110, 30, 0.9), det(500, 500, 40, 0.5)]);
    expect(merged.map((d) => d.score)).toEqual([0.9, 0.5]);
  });
  it('calls two boxes one face by their overlap with the smaller box', () => {
    // A 30 px box inside a 60 px one: fully covered.
    expect(isSameFace(det(100, 100, 60, 0.6), det(110, 110, 30, 0.9))).toBe(true);
    // Overlapping by a third of the smaller box: two faces side by side.
    expect(isSameFace(det(100, 100, 60, 0.6), det(140, 100, 60, 0.9))).toBe(false);
    expect(isSameFace(det(100, 100, 60, 0.6), det(140, 100, 60, 0.9), 0.3)).toBe(true);
  });
});
