// Faces and possible minors: face-api's SSD MobileNet v1 detector, 68-point landmarks and age net
// (their weights rebuilt as ONNX graphs and run by onnxruntime: ssd-onnx.ts, crop-nets.ts) and
// Human's face-mesh model (a second opinion on weak boxes) on the tfjs WASM backend, which also cuts
// the crops. Weights read from the npm packages; nothing is downloaded or written.
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as FaceApiModule from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import type { AnalyzerContext, ClosableAnalyzer, Finding, RawImage } from '../../types.ts';
import {
  isKeptFace,
  isSameFace,
  mergeDetections,
  proposalCells,
  toFaceFindings,
  toTiles,
  type AgedFace,
  type FaceDetection,
  type FacePadding,
} from './boxes.ts';
import { toSsdNet, type SsdParams } from './ssd.ts';
import { createOnnxSsd, type OnnxSsd } from './ssd-onnx.ts';
import { locate, lookInCells, lookInWindows, type DetectorModels } from './passes.ts';
import { DEFAULT_AGE_OPTIONS, lookAtFaces } from './face-age.ts';
import { loadHumanModel, type GraphModel } from './human-models.ts';
import { meshFaceScores } from './verify.ts';
import { createCropNets, type CropNets } from './crop-nets.ts';

type FaceApi = typeof FaceApiModule;
type Tensor3D = FaceApiModule.tf.Tensor3D;

/** The tfjs functions face-api's bundled types leave out; present at run time on `faceapi.tf`. */
interface TfRuntime {
  setWasmPaths(prefix: string): void;
  setBackend(name: string): Promise<boolean>;
  getBackend(): string | undefined;
  ready(): Promise<void>;
  memory(): { numTensors: number; numBytes: number };
}

const require = createRequire(import.meta.url);

export interface FaceAnalyzerOptions {
  /** Longest side of the copy the detector reads (SSD itself resizes to 512; tiles use the rest). */
  maxSide?: number;
  /** Detector score below which a box is dropped. */
  minScore?: number;
  /** Smallest face side kept, in analysed-copy pixels. */
  minSide?: number;
  /** An estimated age under this makes a `possible_minor` finding. */
  minorAgeBelow?: number;
  /**
   * Second pass on a 2×2 grid of overlapping tiles, for faces too small for the full-frame pass
   * (under about 3% of the long side). 'auto' runs it when the copy is at least `tileMinSide`.
   */
  tiles?: 'auto' | 'always' | 'never';
  tileMinSide?: number;
  /**
   * With `tiles: 'auto'`, a copy under `tileMinSide` (scans of ID documents, small photos) is read
   * again as a 2×2 tile grid with each tile's contrast normalised: faded and small portraits (an ID
   * card's ghost image) are seen about 1.7× larger and at normal contrast.
   */
  smallTiles?: boolean;
  /**
   * With `tiles: 'auto'`, look closer only around the weak, small boxes the full-frame pass leaves
   * (scores from `proposalScore` up) instead of reading the whole tile grid; the grid is still read
   * when there are many. Off: 'auto' always reads the grid.
   */
  proposals?: boolean;
  proposalScore?: number;
  /**
   * Boxes scoring under this are verified before they are reported: kept only when the face-mesh
   * model also sees a face (`meshMinScore`) and the 68 landmarks are face-shaped. 1: verify all.
   */
  verifyBelow?: number;
  meshMinScore?: number;
  /**
   * Boxes with a side under this (copy pixels) skip the landmark shape test: the landmark net reads
   * a 112 px crop, and from a face this small its points are blur, not evidence. The face-mesh
   * score must still reach `meshMinScore`.
   */
  landmarkMinSide?: number;
  /** Average the age over the face crop and its mirror image. */
  mirrorAge?: boolean;
  padding?: FacePadding;
  timeoutMs?: number;
}

