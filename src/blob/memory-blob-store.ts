// The same port in memory, for the CLI (one process, nothing to share) and tests. Entries expire.
import { randomUUID } from 'node:crypto';
import { DEFAULT_BLOB_TTL_MS, toBlobKey, type BlobStore } from './blob-store.ts';

/** An in-memory blob store whose entries expire after `ttlMs` (clock injectable with `now`). */
export function createMemoryBlobStore(opts: { ttlMs?: number; now?: () => number } = {}): BlobStore & {
  size(): number;
} {
  const now = opts.now ?? Date.now;
  const defaultTtl = opts.ttlMs ?? DEFAULT_BLOB_TTL_MS;
  const entries = new Map<string, { bytes: Buffer; expiresAt: number }>();
  const live = (k: string): Buffer | undefined => {
    const e = entries.get(k);
    if (!e) return undefined;
    if (e.expiresAt <= now()) {
      entries.delete(k);
      return undefined;
    }
    return e.bytes;
  };
  return {
    put(bytes, o) {
      const k = toBlobKey('memory', randomUUID());
      entries.set(k, { bytes: Buffer.from(bytes), expiresAt: now() + (o?.ttlMs ?? defaultTtl) });
      return Promise.resolve(k);
    },
    get: (k) => Promise.resolve(live(k)),
    take(k) {
      const b = live(k);
      entries.delete(k);
      return Promise.resolve(b);
    },
    delete(k) {
      entries.delete(k);
      return Promise.resolve();
    },
    shorten(k, ttlMs) {
      const e = entries.get(k);
      if (e) e.expiresAt = Math.min(e.expiresAt, now() + ttlMs);
      return Promise.resolve();
    },
    size() {
      for (const k of [...entries.keys()]) live(k);
      return entries.size;
    },
  };
}
