// Whole-engine latency and memory, in one process: createEngines start-up, per-stage medians and p95
// (scanImage hooks) for a 12-MP photo, a phone screenshot and a small photo, each next to the floor
// (sharp decode + autoOrient + re-encode q90 of the same bytes) measured in the same loop; ten
// different 12-MP photos each scanned once (the repeated bench photo reuses what onnxruntime planned
// for its shapes; photos that differ do not); then RSS over many scans.
// Run alone: `npx tsx bench/run.ts --only pipeline`.
import sharp from 'sharp';
import { createEngines } from '../src/analysis/pipeline/engines.ts';
import { scanImage } from '../src/analysis/pipeline/scan.ts';
import type { Engines } from '../src/types.ts';
import { makeBenchImages, makeVariedPhotos, VARIED_FIXTURES, type BenchImage } from './images.ts';
import { renderTable, toMb, toSummary, type Summary } from './stats.ts';

export const STAGES = [
  'decode',
  'metadata',
  'faces',
  'text',
  'codes',
  'sanitize',
  'verify',
  'total',
] as const;
export type Stage = (typeof STAGES)[number];

export interface ImageBench {
  image: string;
  description: string;
  width: number;
  height: number;
  bytes: number;
  /** The first scan in the process for this image (models already loaded by createEngines). */
  firstScanMs: number;
  stages: Partial<Record<Stage, Summary>>;
  floor: Summary;
  /** median total / median floor. */
  ratio: number;
  /** Checks that did not complete during the timed runs (name → count). */
  incomplete: Record<string, number>;
  findings: string[];
}

export interface MemoryBench {
  scans: number;
  images: string[];
  rssAfter10Mb: number;
  rssAfterAllMb: number;
  driftMb: number;
  peakRssMb: number;
  heapUsedAfterAllMb: number;
  msPerScan: number;
}

/** Different photos, each scanned once after the timed runs. */
export interface VariedBench {
  photos: number;
  total: Summary;
  floor: Summary;
}

export interface PipelineBench {
  engineStartMs: number;
  rssAfterStartMb: number;
  images: ImageBench[];
  varied?: VariedBench;
  memory?: MemoryBench;
  peakRssMb: number;
  mallocArenaMax: string | null;
  /** MALLOC_MMAP_THRESHOLD_ of this process (the workers and the CLI set 131072). */
  mallocMmapThreshold?: string | null;
}

export interface PipelineBenchOptions {
  /** Timed runs per image (after a warm-up). */
  runs?: number;
  warmup?: number;
  /** Scans for the memory part (0 skips it). */
  scans?: number;
  log?: (s: string) => void;
}

const rssMb = (): number => toMb(process.memoryUsage().rss);
const peakMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

/** The floor: what any tool that re-encodes the photo must at least spend. */
/**
 * The floor, as the issues define it: sharp's decode, orientation and q90 re-encode with sharp's
 * defaults (its Huffman optimisation included, which the sanitized copy's encoder skips: the floor is
 * kept as defined, so ratios stay comparable from run to run).
 */
export async function floorOnce(bytes: Buffer): Promise<number> {
  const t = performance.now();
  await sharp(bytes).autoOrient().jpeg({ quality: 90 }).toBuffer();
  return performance.now() - t;
}

async function scanTimed(bytes: Buffer, engines: Engines) {
  const stages: Partial<Record<Stage, number>> = {};
  const t = performance.now();
  const out = await scanImage(bytes, engines, {}, undefined, {
    onStage: (stage, ms) => {
      if ((STAGES as readonly string[]).includes(stage)) stages[stage as Stage] = ms;
    },
  });
  stages.total = performance.now() - t;
  return { stages, report: out.report };
}

