// Faces and possible minors: face-api (SSD MobileNet v1 detector, age/gender net, optional 68-point
// landmarks) on the tfjs WASM backend, weights read from the npm package. Nothing is downloaded or written.
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as FaceApiModule from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import type { AnalyzerContext, ClosableAnalyzer, Finding, RawImage } from '../types.ts';
import {
  isKeptFace,
  mergeDetections,
  toFaceFindings,
  toTiles,
  type AgedFace,
  type FaceDetection,
  type FacePadding,
  type Tile,
} from './face-boxes.ts';

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
  /** Align faces on 68 landmarks before estimating age (face-api's default path). */
  landmarks?: boolean;
  padding?: FacePadding;
  timeoutMs?: number;
}

/**
 * Defaults chosen from measurements on the labelled fixtures (see tests/engines/faces.test.ts and
 * bench/faces.ts):
 * - minScore 0.4: the weakest real face (a woman in the three-adults group) scores 0.45; the painted
 *   face in The Scream scores 0.33;
 * - minorAgeBelow 18: the two children read 1.5–7 years at every size tried, adults 21–73; face-api
 *   is known to read a child of about 9 as 15 and adults in groups as 17–18, so the line errs on the
 *   side of flagging a child;
 * - tiles 'auto': without the tile pass, faces under about 110 px in a 4000×3000 photo are missed
 *   (SSD sees every input at 512 px); with it they are found down to about 60–90 px;
 * - landmarks off: aligning on landmarks did not move the ages in a useful direction (a passport
 *   portrait read 20 aligned, 28 unaligned) and costs a network pass per face.
 */
export const DEFAULT_FACE_OPTIONS = {
  maxSide: 1600,
  minScore: 0.4,
  minSide: 12,
  minorAgeBelow: 18,
  tiles: 'auto',
  tileMinSide: 1200,
  landmarks: false,
  timeoutMs: 20_000,
} as const satisfies Omit<Required<FaceAnalyzerOptions>, 'padding'>;

interface LoadedModels {
  faceapi: FaceApi;
  tf: TfRuntime;
  /** Milliseconds spent loading the backend and weights and warming up, in this process. */
  loadMs: number;
}

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
  // The first inference compiles kernels (0.5–1.4 s): pay it once here, not on a user's photo.
  const blank = faceapi.tf.zeros<FaceApiModule.tf.Rank.R3>([160, 160, 3], 'int32');
  try {
    await faceapi.nets.ssdMobilenetv1.locateFaces(
      blank,
      new faceapi.SsdMobilenetv1Options({ minConfidence: 0.9 }),
    );
    await faceapi.nets.faceLandmark68Net.detectLandmarks(blank);
    await faceapi.nets.ageGenderNet.predictAgeAndGender(blank);
  } finally {
    blank.dispose();
  }
  return { faceapi, tf, loadMs: performance.now() - t0 };
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

async function locate(
  m: LoadedModels,
  input: Tensor3D,
  minConfidence: number,
  offset?: Tile,
): Promise<FaceDetection[]> {
  const { faceapi } = m;
  const found = await faceapi.nets.ssdMobilenetv1.locateFaces(
    input,
    new faceapi.SsdMobilenetv1Options({ minConfidence, maxResults: 100 }),
  );
  return found.map((d) => ({
    x: d.box.x + (offset?.x ?? 0),
    y: d.box.y + (offset?.y ?? 0),
    width: d.box.width,
    height: d.box.height,
    score: d.score,
  }));
}

/** Age for each face, read from the full copy (aligned on landmarks when enabled). */
async function estimateAges(
  m: LoadedModels,
  input: Tensor3D,
  width: number,
  height: number,
  faces: readonly FaceDetection[],
  landmarks: boolean,
): Promise<AgedFace[]> {
  if (faces.length === 0) return [];
  const { faceapi } = m;
  const dets = faces.map(
    (f) =>
      new faceapi.FaceDetection(
        f.score,
        new faceapi.Rect(f.x / width, f.y / height, f.width / width, f.height / height),
        { width, height },
      ),
  );
  let predictions: FaceApiModule.AgeAndGenderPrediction[];
  if (landmarks) {
    const parents = dets.map((d) => faceapi.extendWithFaceDetection({}, d));
    const results = await new faceapi.DetectAllFaceLandmarksTask(Promise.resolve(parents), input, false)
      .withAgeAndGender()
      .run();
    predictions = results;
  } else {
    const crops = await faceapi.extractFaceTensors(input, dets);
    try {
      const out = await faceapi.nets.ageGenderNet.predictAgeAndGender(crops);
      predictions = Array.isArray(out) ? out : [out];
    } finally {
      for (const c of crops) c.dispose();
    }
  }
  return faces.map((f, i) => ({ ...f, age: predictions[i]?.age ?? Number.NaN }));
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
  opts: Omit<Required<FaceAnalyzerOptions>, 'padding' | 'timeoutMs' | 'maxSide' | 'minorAgeBelow'>,
  signal?: AbortSignal,
): Promise<FaceScan> {
  if (raw.channels !== 3) throw new Error('the face check needs an RGB copy');
  const m = await loadFaceModels();
  const { faceapi } = m;
  const input = faceapi.tf.tensor3d(raw.data, [raw.height, raw.width, 3], 'int32');
  try {
    // Weak boxes are kept for merging, then filtered, so a tile's strong box beats a full-frame weak one.
    const minConfidence = Math.min(opts.minScore, 0.3);
    const dets = await locate(m, input, minConfidence);
    let passes = 1;
    const runTiles =
      opts.tiles === 'always' ||
      (opts.tiles === 'auto' && Math.max(raw.width, raw.height) >= opts.tileMinSide);
    if (runTiles) {
      for (const tile of toTiles(raw.width, raw.height)) {
        if (signal) throwIfAborted(signal);
        const part = faceapi.tf.slice3d(input, [tile.y, tile.x, 0], [tile.height, tile.width, 3]);
        try {
          dets.push(...(await locate(m, part, minConfidence, tile)));
        } finally {
          part.dispose();
        }
        passes++;
      }
    }
    const kept = mergeDetections(dets).filter((d) => isKeptFace(d, opts));
    if (signal) throwIfAborted(signal);
    const faces = await estimateAges(m, input, raw.width, raw.height, kept, opts.landmarks);
    return { faces, width: raw.width, height: raw.height, scale: raw.scale, passes };
  } finally {
    input.dispose();
  }
}

/**
 * The face check. Loads the models once per process (and warms them up); each analyze() reads a
 * downscaled oriented RGB copy and returns `face` and `possible_minor` findings in displayed pixels.
 */
export async function createFaceAnalyzer(options: FaceAnalyzerOptions = {}): Promise<ClosableAnalyzer> {
  const opts = { ...DEFAULT_FACE_OPTIONS, ...options };
  await loadFaceModels();
  let closed = false;
  return {
    name: 'faces',
    timeoutMs: opts.timeoutMs,
    async analyze(ctx: AnalyzerContext): Promise<Finding[]> {
      if (closed) throw new Error('the face check was closed');
      const raw = await ctx.image.raw(opts.maxSide, 3);
      throwIfAborted(ctx.signal);
      const scan = await detectFaces(raw, opts, ctx.signal);
      return toFaceFindings(scan.faces, scan.scale, ctx.image.width, ctx.image.height, {
        minorAgeBelow: opts.minorAgeBelow,
        ...(opts.padding ? { padding: opts.padding } : {}),
      });
    },
    // The models stay loaded for the process (another analyzer may share them); nothing to release.
    close() {
      closed = true;
      return Promise.resolve();
    },
  };
}
