// `npm run bench [-- --only pipeline,native,faces,text,codes,queue,cli,load] [--json]`
// Env: BENCH_RUNS (timed runs per image, default 7), BENCH_SCANS (memory loop, default 500);
// the queue part reads its own (BENCH_QUEUE_JOBS, BENCH_QUEUE_CHECKS=metadata,faces,text,codes for
// the full engine set). Run with MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072, as the worker image does.
// Every part runs in this process, one after the other; the analyzer and queue benchmarks owned by
// other modules (bench/faces.ts, text.ts, codes.ts, queue.ts) are loaded when present.
import { existsSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { guardStdout, writeStdout } from '../src/stdout-guard.ts';
import { benchNative, renderNativeBench, type NativeBench } from './compare-native.ts';
import { benchPipeline, renderPipelineBench, type PipelineBench } from './pipeline.ts';
import { renderTable } from './stats.ts';

const PARTS = ['pipeline', 'native', 'faces', 'text', 'codes', 'queue', 'cli', 'load'] as const;
type Part = (typeof PARTS)[number];

/** Benchmarks other modules own: file and exported function name. */
const EXTERNAL: Record<Exclude<Part, 'pipeline' | 'native'>, { file: string; fn: string }> = {
  faces: { file: 'faces.ts', fn: 'benchFaces' },
  text: { file: 'text.ts', fn: 'benchText' },
  codes: { file: 'codes.ts', fn: 'benchCodes' },
  queue: { file: 'queue.ts', fn: 'benchQueue' },
  cli: { file: 'cli.ts', fn: 'benchCli' },
  load: { file: 'throughput.ts', fn: 'benchThroughput' },
};

export interface Targets {
  photoMedianMs: { value: number; target: 1000; met: boolean };
  photoFloorRatio: { value: number; target: 8; met: boolean };
  photo1280MedianMs?: { value: number; target: 300; met: boolean };
  workerPeakRssMb: { value: number; target: 800; met: boolean };
  rssDriftMb?: { value: number; target: 50; met: boolean; scans: number };
  dominantStage: { stage: string; medianMs: number };
}

export function decideTargets(p: PipelineBench): Targets | undefined {
  const photo = p.images.find((i) => i.image === 'photo-12mp');
  const total = photo?.stages.total?.median;
  if (!photo || total === undefined) return undefined;
  const small = p.images.find((i) => i.image === 'photo-1280')?.stages.total?.median;
  // The stage that costs most: analyzers run in parallel, so the slowest one bounds the scan and the
  // re-scan (verify) repeats it.
  const dominant = (['decode', 'metadata', 'faces', 'text', 'codes', 'sanitize', 'verify'] as const)
    .map((s) => ({ stage: s, medianMs: photo.stages[s]?.median ?? 0 }))
    .sort((a, b) => b.medianMs - a.medianMs)[0]!;
  return {
    photoMedianMs: { value: total, target: 1000, met: total <= 1000 },
    photoFloorRatio: { value: photo.ratio, target: 8, met: photo.ratio <= 8 },
    ...(small !== undefined ? { photo1280MedianMs: { value: small, target: 300, met: small <= 300 } } : {}),
    workerPeakRssMb: { value: p.peakRssMb, target: 800, met: p.peakRssMb <= 800 },
    ...(p.memory
      ? {
          rssDriftMb: {
            value: p.memory.driftMb,
            target: 50,
            met: Math.abs(p.memory.driftMb) <= 50,
            scans: p.memory.scans,
          },
        }
      : {}),
    dominantStage: dominant,
  };
}

function renderTargets(t: Targets): string {
  const yes = (b: boolean): string => (b ? 'met' : 'MISSED');
  const lines = [
    `- 12-MP photo, warm, re-scan included: median ${Math.round(t.photoMedianMs.value)} ms (target ≤ 1000): ${yes(t.photoMedianMs.met)}${t.photoMedianMs.met ? '' : ` by ${Math.round(t.photoMedianMs.value - 1000)} ms`}`,
    `- 12-MP photo vs floor: ${t.photoFloorRatio.value}× (target ≤ 8×): ${yes(t.photoFloorRatio.met)}`,
    ...(t.photo1280MedianMs
      ? [
          `- 1280-px photo, warm, re-scan included: median ${Math.round(t.photo1280MedianMs.value)} ms (target ≤ 300): ${yes(t.photo1280MedianMs.met)}`,
        ]
      : []),
    `- peak RSS ${t.workerPeakRssMb.value} MB (target ≤ 800): ${yes(t.workerPeakRssMb.met)}`,
  ];
  if (t.rssDriftMb)
    lines.push(
      `- RSS after ${t.rssDriftMb.scans} scans − after 10: ${t.rssDriftMb.value} MB (target within 50): ${yes(t.rssDriftMb.met)}`,
    );
  lines.push(
    `- dominant stage on the 12-MP photo: ${t.dominantStage.stage} (median ${Math.round(t.dominantStage.medianMs)} ms)`,
  );
  return lines.join('\n');
}

interface BenchOutput {
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    node: string;
    loadBefore: number[];
    loadAfter?: number[];
  };
  date: string;
  pipeline?: PipelineBench;
  targets?: Targets;
  native?: NativeBench;
  external: Record<string, unknown>;
  skipped: string[];
}