async function benchImage(
  img: BenchImage,
  engines: Engines,
  runs: number,
  warmup: number,
  log: (s: string) => void,
) {
  const meta = await sharp(img.bytes).metadata();
  const first = await scanTimed(img.bytes, engines);
  log(`  ${img.name}: first scan ${Math.round(first.stages.total ?? 0)} ms`);
  for (let i = 0; i < warmup; i++) {
    await scanTimed(img.bytes, engines);
    await floorOnce(img.bytes);
  }
  const per: Record<Stage, number[]> = Object.fromEntries(STAGES.map((s) => [s, []])) as unknown as Record<
    Stage,
    number[]
  >;
  const floors: number[] = [];
  const incomplete: Record<string, number> = {};
  let findings: string[] = [];
  for (let i = 0; i < runs; i++) {
    // Interleaved, so the floor sees the same machine load as the scans.
    floors.push(await floorOnce(img.bytes));
    const r = await scanTimed(img.bytes, engines);
    for (const s of STAGES) if (r.stages[s] !== undefined) per[s].push(r.stages[s]);
    for (const c of r.report.checks)
      if (c.status !== 'ok') incomplete[c.name] = (incomplete[c.name] ?? 0) + 1;
    findings = [...new Set(r.report.findings.map((f) => f.kind))];
    log(`  ${img.name}: run ${i + 1}/${runs} total ${Math.round(r.stages.total ?? 0)} ms`);
  }
  const stages: Partial<Record<Stage, Summary>> = {};
  for (const s of STAGES) if (per[s].length > 0) stages[s] = toSummary(per[s]);
  const floor = toSummary(floors);
  return {
    image: img.name,
    description: img.description,
    width: meta.autoOrient?.width ?? meta.width ?? 0,
    height: meta.autoOrient?.height ?? meta.height ?? 0,
    bytes: img.bytes.length,
    firstScanMs: Math.round(first.stages.total ?? 0),
    stages,
    floor,
    ratio: Math.round(((stages.total?.median ?? Number.NaN) / floor.median) * 10) / 10,
    incomplete,
    findings,
  } satisfies ImageBench;
}

async function benchVaried(engines: Engines, log: (s: string) => void): Promise<VariedBench> {
  const totals: number[] = [];
  const floors: number[] = [];
  for (const [i, bytes] of (await makeVariedPhotos()).entries()) {
    floors.push(await floorOnce(bytes));
    const t = performance.now();
    await scanImage(bytes, engines);
    totals.push(performance.now() - t);
    log(`  ${VARIED_FIXTURES[i]} at 12 MP: ${Math.round(totals[i]!)} ms`);
  }
  return { photos: totals.length, total: toSummary(totals), floor: toSummary(floors) };
}

async function benchMemory(images: BenchImage[], engines: Engines, scans: number, log: (s: string) => void) {
  let rss10 = 0;
  const t = performance.now();
  for (let i = 1; i <= scans; i++) {
    await scanImage(images[i % images.length]!.bytes, engines);
    if (i === Math.min(10, scans)) rss10 = rssMb();
    if (i % 50 === 0) log(`  memory: ${i}/${scans} scans, RSS ${rssMb()} MB`);
  }
  const after = rssMb();
  return {
    scans,
    images: images.map((i) => i.name),
    rssAfter10Mb: rss10,
    rssAfterAllMb: after,
    driftMb: after - rss10,
    peakRssMb: peakMb(),
    heapUsedAfterAllMb: toMb(process.memoryUsage().heapUsed),
    msPerScan: Math.round((performance.now() - t) / Math.max(1, scans)),
  } satisfies MemoryBench;
}

