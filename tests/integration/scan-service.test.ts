// submit() refusals on a real Redis and a real BullMQ queue: rate limit, backpressure, sizes,
// sniffing, download failures, Redis down, and the expired-blob answer — each with its user message.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createRedisBlobStore } from '../../src/blob/redis-blob-store.ts';
import { AppError } from '../../src/errors.ts';
import { connectRedis, createProducerConnection } from '../../src/queue/connections.ts';
import { createScanQueue } from '../../src/queue/scan-queue.ts';
import { createScanService } from '../../src/scan-service.ts';
import { renderError } from '../../src/render.ts';
import type { ScanResult } from '../../src/types.ts';
import { createTestPhoto, createTestStack, type TestStack } from '../../fixtures-kit/test-stack.ts';
import { freePort, startRedisServer } from './redis-server.ts';

const jpeg = readFileSync(new URL('../fixtures/images/gps_fujifilm-s2pro_eiffel-tower.jpg', import.meta.url));
const reply = { platform: 'telegram' as const, chatId: 1 };

describe('scan service refusals', () => {
  let stack: TestStack | undefined;
  afterEach(async () => {
    if (stack) {
      const audit = await stack.audit();
      expect(audit.imageBytesFound).toBe(false);
      expect(audit.blobsWithoutTtl).toEqual([]);
    }
    await stack?.close();
    stack = undefined;
  });

  it('rate-limits a user after the configured number of photos per minute, with a retry delay', async () => {
    // A fake clock, 42.5 s into a one-minute window (the keys live under this stack's own prefix).
    let now = 28_333_333 * 60_000 + 42_500;
    stack = await createTestStack({
      db: 1,
      senders: {},
      worker: false,
      limits: { ratePerMin: 2 },
      clock: () => now,
    });
    const a = await stack.scanService.submit(createTestPhoto(jpeg, { userId: 'alice' }), reply);
    const b = await stack.scanService.submit(createTestPhoto(jpeg, { userId: 'alice' }), reply);
    const c = await stack.scanService.submit(createTestPhoto(jpeg, { userId: 'alice' }), reply);
    const other = await stack.scanService.submit(createTestPhoto(jpeg, { userId: 'bob' }), reply);
    expect([a.status, b.status, other.status]).toEqual(['queued', 'queued', 'queued']);
    // The rest of the window, rounded up: 17.5 s → 18.
    expect(c).toEqual({ status: 'refused', code: 'rate_limited', retryAfterSec: 18 });
    expect(renderError('rate_limited', 'en')).toMatch(/wait a minute/i);
    // Still refused at the window's last millisecond, admitted again once the next window starts.
    now += 17_499;
    expect(await stack.scanService.submit(createTestPhoto(jpeg, { userId: 'alice' }), reply)).toEqual({
      status: 'refused',
      code: 'rate_limited',
      retryAfterSec: 1,
    });
    now += 1;
    const d = await stack.scanService.submit(createTestPhoto(jpeg, { userId: 'alice' }), reply);
    expect(d.status).toBe('queued');
    // The rate-limit key does not carry the platform user id in clear.
    const audit = await stack.audit();
    expect(audit.keys.some((k) => k.includes('alice'))).toBe(false);
    // Queued but never scanned: the blobs wait with their TTL; close() removes them.
    expect(audit.blobKeys).toHaveLength(4);
  });

  it('refuses with queue_busy once the waiting jobs reach the bound, before downloading', async () => {
    stack = await createTestStack({
      db: 1,
      senders: {},
      worker: false,
      limits: { maxWaiting: 2, ratePerMin: 100 },
    });
    for (let i = 0; i < 2; i++)
      expect((await stack.scanService.submit(createTestPhoto(jpeg), reply)).status).toBe('queued');
    const photo = createTestPhoto(jpeg);
    const busy = await stack.scanService.submit(photo, reply);
    expect(busy).toEqual({ status: 'refused', code: 'queue_busy' });
    expect(photo.downloads).toBe(0);
    expect(renderError('queue_busy', 'en')).toMatch(/busy/i);
    expect(await stack.queue.depth()).toBe(2);
  });

  it('holds the bound under a burst: simultaneous photos count while they are being admitted', async () => {
    stack = await createTestStack({
      db: 1,
      senders: {},
      worker: false,
      limits: { maxWaiting: 5, ratePerMin: 1000 },
    });
    const s = stack;
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        s.scanService.submit(createTestPhoto(jpeg, { userId: `u${i}` }), reply),
      ),
    );
    const queued = outcomes.filter((o) => o.status === 'queued').length;
    expect(queued).toBeGreaterThan(0);
    expect(queued).toBeLessThanOrEqual(5);
    expect(outcomes.filter((o) => o.status === 'refused' && o.code === 'queue_busy')).toHaveLength(
      20 - queued,
    );
    expect(await s.queue.depth()).toBe(queued);
  });

  it('refuses a declared oversize file without downloading it, and a download over the cap', async () => {
    stack = await createTestStack({
      db: 1,
      senders: {},
      worker: false,
      limits: { maxDownloadBytes: 10_000 },
    });
    const declared = createTestPhoto(jpeg, { declaredBytes: 50_000 });
    expect(await stack.scanService.submit(declared, reply)).toEqual({
      status: 'refused',
      code: 'file_too_large',
    });
    expect(declared.downloads).toBe(0);
    // Declared small, really large: the capped download refuses it.
    const lying = createTestPhoto(jpeg, { declaredBytes: 5_000 });
    expect(await stack.scanService.submit(lying, reply)).toEqual({
      status: 'refused',
      code: 'file_too_large',
    });
    expect(lying.downloads).toBe(1);
  });

  it('sniffs the bytes: a PDF and an empty file are refused whatever was declared', async () => {
    stack = await createTestStack({ db: 1, senders: {}, worker: false });
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n');
    expect(
      await stack.scanService.submit(createTestPhoto(pdf, { declaredMime: 'image/jpeg' }), reply),
    ).toEqual({
      status: 'refused',
      code: 'not_an_image',
    });
    expect(await stack.scanService.submit(createTestPhoto(Buffer.alloc(0)), reply)).toEqual({
      status: 'refused',
      code: 'empty_input',
    });
    expect((await stack.audit()).blobKeys).toEqual([]);
  });

  it('turns a failing or hanging download into download_failed', async () => {
    stack = await createTestStack({
      db: 1,
      senders: {},
      worker: false,
      limits: { downloadTimeoutMs: 1_000 },
    });
    const failing = {
      ...createTestPhoto(jpeg),
      download: () => Promise.reject(new Error('socket hang up')),
    };
    expect(await stack.scanService.submit(failing, reply)).toEqual({
      status: 'refused',
      code: 'download_failed',
    });
    const hanging = {
      ...createTestPhoto(jpeg),
      download: (_max: number, signal: AbortSignal) =>
        new Promise<Buffer>((_, reject) =>
          signal.addEventListener('abort', () => reject(new Error('aborted'))),
        ),
    };
    expect(await stack.scanService.submit(hanging, reply)).toEqual({
      status: 'refused',
      code: 'download_failed',
    });
    const capped = {
      ...createTestPhoto(jpeg),
      download: () => Promise.reject(new AppError('file_too_large', 'cap')),
    };
    expect(await stack.scanService.submit(capped, reply)).toEqual({
      status: 'refused',
      code: 'file_too_large',
    });
  });

  it('answers queue_unavailable at once when Redis goes down', async () => {
    const own = await startRedisServer(await freePort());
    const producer = createProducerConnection(own.url, { db: 11 });
    try {
      await connectRedis(producer);
      const queue = createScanQueue({ connection: producer, prefix: 'pft-down' });
      const service = createScanService({
        redis: producer,
        queue,
        blobs: createRedisBlobStore({ redis: producer, key: randomBytes(32), prefix: 'pft-down' }),
        prefix: 'pft-down',
      });
      expect((await service.submit(createTestPhoto(jpeg), reply)).status).toBe('queued');
      await own.kill();
      const photo = createTestPhoto(jpeg);
      const out = await service.submit(photo, reply);
      expect(out).toEqual({ status: 'refused', code: 'queue_unavailable' });
      expect(photo.downloads).toBe(0);
      expect(renderError('queue_unavailable', 'en')).toMatch(/unavailable/i);
      await queue.close().catch(() => undefined);
    } finally {
      producer.disconnect();
      await own.kill();
    }
  });

  it('answers "please send it again" when the original expired before a worker took it', async () => {
    const results: ScanResult[] = [];
    stack = await createTestStack({
      db: 1,
      worker: false,
      limits: { blobTtlMs: 300 },
      senders: { telegram: (r) => Promise.resolve(void results.push(r)) },
    });
    const out = await stack.scanService.submit(createTestPhoto(jpeg), reply);
    if (out.status !== 'queued') throw new Error('not queued');
    // Wait for Redis to expire the blob by itself (TTL), then let a worker take the job.
    while ((await stack.audit()).blobKeys.length > 0) await new Promise((r) => setTimeout(r, 50));
    await stack.startWorker();
    await stack.idle();
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ scanId: out.scanId, ok: false, error: { code: 'blob_expired' } });
    expect(renderError('blob_expired', 'en')).toMatch(/send it again/i);
  });
});