/**
 * Defaults chosen from measurements on the labelled fixtures (see tests/engines/faces.test.ts and
 * bench/faces.ts):
 * - minScore 0.4: the weakest real face (a woman in the three-adults group) scores 0.45; the painted
 *   face in The Scream scores 0.33;
 * - tiles 'auto': without a closer look, faces under about 110 px in a 4000×3000 photo are missed
 *   (SSD sees every input at 512 px); with one they are found down to about 60–90 px;
 * - proposals from 0.03: on 36 composed 12 MP photos with 108 faces of 28–130 px
 *   (bench/faces-small.ts), looking closer only around weak full-frame boxes found 78 faces
 *   against 80 for the 2×2 tile grid, with 1–2 detector passes instead of 5 (0.04: 67; 0.02: 81
 *   but mostly the grid's cost);
 * - verifyBelow 0.95, meshMinScore 0.8, minorAgeBelow 20, mirrorAge: see docs/EVAL.md ("Faces");
 * - smallTiles, landmarkMinSide 32: on the 31 ID-document fixtures, 33 → 37 of 45 labelled faces (a
 *   faded passport portrait and three 16–27 px ghost copies, whose landmarks fail though the
 *   face-mesh reads 0.88–1.0); no new box on the negatives once tile-filling boxes are dropped.
 */
export const DEFAULT_FACE_OPTIONS = {
  maxSide: 1600,
  minScore: 0.4,
  minSide: 12,
  minorAgeBelow: 20,
  tiles: 'auto',
  tileMinSide: 1200,
  smallTiles: true,
  proposals: true,
  proposalScore: 0.03,
  verifyBelow: 0.95,
  meshMinScore: 0.8,
  landmarkMinSide: 32,
  mirrorAge: true,
  timeoutMs: 20_000,
} as const satisfies Omit<Required<FaceAnalyzerOptions>, 'padding'>;

/** A small-copy tile's box is kept up to this fraction of the tile's shorter side. */
const SMALL_TILE_MAX_FILL = 0.75;

interface LoadedModels extends DetectorModels {
  faceapi: FaceApi;
  tf: TfRuntime;
  /** Milliseconds spent loading the backend and weights and warming up, in this process. */
  loadMs: number;
  /** The detector, face-api's weights folded (ssd.ts) and run by onnxruntime (ssd-onnx.ts). */
  ssd: OnnxSsd;
  /** Human's face-mesh model, for its face-presence score (verify.ts). */
  mesh: GraphModel;
  /** face-api's landmark and age nets, run by onnxruntime (crop-nets.ts). */
  crops: CropNets;
}

/**
 * The detector's intra-op threads: one. The face check runs beside the text check (whose
 * onnxruntime sessions take the other core) on the two-core machines Preflight is sized for, and
 * each queue worker runs one scan at a time; a second thread here halves a lone pass (≈ 170 → 100
 * ms at 512 px, measured on this machine) but only steals the core text is using in a scan.
 */
const SSD_THREADS = 1;

let models: Promise<LoadedModels> | undefined;

function packageDir(spec: string): string {
  return path.dirname(require.resolve(`${spec}/package.json`));
}

async function loadModels(): Promise<LoadedModels> {
  const t0 = performance.now();
  // The node-wasm bundle requires @tensorflow/tfjs and -backend-wasm itself: one tfjs engine,
  // reached through `faceapi.tf`. The bare package entry would need tfjs-node (not installable here).
  const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApi;
  const tf = faceapi.tf as unknown as TfRuntime;
  if (tf.getBackend() !== 'wasm') {
    // The .wasm binaries ship in the package; without this the backend would fetch them from a CDN.
    tf.setWasmPaths(`${path.join(packageDir('@tensorflow/tfjs-backend-wasm'), 'dist')}${path.sep}`);
    if (!(await tf.setBackend('wasm'))) throw new Error('the tfjs WASM backend could not start');
  }
  await tf.ready();
  const modelDir = path.join(packageDir('@vladmandic/face-api'), 'model');
  await Promise.all([
    faceapi.nets.ssdMobilenetv1.loadFromDisk(modelDir),
    faceapi.nets.faceLandmark68Net.loadFromDisk(modelDir),
    faceapi.nets.ageGenderNet.loadFromDisk(modelDir),
  ]);
  const ssd = await createOnnxSsd(
    faceapi.tf,
    toSsdNet(faceapi.tf as never, faceapi.nets.ssdMobilenetv1.params as unknown as SsdParams),
    SSD_THREADS,
  );
  const mesh = await loadHumanModel(faceapi.tf, 'facemesh');
  const crops = await createCropNets(faceapi, SSD_THREADS);
  const loaded: LoadedModels = { faceapi, tf, loadMs: 0, ssd, mesh, crops };
  // The first inference compiles kernels (0.5–1.4 s): pay it once here, not on a user's photo.
  const blank = faceapi.tf.zeros<FaceApiModule.tf.Rank.R3>([160, 160, 3], 'int32');
  try {
    await locate(loaded, [{ tensor: blank }], 0.9);
    const box = { x: 20, y: 20, width: 100, height: 100, score: 1 };
    await lookAtFaces(faceapi, crops, blank, [box]);
    await meshFaceScores(faceapi.tf, mesh, blank, [box]);
  } finally {
    blank.dispose();
  }
  loaded.loadMs = performance.now() - t0;
  return loaded;
}

