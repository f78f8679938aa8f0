// A platform API that fails for a while: the results dispatcher retries delivery with backoff, the
// user is answered exactly once, and the sealed report and cleaned copy are deleted afterwards.
import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisBlobStore } from '../../src/blob/redis-blob-store.ts';
import { createLogger } from '../../src/log.ts';
import { createResultDispatcher, createResultPublisher } from '../../src/queue/results.ts';
import type { ScanResult } from '../../src/types.ts';

const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

describe('platform API down for a while', () => {
  let redis: Redis;
  const prefix = `t-fault-${randomUUID().slice(0, 8)}`;
  beforeAll(async () => {
    redis = new Redis(url, { db: 1, maxRetriesPerRequest: null, lazyConnect: true });
    await redis.connect();
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('retries a failing sender and delivers once, then deletes the blobs', async () => {
    const blobs = createRedisBlobStore({ redis, key: randomBytes(32), prefix });
    const publisher = createResultPublisher({
      connection: redis,
      prefix,
      blobs,
      attempts: 4,
      backoffMs: 200,
    });
    const sanitizedBlobKey = await blobs.put(Buffer.from('cleaned copy bytes'));
    const result: ScanResult = {
      v: 1,
      scanId: randomUUID(),
      reply: { platform: 'discord', channelId: '1' },
      locale: 'en',
      ok: true,
      report: {
        version: 1,
        input: { format: 'jpeg', width: 1, height: 1, bytes: 1 },
        verdict: 'none',
        findings: [],
        checks: [],
      },
      sanitizedBlobKey,
    };
    const attempts: number[] = [];
    let delivered = 0;
    const dispatcher = createResultDispatcher({
      connection: redis,
      prefix,
      blobs,
      logger: createLogger({ level: 'silent' }),
      senders: {
        discord: (_r, sanitized) => {
          attempts.push(Date.now());
          if (attempts.length < 3) return Promise.reject(new Error('503 Service Unavailable'));
          expect(sanitized?.toString()).toBe('cleaned copy bytes');
          delivered++;
          return Promise.resolve();
        },
      },
    });
    await publisher.publish(result);
    for (let i = 0; i < 200 && delivered === 0; i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    await dispatcher.close();
    await publisher.close();
    expect(delivered).toBe(1);
    expect(attempts).toHaveLength(3);
    expect(await redis.keys(`${prefix}:blob:*`)).toEqual([]);
  });
});
