// Queue benchmark: what the queue adds to a scan, and whether scanning stays off the event loop.
//   npx tsx bench/queue.ts            (or `npm run bench -- --only queue`)
// Env: REDIS_URL (default redis://127.0.0.1:6379; DB 1 is used under a unique prefix, cleaned up),
//      BENCH_QUEUE_JOBS (jobs per measurement, default 12),
//      BENCH_QUEUE_CHECKS (engine set, default "metadata"; "metadata,faces,text,codes" for the full set).
// Measured in one run, same image, same engine set:
//   - direct in-process scan (scanImage on the main thread) — the baseline;
//   - the same scan in the worker's scan thread (no queue) — thread hand-off cost;
//   - one photo at a time through the whole queue (submit → worker → results → sender): latency, and
//     the overhead = queue latency − thread scan, paired per iteration (target ≤ 50 ms at p50);
//   (these three are interleaved, so machine load affects them alike)
//   - a burst of photos with 1 and with 2 workers: throughput (photos/min) and latency p50/p95;
//   - event-loop delay p99 in the main process while a 12-MP scan runs in a thread (target ≤ 100 ms),
//     and, for contrast, while it runs on the main thread.
import { readFileSync, realpathSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { createEngines } from '../src/analysis/pipeline/engines.ts';
import { scanImage } from '../src/analysis/pipeline/scan.ts';
import { createRedisBlobStore } from '../src/blob/redis-blob-store.ts';
import { ANALYZER_NAMES, type AnalyzerName } from '../src/types.ts';
import { createLogger } from '../src/log.ts';
import { createScanPool, type ScanPool } from '../worker/scan-pool.ts';
import { createScanWorker } from '../worker/scan-worker.ts';
import { renderTable, toSummary } from './stats.ts';
import { createBenchClient } from './submit.ts';

const logger = createLogger({ level: 'silent' });

async function makePhoto(): Promise<Buffer> {
  const src = readFileSync(new URL('../tests/fixtures/images/faces_group_three-adults.jpg', import.meta.url));
  return sharp(src).resize(4000, 3000, { fit: 'fill' }).jpeg({ quality: 90 }).toBuffer();
}

interface Stack {
  submit(bytes: Buffer): Promise<number>;
  /** The worker's own scan threads, called directly (no queue), for a paired comparison. */
  pool: ScanPool;
  close(): Promise<void>;
}

/** Producer + `workers` scan threads behind one BullMQ worker (concurrency = workers) + dispatcher. */
async function startStack(workers: number, checks: AnalyzerName[]): Promise<Stack> {
  const client = await createBenchClient('pfb', 1);
  const { consumer, prefix } = client;
  const blobs = createRedisBlobStore({ redis: consumer, key: client.key, prefix });
  const pool = createScanPool({ size: workers, checks, timeoutMs: 600_000, logger });
  await pool.ready();
  const worker = createScanWorker({
    connection: consumer,
    prefix,
    blobs,
    scan: (b, o) => pool.scan(b, o),
    logger,
    concurrency: workers,
    sanitizedTtlMs: 600_000,
  });
  await worker.worker.waitUntilReady();
  let n = 0;
  return {
    pool,
    async submit(bytes) {
      const { ms, ok } = await client.submit(bytes, n++);
      if (!ok) throw new Error('the photo was refused or its scan failed');
      return ms;
    },
    async close() {
      await worker.close();
      await pool.close();
      await client.close();
    },
  };
}

async function timeEach(n: number, f: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await f();
    out.push(performance.now() - t0);
  }
  return out;
}

/** Event-loop delay p99 (ms) in this thread while `f` runs. */
async function loopDelayP99(f: () => Promise<unknown>): Promise<number> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  await f();
  h.disable();
  return Math.round((h.percentile(99) / 1e6) * 10) / 10;
}

export async function benchQueue(): Promise<Record<string, number>> {
  const jobs = Number(process.env['BENCH_QUEUE_JOBS'] ?? 12);
  const checks = (process.env['BENCH_QUEUE_CHECKS'] ?? 'metadata')
    .split(',')
    .map((s) => s.trim())
    .filter((s): s is AnalyzerName => (ANALYZER_NAMES as readonly string[]).includes(s));
  const photo = await makePhoto();

  // Baseline: the scan itself, in this process, on the main thread; and the event loop meanwhile.
  const engines = await createEngines({ checks });
  await scanImage(photo, engines);
  const inlineLoopP99 = await loopDelayP99(() => scanImage(photo, engines));

  const result: Record<string, number> = {};
  for (const workers of [1, 2]) {
    const stack = await startStack(workers, checks);
    await stack.submit(photo); // warm the whole path
    if (workers === 1) {
      // Interleaved, so machine load drifts alike for the three: direct on the main thread, the same
      // scan in the worker's thread (no queue), and one photo through the whole queue.
      const direct: number[] = [];
      const threaded: number[] = [];
      const queued: number[] = [];
      const overhead: number[] = [];
      for (let i = 0; i < Math.min(jobs, 9); i++) {
        direct.push((await timeEach(1, () => scanImage(photo, engines)))[0]!);
        const t = (await timeEach(1, () => stack.pool.scan(photo)))[0]!;
        const q = await stack.submit(photo);
        threaded.push(t);
        queued.push(q);
        overhead.push(q - t);
      }
      const d = toSummary(direct);
      const t = toSummary(threaded);
      const q = toSummary(queued);
      Object.assign(result, {
        direct_scan_ms_p50: d.median,
        direct_scan_ms_p95: d.p95,
        direct_photos_per_min: Math.round((60_000 / d.median) * 10) / 10,
        thread_scan_ms_p50: t.median,
        queue_one_at_a_time_ms_p50: q.median,
        queue_one_at_a_time_ms_p95: q.p95,
        queue_overhead_ms_p50: toSummary(overhead).median,
        queue_overhead_ms_p95: toSummary(overhead).p95,
      });
      // The event loop of the process that runs the BullMQ worker while its thread scans 12 MP.
      result['event_loop_p99_ms_scan_in_thread'] = await loopDelayP99(async () => {
        for (let i = 0; i < 3; i++) await stack.submit(photo);
      });
    }
    const t0 = performance.now();
    const burst = await Promise.all(Array.from({ length: jobs }, () => stack.submit(photo)));
    const wall = performance.now() - t0;
    const b = toSummary(burst);
    result[`queue_${workers}w_photos_per_min`] = Math.round((jobs / wall) * 60_000 * 10) / 10;
    result[`queue_${workers}w_latency_ms_p50`] = b.median;
    result[`queue_${workers}w_latency_ms_p95`] = b.p95;
    await stack.close();
  }
  await engines.close();

  return {
    jobs,
    photo_megapixels: 12,
    photo_bytes: photo.length,
    ...result,
    event_loop_p99_ms_scan_inline: inlineLoopP99,
  };
}

const isEntry =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (isEntry) {
  const checks = process.env['BENCH_QUEUE_CHECKS'] ?? 'metadata';
  const r = await benchQueue();
  process.stdout.write(`Queue benchmark (engines: ${checks})\n\n`);
  process.stdout.write(
    `${renderTable([['metric', 'value'], ...Object.entries(r).map(([k, v]) => [k, String(v)])])}\n`,
  );
}
