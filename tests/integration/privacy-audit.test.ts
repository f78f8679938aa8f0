// The privacy audit itself: it must see every image format we accept, raw or base64, inside any
// Redis value, and an encrypted blob only when it is not really encrypted.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptBlob } from '../../src/blob/blob-crypto.ts';
import { closeRedis, connectRedis, createProducerConnection } from '../../src/queue/connections.ts';
import { auditRedis, hasImageBytes } from '../../fixtures-kit/privacy-audit.ts';
import type { Redis } from 'ioredis';

const tiny = () => sharp({ create: { width: 8, height: 8, channels: 3, background: '#336699' } });
const HEIC = readFileSync(new URL('../fixtures/images/heic_iphone8_gps_office-desk.heic', import.meta.url));

let images: [string, Buffer][];
beforeAll(async () => {
  images = [
    ['jpeg', await tiny().jpeg().toBuffer()],
    ['png', await tiny().png().toBuffer()],
    ['webp', await tiny().webp().toBuffer()],
    ['gif', await tiny().gif().toBuffer()],
    ['tiff (little-endian)', await tiny().tiff().toBuffer()],
    ['tiff (big-endian)', Buffer.concat([Buffer.from('MM\0*', 'latin1'), Buffer.alloc(60)])],
    ['avif', await tiny().avif().toBuffer()],
    ['heic', HEIC],
  ];
});

/** A job's JSON with `inner` spliced into a string field. */
const jobWith = (inner: Buffer): Buffer =>
  Buffer.concat([Buffer.from('{"scanId":"4f1c","reply":{"chatId":7},"data":"'), inner, Buffer.from('"}')]);

describe('hasImageBytes', () => {
  it('sees every accepted format, raw inside a value and base64 (plain, URL-safe, data: URL)', () => {
    for (const [name, bytes] of images) {
      expect([name, hasImageBytes(bytes)]).toEqual([name, true]);
      expect([name, hasImageBytes(jobWith(bytes))]).toEqual([name, true]);
      expect([name, hasImageBytes(jobWith(Buffer.from(bytes.toString('base64'))))]).toEqual([name, true]);
      expect([name, hasImageBytes(jobWith(Buffer.from(bytes.toString('base64url'))))]).toEqual([name, true]);
      const dataUrl = Buffer.from(`data:image/x;base64,${bytes.toString('base64')}`);
      expect([name, hasImageBytes(dataUrl)]).toEqual([name, true]);
    }
  });

  it('says nothing of ordinary job data, ids, base64 keys or random bytes of other kinds', () => {
    const job = Buffer.from(
      JSON.stringify({
        v: 1,
        scanId: 'a3c2f0e8-1d2b-4c5e-9f00-112233445566',
        blobKey: 'pft-1:blob:a3c2f0e8-1d2b-4c5e-9f00-112233445566',
        reply: { platform: 'telegram', chatId: -100123, messageId: 42, mode: 'dm' },
        options: { faces: 'all', coverBarcodes: false, recompressed: true },
        report: { verdict: 'high', findings: [{ kind: 'gps', summary: 'location (about 10 m)' }] },
        nonce: randomBytes(24).toString('base64'),
      }),
    );
    expect(hasImageBytes(job)).toBe(false);
  });

  it('an encrypted blob is clean; a blob that is plain bytes, or whose payload is an image, is not', () => {
    const key = randomBytes(32);
    for (const [name, bytes] of images) {
      expect([name, hasImageBytes(encryptBlob(key, bytes, 'k'), { encrypted: true })]).toEqual([name, false]);
      expect([name, hasImageBytes(bytes, { encrypted: true })]).toEqual([name, true]);
      const fakeEnvelope = Buffer.concat([Buffer.from([1]), randomBytes(28), bytes]);
      expect([name, hasImageBytes(fakeEnvelope, { encrypted: true })]).toEqual([name, true]);
    }
  });
});

describe('auditRedis (real Redis, DB 12)', () => {
  let redis: Redis;
  const prefix = `pfa-${randomBytes(4).toString('hex')}`;
  beforeAll(async () => {
    redis = createProducerConnection(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', { db: 12 });
    await connectRedis(redis);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await closeRedis(redis);
  });

  it('finds a WebP in a list, a GIF in a hash, an AVIF in a stream and a blob without TTL', async () => {
    const byName = new Map(images);
    await redis.set(`${prefix}:clean`, '{"ok":true}');
    await redis.rpush(`${prefix}:list`, 'x', byName.get('webp')!);
    await redis.hset(`${prefix}:hash`, 'data', byName.get('gif')!.toString('base64'));
    await redis.xadd(`${prefix}:stream`, '*', 'data', byName.get('avif')!);
    const blob = `${prefix}:blob:${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}`;
    await redis.set(blob, encryptBlob(randomBytes(32), byName.get('heic')!, blob));
    const audit = await auditRedis(redis, { match: `${prefix}:*` });
    expect(audit.imageBytesFound).toBe(true);
    expect(audit.offending.sort()).toEqual([`${prefix}:hash`, `${prefix}:list`, `${prefix}:stream`]);
    expect(audit.blobKeys).toEqual([blob]);
    expect(audit.blobsWithoutTtl).toEqual([blob]);
  });
});
