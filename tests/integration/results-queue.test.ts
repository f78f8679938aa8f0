// The results queue: a result waiting there carries ids only (the report — GPS coordinates, masked
// values — is sealed in an encrypted blob, opened by the bot process, then deleted), and a platform
// API that fails for a while gets the result retried and delivered once.
import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisBlobStore } from '../../src/blob/redis-blob-store.ts';
import { createLogger } from '../../src/log.ts';
import { createResultDispatcher, createResultPublisher } from '../../src/queue/results.ts';
import type { RiskReport, ScanResult } from '../../src/types.ts';

const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const report: RiskReport = {
  version: 1,
  input: { format: 'jpeg', width: 600, height: 400, bytes: 46695 },
  verdict: 'high',
  findings: [
    {
      kind: 'gps',
      severity: 'high',
      certainty: 'confirmed',
      summary: 'GPS position 48.858, 2.297 (precise to about 20 m)',
      details: { latitude: 48.858, longitude: 2.297 },
    },
    { kind: 'email', severity: 'medium', certainty: 'confirmed', summary: 'e-mail j***@e***.com' },
  ],
  checks: [{ name: 'metadata', status: 'ok' }],
};

describe('results queue', () => {
  let redis: Redis;
  const prefix = `t-seal-${randomUUID().slice(0, 8)}`;
  beforeAll(async () => {
    redis = new Redis(url, { db: 1, maxRetriesPerRequest: null, lazyConnect: true });
    await redis.connect();
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('holds no coordinates or masked values, and the bot still gets the whole report', async () => {
    const blobs = createRedisBlobStore({ redis, key: randomBytes(32), prefix });
    const publisher = createResultPublisher({ connection: redis, prefix, blobs });
    const result: ScanResult = {
      v: 1,
      scanId: randomUUID(),
      reply: { platform: 'telegram', chatId: 1 },
      locale: 'en',
      ok: true,
      report,
    };
    await publisher.publish(result);

    // While it waits: nothing in Redis spells the coordinates or the masked e-mail.
    const keys = await redis.keys(`${prefix}:*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      const type = await redis.type(key);
      const values =
        type === 'string'
          ? [await redis.getBuffer(key)]
          : type === 'hash'
            ? Object.values(await redis.hgetallBuffer(key))
            : [];
      for (const v of values) {
        const s = v?.toString('latin1') ?? '';
        expect(s, key).not.toContain('48.858');
        expect(s, key).not.toContain('j***@');
      }
    }

    let received: ScanResult | undefined;
    const dispatcher = createResultDispatcher({
      connection: redis,
      prefix,
      blobs,
      logger: createLogger({ level: 'silent' }),
      senders: {
        telegram: (r) => {
          received = r;
          return Promise.resolve();
        },
      },
    });
    for (let i = 0; i < 100 && !received; i++) await new Promise((r) => setTimeout(r, 50));
    await dispatcher.close();
    await publisher.close();
    expect(received).toMatchObject({
      ok: true,
      report: { verdict: 'high', findings: [{ kind: 'gps' }, { kind: 'email' }] },
    });
    expect((await redis.keys(`${prefix}:blob:*`)).length).toBe(0);
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
