// `npx preflight scan` as a user runs it (`npm run bench -- --only cli`): start-up (first report minus
// the warm in-process scan of the same photo, same run), a refused input's answer time, and the wall
// time and peak RSS of a scan of 11 different 12-MP photos (the bench photo and ten fixtures brought
// to 12 MP: images.ts makeVariedPhotos), each with no MALLOC_ARENA_MAX in the environment.
// The photos go to a memory-backed folder (/dev/shm when there is one) and are deleted after.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createEngines } from '../src/analysis/pipeline/engines.ts';
import { scanImage } from '../src/analysis/pipeline/scan.ts';
import { makeBenchImages, makeVariedPhotos } from './images.ts';
import { renderTable, toSummary, type Summary } from './stats.ts';

const BIN = resolve(import.meta.dirname, '../bin/preflight.js');

export interface CliBench {
  /** Spawn → first byte of the report, one 12-MP photo, full engine. */
  firstReportMs: Summary;
  /** Warm scan of the same photo in this process (engines loaded once). */
  warmScanMs: Summary;
  /** firstReport median − warmScan median. */
  startupMs: number;
  /** Spawn → exit for an empty file. */
  refusalMs: Summary;
  /** 11 different photos in one run: wall time and peak RSS (sum over the process tree). */
  elevenPhotos: { wallMs: number; peakRssMb: number; exitCode: number | null };
  arena: string;
}

interface RunResult {
  firstOutMs: number;
  wallMs: number;
  peakRssMb: number;
  code: number | null;
}

/** VmHWM (peak RSS, kB) of a process, or 0 when it is gone. */
function hwmKb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8')
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map(Number),
    );
  } catch {
    return [];
  }
}

/** Runs the CLI with `env`, sampling the peak RSS of it and its children every 20 ms. */
function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let firstOutMs = Number.NaN;
    const peak = new Map<number, number>();
    const sample = (): void => {
      const seen = [child.pid!];
      for (let i = 0; i < seen.length; i++) seen.push(...childrenOf(seen[i]!));
      for (const pid of seen) peak.set(pid, Math.max(peak.get(pid) ?? 0, hwmKb(pid)));
    };
    const timer = setInterval(sample, 20);
    child.stdout.on('data', () => {
      if (Number.isNaN(firstOutMs)) firstOutMs = performance.now() - t0;
    });
    child.stderr.resume();
    child.on('error', fail);
    child.on('exit', (code) => {
      clearInterval(timer);
      const kb = [...peak.values()].reduce((a, b) => a + b, 0);
      done({ firstOutMs, wallMs: performance.now() - t0, peakRssMb: Math.round(kb / 1024), code });
    });
  });
}

export async function benchCli(): Promise<CliBench> {
  if (!existsSync('/proc/self/status')) throw new Error('bench/cli.ts reads /proc (Linux only)');
  const env = { ...process.env };
  delete env['MALLOC_ARENA_MAX'];
  const runs = Math.max(3, Number(process.env['BENCH_RUNS'] ?? 5));
  const photo = (await makeBenchImages()).photo12mp.bytes;
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'preflight-bench-'));
  try {
    const photos = [photo, ...(await makeVariedPhotos())];
    const files = photos.map((_, i) => join(dir, `photo-${i + 1}.jpg`));
    photos.forEach((p, i) => writeFileSync(files[i]!, p));
    const empty = join(dir, 'empty.jpg');
    writeFileSync(empty, '');

    const refusal: number[] = [];
    const first: number[] = [];
    for (let i = 0; i < runs; i++) {
      refusal.push((await runCli(['scan', empty], env)).wallMs);
      first.push((await runCli(['scan', files[0]!, '--json'], env)).firstOutMs);
    }
    const eleven = await runCli(['scan', ...files, '--json', '--out', join(dir, 'out')], env);

    // The warm scan of the same photo, engines loaded once, in this process.
    const engines = await createEngines();
    const warm: number[] = [];
    try {
      await scanImage(photo, engines);
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        await scanImage(photo, engines);
        warm.push(performance.now() - t);
      }
    } finally {
      await engines.close();
    }
    const firstReportMs = toSummary(first);
    const warmScanMs = toSummary(warm);
    return {
      firstReportMs,
      warmScanMs,
      startupMs: Math.round(firstReportMs.median - warmScanMs.median),
      refusalMs: toSummary(refusal),
      elevenPhotos: {
        wallMs: Math.round(eleven.wallMs),
        peakRssMb: eleven.peakRssMb,
        exitCode: eleven.code,
      },
      arena: 'MALLOC_ARENA_MAX unset in the environment given to the CLI',
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function renderBenchCli(b: CliBench): string {
  const f = (s: Summary): string => `${Math.round(s.median)} / ${Math.round(s.p95)}`;
  return [
    renderTable([
      ['`npx preflight scan` (median / p95 ms)', 'value'],
      ['first report, one 12-MP photo', f(b.firstReportMs)],
      ['warm scan of the same photo (in process)', f(b.warmScanMs)],
      ['start-up (first report − warm scan)', String(b.startupMs)],
      ['refused input (empty file), spawn → exit', f(b.refusalMs)],
      ['11 different 12-MP photos: wall ms', String(b.elevenPhotos.wallMs)],
      ['11 different 12-MP photos: peak RSS MB', String(b.elevenPhotos.peakRssMb)],
    ]),
    '',
    `${b.arena}; peak RSS is the sum of each process's peak (the CLI and any process it starts).`,
  ].join('\n');
}
