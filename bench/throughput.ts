// Throughput of the whole engine through the real queue (`npm run bench -- --only load`): two worker
// processes (worker/main.ts, one scan thread each, as `npm run start:worker` runs them) on real Redis,
// this process as the bots (scan service + results dispatcher). For a 12-MP photo and a 1280-px one
// (Telegram's compressed size): a burst of N photos from M users (photos per minute), then photos
// paced at the target rate (p50/p95 upload → reply at that rate); then each worker's RSS drift over
// many photos. Env: REDIS_URL (DB 5, unique prefix, cleaned up), BENCH_LOAD_PHOTOS (burst, default
// 30), BENCH_LOAD_USERS (default 10), BENCH_LOAD_PACED (seconds of paced photos, default 30),
// BENCH_LOAD_DRIFT (photos for the drift, default 500), BENCH_LOAD_TIMEOUT_MS (a reply not there by then
// counts as failed, default 600 000). The workers get MALLOC_ARENA_MAX (default 2) and
// MALLOC_MMAP_THRESHOLD_ (default the CLI's, src/allocator-arena.ts) from this environment.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { MMAP_THRESHOLD } from '../src/allocator-arena.ts';
import { makeBenchImages } from './images.ts';
import { createBenchClient } from './submit.ts';
import { renderTable, toSummary, type Summary } from './stats.ts';

const ROOT = resolve(import.meta.dirname, '..');
const DB = 5;

export interface RateFigures {
  image: string;
  burst: { photos: number; users: number; photosPerMin: number; latencyMs: Summary; failed: number };
  paced: { photos: number; perMin: number; latencyMs: Summary; failed: number };
}

export interface ThroughputBench {
  workers: number;
  entry: string;
  rates: RateFigures[];
  drift: { photos: number; rssMb: { after20: number; atEnd: number; peak: number; drift: number }[] };
  mallocArenaMax: string;
  /** MALLOC_MMAP_THRESHOLD_ given to the workers (absent in results written before it was set). */
  mallocMmapThreshold?: string;
}

interface Worker {
  child: ChildProcess;
  rssMb(): number;
  /** The end of what the worker wrote to stderr (for an error message when it dies). */
  stderrTail(): string;
}

const rssOf = (pid: number): number => {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : 0;
  } catch {
    return 0;
  }
};

/** A worker process as deployed: the compiled entry when built, else the TypeScript one through tsx. */
function startWorker(env: Record<string, string>): Promise<Worker> {
  const dist = resolve(ROOT, 'dist/worker/main.js');
  const args = existsSync(dist) ? [dist] : ['--import', 'tsx', resolve(ROOT, 'worker/main.ts')];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  child.stderr.on('data', (d: Buffer) => void (tail = `${tail}${String(d)}`.slice(-600)));
  const worker: Worker = { child, rssMb: () => rssOf(child.pid!), stderrTail: () => tail.trim() };
  return new Promise((ok, fail) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (l) => {
      if (l.includes('"worker ready"')) ok(worker);
    });
    child.once('error', fail);
    child.once('exit', (code) =>
      fail(new Error(`worker exited (${code}) before it was ready: ${tail.trim()}`)),
    );
  });
}

