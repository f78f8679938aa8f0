// Scans every key of a Redis database (or those matching a pattern) for what must never be there:
// image bytes in the clear (JPEG FF D8 FF, PNG 89 50 4E 47 0D 0A 1A 0A, or their base64 forms),
// and blob keys (encrypted images) that outlive their job or have no TTL.
// Shared by the queue tests and the adapter tests: `expect((await auditRedis(redis)).imageBytesFound).toBe(false)`.
import type { Redis } from 'ioredis';
import { BLOB_HEADER_BYTES } from '../src/blob/blob-crypto.ts';

export interface PrivacyAudit {
  /** Every key seen. */
  keys: string[];
  /** Keys holding an encrypted image (originals or sanitized copies). */
  blobKeys: string[];
  /** Blob keys without an expiry. */
  blobsWithoutTtl: string[];
  /** True when some value carries image bytes in the clear. */
  imageBytesFound: boolean;
  /** The keys whose values carry image bytes. */
  offending: string[];
}

const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const B64 = [Buffer.from('/9j/'), Buffer.from('iVBORw0KGgo')];

/** True when `value` holds an image signature anywhere (plain values) or where a payload starts (blobs). */
export function hasImageBytes(value: Buffer, opts: { encrypted?: boolean } = {}): boolean {
  if (opts.encrypted) {
    // Ciphertext is random: a 3-byte signature appears somewhere in a few MB by chance. A blob leaks
    // only if it is not an envelope, or if the payload itself starts with an image signature.
    for (const at of [0, BLOB_HEADER_BYTES]) {
      const v = value.subarray(at);
      if (v.subarray(0, 3).equals(JPEG) || v.subarray(0, 8).equals(PNG)) return true;
    }
    return value[0] !== 1;
  }
  return [JPEG, PNG, ...B64].some((sig) => value.includes(sig));
}

export function isBlobKeyName(key: string): boolean {
  return /:blob:[0-9a-f-]{36}$/.test(key);
}

async function valuesOf(redis: Redis, key: string): Promise<Buffer[]> {
  const type = await redis.type(key);
  switch (type) {
    case 'string': {
      const v = await redis.getBuffer(key);
      return v ? [v] : [];
    }
    case 'hash': {
      const h = await redis.hgetallBuffer(key);
      return Object.entries(h).flatMap(([k, v]) => [Buffer.from(k), v]);
    }
    case 'list':
      return redis.lrangeBuffer(key, 0, -1);
    case 'set':
      return redis.smembersBuffer(key);
    case 'zset':
      return redis.zrangeBuffer(key, 0, '-1');
    case 'stream': {
      const entries = (await redis.xrangeBuffer(key, '-', '+')) as unknown as [Buffer, Buffer[]][];
      return entries.flatMap(([, fields]) => fields);
    }
    default:
      return [];
  }
}

export async function auditRedis(redis: Redis, opts: { match?: string } = {}): Promise<PrivacyAudit> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', opts.match ?? '*', 'COUNT', 500);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  const blobKeys: string[] = [];
  const blobsWithoutTtl: string[] = [];
  const offending: string[] = [];
  for (const key of keys) {
    const blob = isBlobKeyName(key);
    if (blob) {
      blobKeys.push(key);
      if ((await redis.pttl(key)) < 0) blobsWithoutTtl.push(key);
    }
    const values = await valuesOf(redis, key);
    if (values.some((v) => hasImageBytes(v, { encrypted: blob }))) offending.push(key);
  }
  return { keys, blobKeys, blobsWithoutTtl, imageBytesFound: offending.length > 0, offending };
}
