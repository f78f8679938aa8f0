// Encrypted blobs in Redis: AES-256-GCM with BLOB_KEY, a random nonce per blob, a TTL on every key,
// and GETDEL for delete-on-use. The plaintext never reaches Redis or the disk.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { decryptBlob, encryptBlob } from './blob-crypto.ts';
import { DEFAULT_BLOB_TTL_MS, toBlobKey, type BlobStore } from './blob-store.ts';

/** Blobs in Redis, encrypted with BLOB_KEY, each with a TTL. */
export function createRedisBlobStore(deps: {
  redis: Redis;
  key: Buffer;
  prefix: string;
  ttlMs?: number;
}): BlobStore {
  const { redis, key, prefix } = deps;
  const defaultTtl = deps.ttlMs ?? DEFAULT_BLOB_TTL_MS;
  if (key.length !== 32) throw new Error('BLOB_KEY must be 32 bytes.');
  const own = (k: string): void => {
    if (!k.startsWith(`${prefix}:blob:`)) throw new Error('Not a blob key of this store.');
  };
  return {
    async put(bytes, opts) {
      const k = toBlobKey(prefix, randomUUID());
      const ttl = Math.max(1, Math.round(opts?.ttlMs ?? defaultTtl));
      await redis.set(k, encryptBlob(key, bytes, k), 'PX', ttl);
      return k;
    },
    async get(k) {
      own(k);
      const sealed = await redis.getBuffer(k);
      return sealed ? decryptBlob(key, sealed, k) : undefined;
    },
    async take(k) {
      own(k);
      const sealed = await redis.getdelBuffer(k);
      return sealed ? decryptBlob(key, sealed, k) : undefined;
    },
    async delete(k) {
      own(k);
      await redis.del(k);
    },
    async shorten(k, ttlMs) {
      own(k);
      await redis.call('PEXPIRE', k, String(Math.max(1, Math.round(ttlMs))), 'LT');
    },
  };
}