const isFlat = (r: unknown): r is Record<string, number | string> =>
  typeof r === 'object' &&
  r !== null &&
  Object.values(r).every((v) => typeof v === 'number' || typeof v === 'string');

const envInt = (name: string, dflt: number): number => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v >= 0 && process.env[name] !== '' && process.env[name] !== undefined
    ? v
    : dflt;
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { only: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const only = values.only?.split(',').map((s) => s.trim()) ?? [...PARTS];
  const bad = only.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (bad.length > 0) throw new Error(`--only takes a list of ${PARTS.join(', ')}`);
  const wanted = new Set(only as Part[]);
  const log = (s: string): void => void process.stderr.write(`${s}\n`);
  const round2 = (xs: number[]): number[] => xs.map((x) => Math.round(x * 100) / 100);
  const out: BenchOutput = {
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(totalmem() / 1024 ** 3),
      node: process.version,
      loadBefore: round2(loadavg()),
    },
    date: new Date().toISOString(),
    external: {},
    skipped: [],
  };
  const restore = guardStdout();
  const text: string[] = [];
  try {
    if (wanted.has('pipeline')) {
      log('pipeline: latency per stage, floor, memory');
      out.pipeline = await benchPipeline({
        runs: envInt('BENCH_RUNS', 7),
        scans: envInt('BENCH_SCANS', 500),
        log,
      });
      const targets = decideTargets(out.pipeline);
      text.push('## Pipeline (one process, warm)', '', renderPipelineBench(out.pipeline));
      if (targets) {
        out.targets = targets;
        text.push('', '## Targets', '', renderTargets(targets));
      }
    }
    if (wanted.has('native')) {
      log('native: tesseract CLI, exiftool, mat2');
      out.native = await benchNative({ runs: Math.max(3, Math.min(envInt('BENCH_RUNS', 7), 7)), log });
      text.push('', '## Side by side with native tools', '', renderNativeBench(out.native));
    }
    for (const part of ['faces', 'text', 'codes', 'queue', 'cli', 'load'] as const) {
      if (!wanted.has(part)) continue;
      const { file, fn } = EXTERNAL[part];
      const path = resolve(import.meta.dirname, file);
      if (!existsSync(path)) {
        out.skipped.push(`${part}: bench/${file} not present`);
        continue;
      }
      log(`${part}: bench/${file} ${fn}()`);
      const mod = (await import(path)) as Record<string, unknown>;
      const f = mod[fn];
      if (typeof f !== 'function') {
        out.skipped.push(`${part}: bench/${file} does not export ${fn}`);
        continue;
      }
      try {
        const r: unknown = await (f as () => Promise<unknown>)();
        out.external[part] = r;
        const render = mod[`render${fn.slice(0, 1).toUpperCase()}${fn.slice(1)}`];
        text.push(
          '',
          `## ${part} (bench/${file})`,
          '',
          typeof render === 'function'
            ? String((render as (x: unknown) => unknown)(r))
            : isFlat(r)
              ? renderTable([['measure', 'value'], ...Object.entries(r).map(([k, v]) => [k, String(v)])])
              : JSON.stringify(r, null, 2),
        );
        if (part === 'queue' && isFlat(r) && typeof r['queue_2w_photos_per_min'] === 'number') {
          const v = r['queue_2w_photos_per_min'];
          text.push(
            '',
            `- queue throughput with 2 workers: ${v} photos/min (target ≥ 60): ${v >= 60 ? 'met' : 'MISSED'} (engines: ${process.env['BENCH_QUEUE_CHECKS'] ?? 'metadata'})`,
          );
        }
      } catch (e) {
        out.skipped.push(
          `${part}: ${fn}() failed: ${e instanceof Error ? e.message.slice(0, 160) : String(e)}`,
        );
      }
    }
  } finally {
    restore();
  }
  out.machine.loadAfter = round2(loadavg());
  const m = out.machine;
  const header = `# Preflight benchmark — ${out.date.slice(0, 16).replace('T', ' ')} UTC, ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, Node ${m.node}; load average before ${m.loadBefore.join(' ')}, after ${(m.loadAfter ?? []).join(' ')}`;
  if (out.skipped.length > 0) text.push('', ...out.skipped.map((s) => `Skipped — ${s}`));
  writeStdout(values.json ? `${JSON.stringify(out, null, 2)}\n` : `${header}\n\n${text.join('\n').trim()}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  main().catch((e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
}
