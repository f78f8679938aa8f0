// Pure geometry and mapping for the face check: tiles for the small-face pass, merging detections,
// padding for obscuring, and detections → findings. No model code here.
import type { Finding, Region } from '../../types.ts';
import { intersectionArea } from '../image/regions.ts';

/** One face as the detector saw it, in the analysed copy's pixels. */
export interface FaceDetection {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Detector score, 0..1. */
  score: number;
}

export interface AgedFace extends FaceDetection {
  /** face-api's age estimate in years (weak: errors of ±5–10 years are common). */
  age: number;
}

export interface Tile {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * A `cols × rows` grid of overlapping tiles covering a `width × height` image. The detector sees
 * each tile at its own 512 px input, so faces appear about `cols` times larger than in the
 * full-frame pass. Overlap keeps a face cut by one tile border whole in its neighbour.
 */
export function toTiles(width: number, height: number, cols = 2, rows = 2, overlap = 0.2): Tile[] {
  const tiles: Tile[] = [];
  const tw = Math.min(width, Math.ceil((width / cols) * (1 + overlap)));
  const th = Math.min(height, Math.ceil((height / rows) * (1 + overlap)));
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const x = cols === 1 ? 0 : Math.round(((width - tw) * c) / (cols - 1));
      const y = rows === 1 ? 0 : Math.round(((height - th) * r) / (rows - 1));
      tiles.push({ x, y, width: tw, height: th });
    }
  }
  return tiles;
}

function area(b: { width: number; height: number }): number {
  return Math.max(0, b.width) * Math.max(0, b.height);
}

export interface ProposalOptions {
  /** A weak box counts as a proposal when its longest side is under this fraction of the image's long side. */
  maxSideFraction: number;
  /** Side of the square cell read around a proposal, in analysed-copy pixels (kept at 1:1). */
  cell: number;
  /** More cells than this and the 2×2 tile grid is cheaper and covers everything. */
  maxCells: number;
}

export const DEFAULT_PROPOSAL_OPTIONS: ProposalOptions = {
  maxSideFraction: 0.06,
  cell: 256,
  maxCells: 8,
};

/**
 * Where a closer look can find small faces. The full-frame pass sees every photo at 512 px, where a
 * face of 1–3 % of the long side is a few pixels wide: it rarely reaches the reporting score, but it
 * usually leaves a weak box (score 0.02–0.3) where it is. Each weak, small box not inside a confident
 * face becomes the centre of a square cell (cells that already hold a proposal whole are reused).
 * Four cells make one 512 px mosaic, so a face in a cell is seen at full resolution in one detector
 * pass. Returns `undefined` when there would be more than `maxCells` (the caller reads the tile grid
 * instead), `[]` when nothing calls for a closer look. Pure.
 */
export function proposalCells(
  weak: readonly FaceDetection[],
  confident: readonly FaceDetection[],
  width: number,
  height: number,
  opts: ProposalOptions = DEFAULT_PROPOSAL_OPTIONS,
): Tile[] | undefined {
  const long = Math.max(width, height);
  const cw = Math.min(width, opts.cell);
  const ch = Math.min(height, opts.cell);
  const cells: Tile[] = [];
  const inside = (d: FaceDetection, t: Tile): boolean =>
    d.x >= t.x && d.y >= t.y && d.x + d.width <= t.x + t.width && d.y + d.height <= t.y + t.height;
  const sorted = [...weak].sort((a, b) => b.score - a.score);
  for (const d of sorted) {
    if (Math.max(d.width, d.height) >= long * opts.maxSideFraction) continue;
    if (confident.some((c) => intersectionArea(c, d) > 0.3 * area(d))) continue;
    if (cells.some((t) => inside(d, t))) continue;
    if (cells.length === opts.maxCells) return undefined;
    const cx = d.x + d.width / 2;
    const cy = d.y + d.height / 2;
    cells.push({
      x: Math.round(Math.min(Math.max(0, cx - cw / 2), width - cw)),
      y: Math.round(Math.min(Math.max(0, cy - ch / 2), height - ch)),
      width: cw,
      height: ch,
    });
  }
  return cells;
}

