// Load: a burst of photos from many users through the real queue (real Redis, 2 scan threads in
// 2 workers), with the default per-user rate limit and queue bound. Every user must get an answer or a
// polite refusal (rate_limited / queue_busy), nothing may be lost (results = accepted jobs), memory
// must stay bounded, and Redis must be left without image bytes or blobs.
//   npx tsx bench/load.ts                 (200 photos from 50 users, metadata-only engines)
// Env: REDIS_URL (default redis://127.0.0.1:6379; DB 4 under a unique prefix, cleaned up),
//      LOAD_PHOTOS, LOAD_USERS, LOAD_CHECKS (default "metadata").
import { randomBytes } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createRedisBlobStore } from '../src/blob/redis-blob-store.ts';
import { ANALYZER_NAMES, type AnalyzerName } from '../src/types.ts';
import { createLogger } from '../src/log.ts';
import { closeRedis, connectRedis, createWorkerConnection } from '../src/queue/connections.ts';
import type { ErrorCode } from '../src/errors.ts';
import type { ScanResult } from '../src/types.ts';
import { createScanPool } from '../worker/scan-pool.ts';
import { createScanWorker } from '../worker/scan-worker.ts';
import { createTestPhoto, createTestStack } from '../fixtures-kit/test-stack.ts';

export interface LoadOptions {
  photos: number;
  users: number;
  checks?: AnalyzerName[];
  db?: number;
  /** Extra photos from one greedy user, beyond the per-user rate limit (default 12 > 10/min). */
  greedy?: number;
}

export interface LoadFigures {
  photos: number;
  users: number;
  accepted: number;
  refused: Partial<Record<ErrorCode, number>>;
  results: number;
  resultsOk: number;
  lost: number;
  duplicates: number;
  usersWithoutAnswer: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  wallMs: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  rssPeakMb: number;
  blobKeysLeft: number;
  imageBytesInRedis: boolean;
}

const PHOTOS = [
  'gps_fujifilm-s2pro_eiffel-tower.jpg',
  'gps_iphone4_restaurant-ticket.jpg',
  'gps_sony-hx5v_street-sign.jpg',
  'exif_orientation6_samsung-galaxy-s_portrait.jpg',
  'negative_rocket-launchpad.jpg',
  'face_child_toddler.jpg',
].map((n) => readFileSync(new URL(`../tests/fixtures/images/${n}`, import.meta.url)));

const quantile = (xs: number[], q: number): number => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const mb = (n: number): number => Math.round(n / 1048576);

export async function benchLoad(opts: LoadOptions): Promise<LoadFigures> {
  const checks = opts.checks ?? ['metadata'];
  const db = opts.db ?? 4;
  const blobKey = randomBytes(32);
  const received = new Map<string, { at: number; result: ScanResult }[]>();
  // The rate limiter's clock stands still in the middle of a minute: the burst falls in one window
  // wherever the wall clock is (a real minute boundary would split the greedy user's photos).
  const frozen = Math.floor(Date.now() / 60_000) * 60_000 + 30_000;
  const stack = await createTestStack({
    db,
    blobKey,
    checks,
    clock: () => frozen,
    senders: {
      telegram: (result) => {
        const list = received.get(result.scanId) ?? [];
        list.push({ at: performance.now(), result });
        received.set(result.scanId, list);
        return Promise.resolve();
      },
    },
  });
  // A second worker process-alike (its own connection and scan thread) on the same queue.
  const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const logger = createLogger({ level: 'silent' });
  const conn = createWorkerConnection(url, { db });
  await connectRedis(conn);
  const pool = createScanPool({ size: 1, checks, timeoutMs: 120_000, logger });
  await pool.ready();
  const worker2 = createScanWorker({
    connection: conn,
    prefix: stack.prefix,
    blobs: createRedisBlobStore({ redis: conn, key: blobKey, prefix: stack.prefix }),
    scan: (bytes, options) => pool.scan(bytes, options),
    logger,
    concurrency: 1,
    lockMs: 30_000,
    stalledIntervalMs: 5_000,
    sanitizedTtlMs: 10 * 60_000,
  });
  await worker2.worker.waitUntilReady();

  let rssPeak = process.memoryUsage().rss;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 100);
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  try {
    const submittedAt = new Map<string, number>();
    const refused: Partial<Record<ErrorCode, number>> = {};
    const answered = new Set<string>();
    // The burst: every photo submitted at once, users interleaved.
    const greedy = opts.greedy ?? 12;
    const outcomes = await Promise.all(
      Array.from({ length: opts.photos + greedy }, async (_, i) => {
        const userId = i < opts.photos ? `load-${i % opts.users}` : 'load-greedy';
        const at = performance.now();
        const out = await stack.scanService.submit(createTestPhoto(PHOTOS[i % PHOTOS.length]!, { userId }), {
          platform: 'telegram',
          chatId: 10_000 + (i % opts.users),
          messageId: i,
        });
        if (out.status === 'queued') submittedAt.set(out.scanId, at);
        else {
          refused[out.code] = (refused[out.code] ?? 0) + 1;
          answered.add(userId);
        }
        return { userId, out };
      }),
    );
    const until = Date.now() + 600_000;
    while ([...submittedAt.keys()].some((id) => !received.has(id)) && Date.now() < until)
      await new Promise((r) => setTimeout(r, 50));
    await stack.idle(60_000);
    const wallMs = performance.now() - t0;

    const latencies: number[] = [];
    let resultsOk = 0;
    for (const [id, at] of submittedAt) {
      const got = received.get(id);
      if (!got?.[0]) continue;
      latencies.push(got[0].at - at);
      if (got[0].result.ok) resultsOk++;
    }
    for (const { userId, out } of outcomes)
      if (out.status === 'queued' && received.has(out.scanId)) answered.add(userId);
    const audit = await stack.audit();
    const results = [...received.values()].reduce((n, l) => n + l.length, 0);
    return {
      photos: opts.photos + greedy,
      users: opts.users + (greedy > 0 ? 1 : 0),
      accepted: submittedAt.size,
      refused,
      results,
      resultsOk,
      lost: [...submittedAt.keys()].filter((id) => !received.has(id)).length,
      duplicates: [...received.values()].filter((l) => l.length > 1).length,
      usersWithoutAnswer: opts.users + (greedy > 0 ? 1 : 0) - answered.size,
      p50Ms: Math.round(quantile(latencies, 0.5)),
      p95Ms: Math.round(quantile(latencies, 0.95)),
      maxMs: Math.round(Math.max(0, ...latencies)),
      wallMs: Math.round(wallMs),
      rssBeforeMb: mb(rssBefore),
      rssAfterMb: mb(process.memoryUsage().rss),
      rssPeakMb: mb(rssPeak),
      blobKeysLeft: audit.blobKeys.length,
      imageBytesInRedis: audit.imageBytesFound,
    };
  } finally {
    clearInterval(sampler);
    await worker2.close();
    await pool.close();
    await closeRedis(conn);
    await stack.close();
  }
}

const isMain =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (isMain) {
  const checks = (process.env['LOAD_CHECKS'] ?? 'metadata')
    .split(',')
    .filter((c): c is AnalyzerName => (ANALYZER_NAMES as readonly string[]).includes(c));
  const figures = await benchLoad({
    photos: Number(process.env['LOAD_PHOTOS'] ?? 200),
    users: Number(process.env['LOAD_USERS'] ?? 50),
    checks,
  });
  console.log(JSON.stringify(figures, null, 2));
  process.exit(figures.lost === 0 && figures.usersWithoutAnswer === 0 && figures.blobKeysLeft === 0 ? 0 : 1);
}
