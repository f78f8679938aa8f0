// The bots' side of the queue benchmarks (bench/queue.ts, bench/throughput.ts): a scan service and
// a results dispatcher on real Redis under a unique prefix; submit() sends one photo as a Telegram
// user and resolves with its upload → reply time. close() removes every key of the prefix.
import { randomBytes, randomUUID } from 'node:crypto';
import { createRedisBlobStore } from '../src/blob/redis-blob-store.ts';
import { createLogger } from '../src/log.ts';
import {
  closeRedis,
  connectRedis,
  createProducerConnection,
  createWorkerConnection,
} from '../src/queue/connections.ts';
import { createResultDispatcher } from '../src/queue/results.ts';
import { createScanQueue } from '../src/queue/scan-queue.ts';
import { createScanService } from '../src/scan-service.ts';
import type { IncomingPhoto } from '../src/types.ts';
import { deletePrefixed } from '../fixtures-kit/redis-prefix.ts';

export interface BenchClient {
  /**
   * Upload → reply time of one photo (ms), and whether the reply was a report (false: refused,
   * failed, or no reply within `timeoutMs`, default 10 minutes).
   */
  submit(bytes: Buffer, user: number | string, timeoutMs?: number): Promise<{ ms: number; ok: boolean }>;
  redisUrl: string;
  db: number;
  prefix: string;
  /** The blob key, for workers in this process or in others. */
  key: Buffer;
  /** A worker-side connection (the worker of bench/queue.ts runs in this process). */
  consumer: ReturnType<typeof createWorkerConnection>;
  close(): Promise<void>;
}

/** Connects to REDIS_URL's `db` under a new prefix ("<tag>-xxxxxxxx"); no rate limit, no queue bound. */
export async function createBenchClient(tag: string, db: number): Promise<BenchClient> {
  const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const prefix = `${tag}-${randomUUID().slice(0, 8)}`;
  const key = randomBytes(32);
  const logger = createLogger({ level: 'silent' });
  const producer = createProducerConnection(redisUrl, { db });
  const consumer = createWorkerConnection(redisUrl, { db });
  await Promise.all([connectRedis(producer), connectRedis(consumer)]);
  const queue = createScanQueue({ connection: producer, prefix });
  // The benchmarks measure the engine and the queue, not the per-user rate limit or the queue bound.
  const service = createScanService({
    redis: producer,
    queue,
    blobs: createRedisBlobStore({ redis: producer, key, prefix }),
    prefix,
    limits: { ratePerMin: 100_000, maxWaiting: 100_000, maxDownloadBytes: 50 * 1024 * 1024 },
  });
  const replies = new Map<string, (ok: boolean) => void>();
  // A reply that arrives before submit() has its scan id (a fast refusal) waits here for it.
  const early = new Map<string, boolean>();
  const dispatcher = createResultDispatcher({
    connection: consumer,
    prefix,
    blobs: createRedisBlobStore({ redis: consumer, key, prefix }),
    logger,
    senders: {
      telegram: (r) => {
        const answer = replies.get(r.scanId);
        if (answer) answer(r.ok);
        else early.set(r.scanId, r.ok);
        return Promise.resolve();
      },
    },
  });
  let n = 0;
  return {
    redisUrl,
    db,
    prefix,
    key,
    consumer,
    async submit(bytes, user, timeoutMs = 600_000) {
      const t0 = performance.now();
      const photo: IncomingPhoto = {
        platform: 'telegram',
        userId: `bench-${user}`,
        declaredBytes: bytes.length,
        recompressed: false,
        locale: 'en',
        download: () => Promise.resolve(bytes),
      };
      const out = await service.submit(photo, { platform: 'telegram', chatId: 1, messageId: n++ });
      if (out.status !== 'queued') return { ms: performance.now() - t0, ok: false };
      const id = out.scanId;
      let timer: NodeJS.Timeout | undefined;
      const ok = await new Promise<boolean>((answer) => {
        if (early.has(id)) return answer(early.get(id)!);
        replies.set(id, answer);
        timer = setTimeout(() => answer(false), timeoutMs);
      });
      clearTimeout(timer);
      replies.delete(id);
      early.delete(id);
      return { ms: performance.now() - t0, ok };
    },
    async close() {
      await dispatcher.close();
      await queue.close();
      await deletePrefixed(producer, prefix);
      await Promise.all([closeRedis(producer), closeRedis(consumer)]);
    },
  };
}