/**
 * Maps a detection in a 2×2 mosaic of `cell`-sized cells back to the analysed copy: the cell that
 * holds the box's centre decides; a box reaching well into another cell is two half-faces glued by
 * the mosaic, not a face, and is dropped. Pure.
 */
export function fromMosaic(
  d: FaceDetection,
  cells: readonly Tile[],
  cell: number,
): FaceDetection | undefined {
  const col = Math.floor((d.x + d.width / 2) / cell);
  const row = Math.floor((d.y + d.height / 2) / cell);
  const c = cells[row * 2 + col];
  if (!c || col > 1 || row > 1) return undefined;
  const x0 = d.x - col * cell;
  const y0 = d.y - row * cell;
  const slack = 0.2;
  if (x0 < -slack * d.width || y0 < -slack * d.height) return undefined;
  if (x0 + d.width > c.width + slack * d.width || y0 + d.height > c.height + slack * d.height)
    return undefined;
  const x = Math.max(0, x0);
  const y = Math.max(0, y0);
  return {
    x: c.x + x,
    y: c.y + y,
    width: Math.min(c.width, x0 + d.width) - x,
    height: Math.min(c.height, y0 + d.height) - y,
    score: d.score,
  };
}

/**
 * Greedy non-maximum suppression over flat `[ymin, xmin, ymax, xmax]` boxes (the SSD's layout), as
 * face-api does it but reading each box once: face-api's own version converts the whole box tensor
 * to nested arrays for every pair it compares (≈ 270 ms a pass on a 12 MP photo). Returns indices,
 * best first.
 */
export function nonMaxSuppression(
  boxes: Float32Array,
  scores: Float32Array,
  maxResults: number,
  iouThreshold: number,
  scoreThreshold: number,
): number[] {
  const candidates: number[] = [];
  for (let i = 0; i < scores.length; i++) if (scores[i]! > scoreThreshold) candidates.push(i);
  candidates.sort((a, b) => scores[b]! - scores[a]!);
  const box = (i: number): [number, number, number, number] => {
    const a = boxes[i * 4]!;
    const b = boxes[i * 4 + 1]!;
    const c = boxes[i * 4 + 2]!;
    const d = boxes[i * 4 + 3]!;
    return [Math.min(a, c), Math.min(b, d), Math.max(a, c), Math.max(b, d)];
  };
  const iou = (i: number, j: number): number => {
    const [y0, x0, y1, x1] = box(i);
    const [v0, u0, v1, u1] = box(j);
    const ai = (y1 - y0) * (x1 - x0);
    const aj = (v1 - v0) * (u1 - u0);
    if (ai <= 0 || aj <= 0) return 0;
    const inter =
      Math.max(0, Math.min(y1, v1) - Math.max(y0, v0)) * Math.max(0, Math.min(x1, u1) - Math.max(x0, u0));
    return inter / (ai + aj - inter);
  };
  const selected: number[] = [];
  for (const c of candidates) {
    if (selected.length >= maxResults) break;
    if (selected.every((s) => iou(c, s) <= iouThreshold)) selected.push(c);
  }
  return selected;
}

/**
 * Merges detections from several passes: two boxes are one face when they overlap by more than
 * `minOverlap` of the smaller box (a face cut at a tile border gives a partial box inside the full
 * one). The higher-scoring box wins.
 */
export function mergeDetections<T extends FaceDetection>(dets: readonly T[], minOverlap = 0.4): T[] {
  const sorted = [...dets].sort((a, b) => b.score - a.score);
  const kept: T[] = [];
  for (const d of sorted) {
    if (!kept.some((k) => isSameFace(k, d, minOverlap))) kept.push(d);
  }
  return kept;
}

/** Two boxes are one face when they overlap by more than `minOverlap` of the smaller box. Pure. */
export function isSameFace(a: FaceDetection, b: FaceDetection, minOverlap = 0.4): boolean {
  return intersectionArea(a, b) > minOverlap * Math.min(area(a), area(b));
}

