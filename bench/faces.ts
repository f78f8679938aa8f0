// The face stage on the 12-megapixel benchmark photo (composed in memory, bench/images.ts) and on a
// 1280 px copy (Telegram's compressed photo): model load once, the warm face stage (default: full
// frame + closer look, verification and age included; and full frame only), the floor
// (sharp decode + orient + re-encode of the same photo) in the same run, and a memory run of
// consecutive scans (RSS growth, tfjs tensor count).
// `npx tsx bench/faces.ts` (env FACES_RUNS, FACES_SCANS), or through `npm run bench -- --only faces`.
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { prepareImage } from '../src/analysis/image/decode.ts';
import { countFaceTensors, createFaceAnalyzer, loadFaceModels } from '../src/analysis/faces/analyzer.ts';
import { DEFAULT_SCAN_OPTIONS, type ClosableAnalyzer, type Finding } from '../src/types.ts';
import { makeBenchImages } from './images.ts';
import { floorOnce } from './pipeline.ts';
import { renderTable, toMb, toSummary } from './stats.ts';

const envInt = (name: string, dflt: number): number => {
  const v = Number.parseInt(process.env[name] ?? '', 10);
  return Number.isFinite(v) && v >= 0 ? v : dflt;
};

async function stageOnce(a: ClosableAnalyzer, bytes: Buffer): Promise<{ ms: number; found: Finding[] }> {
  // Decoding/validating the input is the pipeline's own stage; the face stage starts at analyze(),
  // which includes reading its downscaled copy.
  const image = await prepareImage(bytes);
  const t = performance.now();
  const found = await a.analyze({
    image,
    options: DEFAULT_SCAN_OPTIONS,
    signal: new AbortController().signal,
  });
  return { ms: performance.now() - t, found };
}

async function medianStage(a: ClosableAnalyzer, bytes: Buffer, runs: number) {
  const ms: number[] = [];
  const floors: number[] = [];
  let faces = 0;
  await stageOnce(a, bytes);
  for (let i = 0; i < runs; i++) {
    const r = await stageOnce(a, bytes);
    ms.push(r.ms);
    faces = r.found.filter((f) => f.kind === 'face').length;
    floors.push(await floorOnce(bytes));
  }
  return { stage: toSummary(ms), floor: toSummary(floors), faces };
}

const FIXTURES = new URL('../tests/fixtures/images/', import.meta.url);

/** Consecutive scans cycling through a small group photo, a child portrait and a tiled 2 MP photo. */
async function memoryRun(a: ClosableAnalyzer, photo12: Buffer, scans: number) {
  const photo2mp = await sharp(photo12).resize(1600, 1200).jpeg({ quality: 90 }).toBuffer();
  const inputs = [
    await readFile(new URL('faces_group_three-adults.jpg', FIXTURES)),
    await readFile(new URL('face_child_toddler.jpg', FIXTURES)),
    photo2mp,
  ];
  for (let i = 0; i < 6; i++) await stageOnce(a, inputs[i % inputs.length]!);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const rss0 = process.memoryUsage().rss;
  const tensors0 = await countFaceTensors();
  const t = performance.now();
  for (let i = 0; i < scans; i++) await stageOnce(a, inputs[i % inputs.length]!);
  const seconds = (performance.now() - t) / 1000;
  gc?.();
  return {
    scans,
    seconds: Math.round(seconds),
    rssStartMb: toMb(rss0),
    rssGrowthMb: toMb(process.memoryUsage().rss - rss0),
    tensorGrowth: (await countFaceTensors()) - tensors0,
  };
}

export async function benchFaces(): Promise<Record<string, number>> {
  const runs = Math.max(3, envInt('FACES_RUNS', 7));
  const scans = envInt('FACES_SCANS', 200);
  const t0 = performance.now();
  const { loadMs } = await loadFaceModels();
  const loadWallMs = performance.now() - t0;
  const { photo12mp } = await makeBenchImages();
  const tiled = await createFaceAnalyzer();
  const single = await createFaceAnalyzer({ tiles: 'never' });
  const withTiles = await medianStage(tiled, photo12mp.bytes, runs);
  const fullOnly = await medianStage(single, photo12mp.bytes, runs);
  const photo1280 = await sharp(photo12mp.bytes)
    .resize(1280, 1280, { fit: 'inside' })
    .jpeg({ quality: 87 })
    .toBuffer();
  const small = await medianStage(tiled, photo1280, runs);
  const mem = scans > 0 ? await memoryRun(tiled, photo12mp.bytes, scans) : undefined;
  await tiled.close();
  await single.close();
  const floor = withTiles.floor;
  return {
    model_load_ms: Math.round(loadMs),
    model_load_wall_ms: Math.round(loadWallMs),
    runs,
    faces_found_12mp: withTiles.faces,
    face_stage_median_ms: withTiles.stage.median,
    face_stage_p95_ms: withTiles.stage.p95,
    face_stage_full_frame_only_median_ms: fullOnly.stage.median,
    faces_found_12mp_full_frame_only: fullOnly.faces,
    floor_median_ms: floor.median,
    face_stage_1280_median_ms: small.stage.median,
    faces_found_1280: small.faces,
    floor_1280_median_ms: small.floor.median,
    ratio_face_stage_to_floor: Math.round((withTiles.stage.median / floor.median) * 10) / 10,
    ratio_full_frame_only_to_floor: Math.round((fullOnly.stage.median / fullOnly.floor.median) * 10) / 10,
    ...(mem
      ? {
          memory_scans: mem.scans,
          memory_seconds: mem.seconds,
          memory_rss_start_mb: mem.rssStartMb,
          memory_rss_growth_mb: mem.rssGrowthMb,
          memory_tensor_growth: mem.tensorGrowth,
        }
      : {}),
  };
}

export function renderBenchFaces(r: Record<string, number>): string {
  const rows: string[][] = [['measure', 'value']];
  for (const [k, v] of Object.entries(r)) rows.push([k, String(v)]);
  return renderTable(rows);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await benchFaces();
  console.log(renderBenchFaces(r));
  console.log(
    `\nface stage ${r.face_stage_median_ms} ms median warm (target ≤ 450) = ${r.ratio_face_stage_to_floor}× the floor (${r.floor_median_ms} ms); ` +
      `1280 px ${r.face_stage_1280_median_ms} ms (target ≤ 150); ` +
      `full frame only ${r.face_stage_full_frame_only_median_ms} ms = ${r.ratio_full_frame_only_to_floor}×; model load ${r.model_load_ms} ms (target ≤ 2000)` +
      (r.memory_scans
        ? `; ${r.memory_scans} scans: RSS +${r.memory_rss_growth_mb} MB (target < 50), tensors ${(r.memory_tensor_growth ?? 0) >= 0 ? '+' : ''}${r.memory_tensor_growth}`
        : ''),
  );
}
