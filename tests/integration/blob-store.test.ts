// The blob port, against both implementations, plus what only the Redis one must guarantee:
// ciphertext at rest with a random nonce, a TTL on every key, the key bound to its value.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobDecryptError } from '../../src/blob/blob-crypto.ts';
import type { BlobStore } from '../../src/blob/blob-store.ts';
import { createMemoryBlobStore } from '../../src/blob/memory-blob-store.ts';
import { createRedisBlobStore } from '../../src/blob/redis-blob-store.ts';
import { closeRedis, connectRedis, createProducerConnection } from '../../src/queue/connections.ts';
import { auditRedis, hasImageBytes } from '../../fixtures-kit/privacy-audit.ts';

const png = readFileSync(new URL('../fixtures/images/qr_mecard_photo.png', import.meta.url));
const prefix = `pft-blob-${randomBytes(4).toString('hex')}`;
let redis: Redis;

beforeAll(async () => {
  redis = createProducerConnection(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', { db: 1 });
  await connectRedis(redis);
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await closeRedis(redis);
});

const stores: [string, () => BlobStore][] = [
  ['redis', () => createRedisBlobStore({ redis, key: randomBytes(32), prefix, ttlMs: 60_000 })],
  ['memory', () => createMemoryBlobStore({ ttlMs: 60_000 })],
];

describe.each(stores)('%s blob store', (_name, make) => {
  it('stores, reads, takes once and deletes', async () => {
    const blobs = make();
    const k = await blobs.put(png);
    expect((await blobs.get(k))?.equals(png)).toBe(true);
    expect((await blobs.take(k))?.equals(png)).toBe(true);
    expect(await blobs.take(k)).toBeUndefined();
    const k2 = await blobs.put(png);
    await blobs.delete(k2);
    expect(await blobs.get(k2)).toBeUndefined();
  });

  it('forgets a blob once its TTL passes', async () => {
    const blobs = make();
    const k = await blobs.put(png, { ttlMs: 150 });
    expect(await blobs.get(k)).toBeDefined();
    await new Promise((r) => setTimeout(r, 400));
    expect(await blobs.get(k)).toBeUndefined();
  });
});

describe('redis blob store at rest', () => {
  it('holds only ciphertext, with a fresh nonce per blob and a TTL on the key', async () => {
    const blobs = createRedisBlobStore({ redis, key: randomBytes(32), prefix, ttlMs: 120_000 });
    const [a, b] = [await blobs.put(png), await blobs.put(png)];
    const [ra, rb] = [await redis.getBuffer(a), await redis.getBuffer(b)];
    expect(ra && rb).toBeTruthy();
    expect(ra!.equals(rb!)).toBe(false);
    expect(ra!.includes(png.subarray(0, 64))).toBe(false);
    expect(hasImageBytes(ra!, { encrypted: true })).toBe(false);
    const ttl = await redis.pttl(a);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(120_000);
    const audit = await auditRedis(redis, { match: `${prefix}:*` });
    expect(audit.imageBytesFound).toBe(false);
    expect(audit.blobsWithoutTtl).toEqual([]);
    await blobs.delete(a);
    await blobs.delete(b);
  });

  it('refuses to decrypt with another key, or a value moved to another key', async () => {
    const key = randomBytes(32);
    const blobs = createRedisBlobStore({ redis, key, prefix });
    const k = await blobs.put(png);
    await expect(createRedisBlobStore({ redis, key: randomBytes(32), prefix }).get(k)).rejects.toBeInstanceOf(
      BlobDecryptError,
    );
    const other = await blobs.put(Buffer.from('x'));
    await redis.set(other, (await redis.getBuffer(k))!, 'PX', 60_000);
    await expect(blobs.get(other)).rejects.toBeInstanceOf(BlobDecryptError);
    await blobs.delete(k);
    await blobs.delete(other);
  });

  it('the audit catches an image stored in the clear (so it can fail)', async () => {
    await redis.set(`${prefix}:leak`, png, 'PX', 60_000);
    await redis.hset(`${prefix}:job`, 'data', JSON.stringify({ b64: png.toString('base64') }));
    const audit = await auditRedis(redis, { match: `${prefix}:*` });
    expect(audit.imageBytesFound).toBe(true);
    expect(audit.offending.sort()).toEqual([`${prefix}:job`, `${prefix}:leak`]);
    await redis.del(`${prefix}:leak`, `${prefix}:job`);
  });
});