export interface FaceFilter {
  /** Detector score below which a box is dropped. */
  minScore: number;
  /** Smallest face side kept, in analysed-copy pixels. */
  minSide: number;
}

/** Drops low-score and tiny boxes (where false detections with random ages live). */
export function isKeptFace(d: FaceDetection, filter: FaceFilter): boolean {
  return d.score >= filter.minScore && Math.min(d.width, d.height) >= filter.minSide;
}

/** Scales a box from the analysed copy to displayed pixels, clipped to the image, rounded outward. */
export function toDisplayedRegion(
  box: Region,
  scale: number,
  imageWidth: number,
  imageHeight: number,
): Region {
  const x0 = Math.max(0, Math.floor(box.x * scale));
  const y0 = Math.max(0, Math.floor(box.y * scale));
  const x1 = Math.min(imageWidth, Math.ceil((box.x + box.width) * scale));
  const y1 = Math.min(imageHeight, Math.ceil((box.y + box.height) * scale));
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}

/** How far the obscured area reaches beyond the detector's box, as fractions of the box side. */
export interface FacePadding {
  side: number;
  top: number;
  bottom: number;
}

/**
 * The detector's box runs from the brows to the chin and between the cheeks. Obscuring must also
 * cover hair, forehead and ears: widen by `side` on each side, raise by `top`, lower by `bottom`.
 * Default: 35% wider in all, 50% taller (mostly upward, for hair).
 */
export const DEFAULT_FACE_PADDING: FacePadding = { side: 0.175, top: 0.35, bottom: 0.15 };

export function padFaceRegion(
  r: Region,
  imageWidth: number,
  imageHeight: number,
  pad: FacePadding = DEFAULT_FACE_PADDING,
): Region {
  const x0 = Math.max(0, Math.floor(r.x - r.width * pad.side));
  const y0 = Math.max(0, Math.floor(r.y - r.height * pad.top));
  const x1 = Math.min(imageWidth, Math.ceil(r.x + r.width * (1 + pad.side)));
  const y1 = Math.min(imageHeight, Math.ceil(r.y + r.height * (1 + pad.bottom)));
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}

export interface FaceFindingOptions {
  /** A face whose estimated age is below this is reported as a possible minor. */
  minorAgeBelow: number;
  padding?: FacePadding;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/**
 * One `face` finding per face, plus a `possible_minor` finding for each face whose estimated age is
 * under the threshold. Boxes are in displayed pixels; `regions` holds the padded box to obscure.
 * Pure.
 */
export function toFaceFindings(
  faces: readonly AgedFace[],
  scale: number,
  imageWidth: number,
  imageHeight: number,
  opts: FaceFindingOptions,
): Finding[] {
  const ordered = [...faces].sort((a, b) => a.x - b.x || a.y - b.y);
  const out: Finding[] = [];
  const minors: Finding[] = [];
  for (const f of ordered) {
    const region = toDisplayedRegion(f, scale, imageWidth, imageHeight);
    if (region.width === 0 || region.height === 0) continue;
    const padded = padFaceRegion(region, imageWidth, imageHeight, opts.padding);
    const age = Math.max(0, Math.round(f.age));
    const young = f.age < opts.minorAgeBelow;
    out.push({
      kind: 'face',
      severity: 'medium',
      certainty: 'likely',
      confidence: round2(f.score),
      region,
      regions: [padded],
      redact: 'obscure',
      source: 'pixels',
      summary: young ? 'face (may be a child)' : 'face (adult)',
      details: { age, child: young },
    });
    if (young) {
      minors.push({
        kind: 'possible_minor',
        severity: 'high',
        // Age from a face is a weak signal; the check errs towards flagging.
        certainty: 'possible',
        confidence: round2(f.score),
        region,
        regions: [padded],
        redact: 'obscure',
        source: 'pixels',
        summary: `face that may show a child (estimated age about ${age})`,
        details: { age },
      });
    }
  }
  return [...out, ...minors];
}