/** Loads the backend and weights once per process; later calls share the same models. */
export function loadFaceModels(): Promise<LoadedModels> {
  models ??= loadModels().catch((e: unknown) => {
    models = undefined;
    throw e;
  });
  return models;
}

/** Live tfjs tensors in this process (for leak checks in tests and benchmarks). */
export async function countFaceTensors(): Promise<number> {
  return (await loadFaceModels()).tf.memory().numTensors;
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new Error('face check aborted');
}

/**
 * Drops weak boxes the face-mesh model or the landmarks reject (dogs, cats, objects), then reads each
 * remaining face's age on its levelled crop (and mirror).
 */
async function verifyAndAge(
  m: LoadedModels,
  input: Tensor3D,
  boxes: readonly FaceDetection[],
  opts: Pick<ResolvedFaceOptions, 'verifyBelow' | 'meshMinScore' | 'landmarkMinSide' | 'mirrorAge'>,
): Promise<AgedFace[]> {
  const weak = boxes.filter((b) => b.score < opts.verifyBelow);
  const mesh = await meshFaceScores(m.faceapi.tf, m.mesh, input, weak);
  const seen = boxes.filter(
    (b) => b.score >= opts.verifyBelow || mesh[weak.indexOf(b)]! >= opts.meshMinScore,
  );
  const looks = await lookAtFaces(m.faceapi, m.crops, input, seen, {
    ...DEFAULT_AGE_OPTIONS,
    mirror: opts.mirrorAge,
  });
  const tiny = (b: FaceDetection): boolean => Math.min(b.width, b.height) < opts.landmarkMinSide;
  return seen.flatMap((b, i) =>
    b.score >= opts.verifyBelow || tiny(b) || looks[i]!.faceShaped ? [{ ...b, age: looks[i]!.age }] : [],
  );
}

export interface FaceScan {
  faces: AgedFace[];
  /** The analysed copy: boxes are in its pixels; multiply by `scale` for displayed pixels. */
  width: number;
  height: number;
  scale: number;
  passes: number;
}

/** Detects faces on an RGB copy and estimates each one's age. Every tensor is disposed. */
export async function detectFaces(
  raw: RawImage,
  opts: Omit<ResolvedFaceOptions, 'padding' | 'timeoutMs' | 'maxSide' | 'minorAgeBelow'>,
  signal?: AbortSignal,
  /**
   * A re-check: the faces found before (copy pixels). The closer look goes around the small ones
   * instead of around weak boxes (none when every face was large enough for the full frame).
   */
  lookAt?: readonly FaceDetection[],
): Promise<FaceScan> {
  if (raw.channels !== 3) throw new Error('the face check needs an RGB copy');
  const m = await loadFaceModels();
  const { faceapi } = m;
  const input = faceapi.tf.tensor3d(raw.data, [raw.height, raw.width, 3], 'int32');
  try {
    // Boxes from 0.3 are kept for merging, then filtered, so a closer look's strong box beats a
    // full-frame weak one; weaker boxes only say where to look closer.
    const minConfidence = Math.min(opts.minScore, 0.3);
    const closer =
      opts.tiles === 'always' ||
      (opts.tiles === 'auto' && Math.max(raw.width, raw.height) >= opts.tileMinSide);
    const useProposals = closer && opts.tiles === 'auto' && opts.proposals && !lookAt;
    const floor = useProposals ? Math.min(minConfidence, opts.proposalScore) : minConfidence;
    const first = (await locate(m, [{ tensor: input }], floor))[0]!;
    const dets = first.filter((d) => d.score >= minConfidence);
    let passes = 1;
    // Not on a re-check: its crop is cut around the faces found, which fill much more of it than
    // a small tile would show them, so the full-frame pass of the crop is already the closer look.
    const small = opts.tiles === 'auto' && opts.smallTiles && !closer && !lookAt;
    if (small) {
      if (signal) throwIfAborted(signal);
      const tiles = toTiles(raw.width, raw.height, 2, 2, 0.25);
      const side = Math.min(tiles[0]!.width, tiles[0]!.height);
      // A box filling most of a tile is no small face: the full frame judges subjects that large
      // (a dog's head read in one tile with its contrast raised is such a box).
      // Tiles add faces the full frame did not box; a face it did keep its full-frame box, the box
      // the age threshold was measured on (a tile's box of the same face reads another age).
      const found = await lookInWindows(m, input, tiles, minConfidence, true);
      const framed = [...dets];
      dets.push(
        ...found.filter(
          (d) =>
            Math.max(d.width, d.height) <= SMALL_TILE_MAX_FILL * side &&
            !framed.some((f) => isSameFace(f, d)),
        ),
      );
      passes += tiles.length;
    }
    if (closer) {
      const weak = first.filter((d) => d.score < minConfidence);
      const cells = lookAt
        ? proposalCells(lookAt, [], raw.width, raw.height)
        : useProposals
          ? proposalCells(weak, dets, raw.width, raw.height)
          : undefined;
      if (signal) throwIfAborted(signal);
      if (cells) {
        dets.push(...(await lookInCells(m, raw, cells, minConfidence)));
        passes += Math.ceil(cells.length / 4);
      } else {
        const tiles = toTiles(raw.width, raw.height);
        dets.push(...(await lookInWindows(m, input, tiles, minConfidence)));
        passes += tiles.length;
      }
    }
    const kept = mergeDetections(dets).filter((d) => isKeptFace(d, opts));
    if (signal) throwIfAborted(signal);
    const faces = await verifyAndAge(m, input, kept, opts);
    return { faces, width: raw.width, height: raw.height, scale: raw.scale, passes };
  } finally {
    input.dispose();
  }
}

