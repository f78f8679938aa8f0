// Scans every key of a Redis database (or those matching a pattern) for what must never be there:
// image bytes in the clear (JPEG, PNG, GIF, TIFF, WebP, HEIC/AVIF signatures, or their base64 forms),
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

const ascii = (s: string): Buffer => Buffer.from(s, 'latin1');
/** HEIF-family brands of an ISO-BMFF `ftyp` box (HEIC, HEIF, AVIF and their sequences). */
const FTYP_BRANDS = ['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1', 'avif', 'avis'];

/** Image signatures at the start of a file: JPEG, PNG, GIF, TIFF (both byte orders), WebP, HEIF/AVIF. */
function startsWithImage(v: Buffer): boolean {
  const at = (offset: number, sig: Buffer): boolean => v.subarray(offset, offset + sig.length).equals(sig);
  return (
    at(0, Buffer.from([0xff, 0xd8, 0xff])) ||
    at(0, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) ||
    at(0, ascii('GIF87a')) ||
    at(0, ascii('GIF89a')) ||
    at(0, ascii('II*\0')) ||
    at(0, ascii('MM\0*')) ||
    (at(0, ascii('RIFF')) && at(8, ascii('WEBP'))) ||
    (at(4, ascii('ftyp')) && FTYP_BRANDS.includes(v.subarray(8, 12).toString('latin1')))
  );
}

/** Where a signature could start inside a plain value: each byte a signature's first byte can be. */
const FIRST_BYTES = new Set([0xff, 0x89, 0x47, 0x49, 0x4d, 0x52]);

/** An image signature anywhere in `v` (an image inside a JSON job, a list entry, a hash field). */
function containsImage(v: Buffer): boolean {
  for (let i = 0; i < v.length; i++) {
    if (FIRST_BYTES.has(v[i]!) && startsWithImage(v.subarray(i))) return true;
    // An ftyp box's 4-byte size comes before its name.
    if (v[i] === 0x66 && i >= 4 && startsWithImage(v.subarray(i - 4))) return true;
  }
  return false;
}

/** A base64 run (plain or URL-safe, as in a data: URL or a JSON field) that decodes to an image. */
function containsBase64Image(v: Buffer): boolean {
  for (const m of v.toString('latin1').matchAll(/[A-Za-z0-9+/_-]{16,}/g)) {
    const head = Buffer.from(m[0].slice(0, 32).replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (startsWithImage(head)) return true;
  }
  return false;
}

/** True when `value` holds an image signature anywhere (plain values) or where a payload starts (blobs). */
export function hasImageBytes(value: Buffer, opts: { encrypted?: boolean } = {}): boolean {
  if (opts.encrypted) {
    // Ciphertext is random: a 3-byte signature appears somewhere in a few MB by chance. A blob leaks
    // only if it is not an envelope, or if the payload itself starts with an image signature.
    for (const at of [0, BLOB_HEADER_BYTES]) if (startsWithImage(value.subarray(at))) return true;
    return value[0] !== 1;
  }
  return containsImage(value) || containsBase64Image(value);
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