/** SIGTERM (the worker finishes its scans and closes its threads), then SIGKILL after `graceMs`. */
async function stopWorker(w: Worker, graceMs = 60_000): Promise<void> {
  if (w.child.exitCode !== null || w.child.signalCode !== null) return;
  const exited = new Promise((r) => w.child.once('exit', r));
  w.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), graceMs)));
  if ((await Promise.race([exited, late])) === 'late') {
    w.child.kill('SIGKILL');
    await exited;
  }
  clearTimeout(timer);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function benchThroughput(): Promise<ThroughputBench> {
  const burstN = Number(process.env['BENCH_LOAD_PHOTOS'] ?? 30);
  const users = Number(process.env['BENCH_LOAD_USERS'] ?? 10);
  const driftN = Number(process.env['BENCH_LOAD_DRIFT'] ?? 500);
  const pacedSec = Number(process.env['BENCH_LOAD_PACED'] ?? 30);
  const log = (s: string): void => void process.stderr.write(`  load: ${s}\n`);
  const arena = process.env['MALLOC_ARENA_MAX'] ?? '2';
  // The CLI's fixed mmap threshold (src/allocator-arena.ts), unless this environment sets one.
  const mmapThreshold = process.env['MALLOC_MMAP_THRESHOLD_'] ?? MMAP_THRESHOLD;
  const images = await makeBenchImages();
  const client = await createBenchClient('pfl', DB);
  const { prefix, key } = client;
  const url = client.redisUrl;
  const workerEnv = {
    REDIS_URL: `${url.replace(/\/\d+$/, '')}/${DB}`,
    QUEUE_PREFIX: prefix,
    BLOB_KEY: key.toString('base64'),
    ENGINE_CHECKS: 'metadata,faces,text,codes',
    WORKER_CONCURRENCY: '1',
    LOG_LEVEL: 'info',
    MALLOC_ARENA_MAX: arena,
    MALLOC_MMAP_THRESHOLD_: mmapThreshold,
  };
  const started = await Promise.allSettled([startWorker(workerEnv), startWorker(workerEnv)]);
  const workers = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const notStarted = started.find((r) => r.status === 'rejected');
  if (notStarted) {
    await Promise.all(workers.map((w) => stopWorker(w)));
    await client.close();
    throw notStarted.reason;
  }
  // A worker that dies mid-run fails the bench at once, instead of leaving its photos unanswered.
  let stopping = false;
  const died = new Promise<never>((_, fail) =>
    workers.forEach((w, i) =>
      w.child.once('exit', (code, signal) => {
        if (!stopping)
          fail(new Error(`worker ${i + 1} exited (${code ?? signal}) during the bench: ${w.stderrTail()}`));
      }),
    ),
  );
  died.catch(() => undefined);
  const timeoutMs = Number(process.env['BENCH_LOAD_TIMEOUT_MS'] ?? 600_000);
  const send = (bytes: Buffer, user: number): Promise<{ ms: number; ok: boolean }> =>
    Promise.race([client.submit(bytes, user, timeoutMs), died]);

  try {
    const rates: RateFigures[] = [];
    for (const [img, perMin, burst] of [
      [images.photo12mp, 60, burstN],
      [images.photo1280, 150, Math.round(burstN * 2)],
    ] as const) {
      await Promise.all([send(img.bytes, 0), send(img.bytes, 1)]); // warm both workers
      const t0 = performance.now();
      const b = await Promise.all(Array.from({ length: burst }, (_, i) => send(img.bytes, i % users)));
      const wall = performance.now() - t0;
      log(`${img.name}: burst of ${burst} in ${Math.round(wall)} ms`);
      // Paced: one photo every 60 000 / perMin ms, for pacedSec seconds.
      const pacedN = Math.max(5, Math.round((perMin * pacedSec) / 60));
      const paced = await Promise.all(
        Array.from({ length: pacedN }, async (_, i) => {
          await sleep((i * 60_000) / perMin);
          return send(img.bytes, i % users);
        }),
      );
      rates.push({
        image: `${img.name}`,
        burst: {
          photos: burst,
          users,
          photosPerMin: Math.round((burst / wall) * 60_000 * 10) / 10,
          latencyMs: toSummary(b.map((r) => r.ms)),
          failed: b.filter((r) => !r.ok).length,
        },
        paced: {
          photos: pacedN,
          perMin,
          latencyMs: toSummary(paced.map((r) => r.ms)),
          failed: paced.filter((r) => !r.ok).length,
        },
      });
    }

    // Drift: many photos (one 12-MP in five), two in flight per worker; RSS after 20 and at the end.
    const after20: number[] = [];
    const peak = workers.map((w) => w.rssMb());
    const sampler = setInterval(
      () => workers.forEach((w, i) => (peak[i] = Math.max(peak[i]!, w.rssMb()))),
      250,
    );
    let next = 0;
    let done = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < driftN) {
          const i = next++;
          await send(i % 5 === 0 ? images.photo12mp.bytes : images.photo1280.bytes, i % users);
          if (++done === 20) after20.push(...workers.map((w) => w.rssMb()));
          if (done % 20 === 0)
            log(`drift: ${done}/${driftN}, RSS ${workers.map((w) => w.rssMb()).join(' / ')} MB`);
        }
      }),
    );
    clearInterval(sampler);
    const atEnd = workers.map((w) => w.rssMb());
    return {
      workers: workers.length,
      entry: existsSync(resolve(ROOT, 'dist/worker/main.js'))
        ? 'dist/worker/main.js'
        : 'worker/main.ts (tsx)',
      rates,
      drift: {
        photos: driftN,
        rssMb: workers.map((_, i) => ({
          after20: after20[i] ?? 0,
          atEnd: atEnd[i]!,
          peak: peak[i]!,
          drift: atEnd[i]! - (after20[i] ?? 0),
        })),
      },
      mallocArenaMax: arena,
      mallocMmapThreshold: mmapThreshold,
    };
  } finally {
    stopping = true;
    await Promise.all(workers.map((w) => stopWorker(w)));
    await client.close();
  }
}

export function renderBenchThroughput(b: ThroughputBench): string {
  const f = (s: Summary): string => `${Math.round(s.median)} / ${Math.round(s.p95)}`;
  return [
    renderTable([
      ['Through the queue, 2 workers', ...b.rates.map((r) => r.image)],
      ['burst: photos', ...b.rates.map((r) => `${r.burst.photos} from ${r.burst.users} users`)],
      ['burst: photos per minute', ...b.rates.map((r) => String(r.burst.photosPerMin))],
      ['burst: upload → reply p50 / p95 ms', ...b.rates.map((r) => f(r.burst.latencyMs))],
      ['paced: photos at photos/min', ...b.rates.map((r) => `${r.paced.photos} at ${r.paced.perMin}`)],
      ['paced: upload → reply p50 / p95 ms', ...b.rates.map((r) => f(r.paced.latencyMs))],
      ['failed replies (burst + paced)', ...b.rates.map((r) => String(r.burst.failed + r.paced.failed))],
    ]),
    '',
    renderTable([
      [`Worker RSS over ${b.drift.photos} photos (MB)`, 'after 20', 'at end', 'drift', 'peak'],
      ...b.drift.rssMb.map((r, i) => [
        `worker ${i + 1}`,
        String(r.after20),
        String(r.atEnd),
        String(r.drift),
        String(r.peak),
      ]),
    ]),
    '',
    `Workers: ${b.entry}, one scan thread each, full engine, MALLOC_ARENA_MAX=${b.mallocArenaMax}` +
      (b.mallocMmapThreshold ? `, MALLOC_MMAP_THRESHOLD_=${b.mallocMmapThreshold}.` : '.'),
  ].join('\n');
}