export async function benchPipeline(opts: PipelineBenchOptions = {}): Promise<PipelineBench> {
  const log = opts.log ?? (() => undefined);
  const runs = opts.runs ?? 7;
  const warmup = opts.warmup ?? 1;
  const scans = opts.scans ?? 500;
  const images = await makeBenchImages();
  let t = performance.now();
  const engines = await createEngines({
    onEngineError: (n, r) => log(`  the ${n} check is unavailable: ${r}`),
  });
  const engineStartMs = Math.round(performance.now() - t);
  const rssAfterStartMb = rssMb();
  log(`  engines started in ${engineStartMs} ms, RSS ${rssAfterStartMb} MB`);
  try {
    const results: ImageBench[] = [];
    for (const img of [images.photo12mp, images.photo1280, images.screenshot, images.small])
      results.push(await benchImage(img, engines, runs, warmup, log));
    const varied = await benchVaried(engines, log);
    t = performance.now();
    const memory =
      scans > 0 ? await benchMemory([images.small, images.medium], engines, scans, log) : undefined;
    return {
      engineStartMs,
      rssAfterStartMb,
      images: results,
      varied,
      ...(memory ? { memory } : {}),
      peakRssMb: peakMb(),
      mallocArenaMax: process.env['MALLOC_ARENA_MAX'] ?? null,
      mallocMmapThreshold: process.env['MALLOC_MMAP_THRESHOLD_'] ?? null,
    };
  } finally {
    await engines.close();
  }
}

const fmt = (s: Summary | undefined): string =>
  s === undefined ? '—' : `${Math.round(s.median)} / ${Math.round(s.p95)}`;

const toAllocatorNote = (b: PipelineBench): string =>
  `MALLOC_ARENA_MAX=${b.mallocArenaMax ?? 'unset'}, MALLOC_MMAP_THRESHOLD_=${b.mallocMmapThreshold ?? 'unset'}`;

export function renderPipelineBench(b: PipelineBench): string {
  const rows: string[][] = [
    ['Stage (median / p95 ms)', ...b.images.map((i) => `${i.image} ${i.width}×${i.height}`)],
    ...STAGES.map((s) => [
      s === 'verify' ? 'verify (audit + re-scan)' : s,
      ...b.images.map((i) => fmt(i.stages[s])),
    ]),
    ['floor: sharp decode+orient+q90', ...b.images.map((i) => fmt(i.floor))],
    ['total ÷ floor (medians)', ...b.images.map((i) => `${i.ratio}×`)],
    ['first scan in process', ...b.images.map((i) => `${i.firstScanMs}`)],
  ];
  const out = [
    renderTable(rows),
    '',
    `createEngines (models, OCR and code reader start-up): ${b.engineStartMs} ms; RSS after start ${b.rssAfterStartMb} MB.`,
  ];
  if (b.varied) {
    const v = b.varied;
    out.push(
      '',
      `${v.photos} different 12-MP photos (fixtures brought to 12 MP, bench/images.ts), each scanned once: ` +
        `median ${Math.round(v.total.median)} ms, p95 ${Math.round(v.total.p95)} ms ` +
        `(${Math.round((v.total.median / v.floor.median) * 10) / 10}× their floor, median ${Math.round(v.floor.median)} ms).`,
    );
  }
  for (const i of b.images) {
    const inc = Object.entries(i.incomplete);
    if (inc.length > 0)
      out.push(`${i.image}: checks not ok in timed runs: ${inc.map(([n, c]) => `${n} ×${c}`).join(', ')}.`);
  }
  if (b.memory) {
    const m = b.memory;
    out.push(
      '',
      renderTable([
        ['Memory', 'MB'],
        [`RSS after ${Math.min(10, m.scans)} scans`, String(m.rssAfter10Mb)],
        [`RSS after ${m.scans} scans`, String(m.rssAfterAllMb)],
        [`drift (after ${m.scans} − after ${Math.min(10, m.scans)})`, String(m.driftMb)],
        ['peak RSS (whole run, 12-MP included)', String(b.peakRssMb)],
      ]),
      '',
      `Memory loop: ${m.scans} scans alternating ${m.images.join(' and ')}, ${m.msPerScan} ms per scan; ${toAllocatorNote(b)}.`,
    );
  } else out.push(`Peak RSS ${b.peakRssMb} MB; ${toAllocatorNote(b)}.`);
  return out.join('\n');
}