/** Faces found before, in copy pixels: a re-check looks closer where they were. */
export function toLookAt(
  recheck: readonly Finding[] | undefined,
  scale: number,
): FaceDetection[] | undefined {
  return recheck
    ?.filter((f) => f.kind === 'face' && f.region)
    .map((f) => ({
      x: f.region!.x / scale,
      y: f.region!.y / scale,
      width: f.region!.width / scale,
      height: f.region!.height / scale,
      score: 1,
    }));
}

/** Every face option, the defaults filled in. */
export type ResolvedFaceOptions = Omit<Required<FaceAnalyzerOptions>, 'padding'> &
  Pick<FaceAnalyzerOptions, 'padding'>;

/** The defaults with `options` over them. */
export function toFaceOptions(options: FaceAnalyzerOptions = {}): ResolvedFaceOptions {
  return { ...DEFAULT_FACE_OPTIONS, ...options };
}

/** The analyzer around a way to run detectFaces (on this thread, or in the face thread). */
export function toFaceAnalyzer(
  opts: ResolvedFaceOptions,
  detect: (raw: RawImage, signal: AbortSignal, lookAt?: FaceDetection[]) => Promise<FaceScan>,
  onClose: () => Promise<void> = () => Promise.resolve(),
  offThread = false,
): ClosableAnalyzer {
  let closed = false;
  return {
    name: 'faces',
    timeoutMs: opts.timeoutMs,
    offThread,
    async analyze(ctx: AnalyzerContext): Promise<Finding[]> {
      if (closed) throw new Error('the face check was closed');
      const raw = await ctx.image.raw(opts.maxSide, 3);
      throwIfAborted(ctx.signal);
      // Re-checking a cleaned copy: look where the faces were, the way they were found.
      const scan = await detect(raw, ctx.signal, toLookAt(ctx.recheck, raw.scale));
      return toFaceFindings(scan.faces, scan.scale, ctx.image.width, ctx.image.height, {
        minorAgeBelow: opts.minorAgeBelow,
        ...(opts.padding ? { padding: opts.padding } : {}),
      });
    },
    close() {
      closed = true;
      return onClose();
    },
  };
}

/**
 * The face check on this thread. Loads the models once per process (and warms them up); each
 * analyze() reads a downscaled oriented RGB copy and returns `face` and `possible_minor` findings in
 * displayed pixels. (The engines use the face thread instead: face-thread.ts.)
 */
export async function createFaceAnalyzer(options: FaceAnalyzerOptions = {}): Promise<ClosableAnalyzer> {
  const opts = toFaceOptions(options);
  await loadFaceModels();
  // The models stay loaded for the process (another analyzer may share them); nothing to release.
  return toFaceAnalyzer(opts, (raw, signal, lookAt) => detectFaces(raw, opts, signal, lookAt));
}
