// The port for short-lived image bytes (originals and sanitized copies) between the bot and the worker.
// Implementations: redis-blob-store.ts (encrypted, TTL) and memory-blob-store.ts (CLI and tests).

export interface BlobStore {
  /** Stores the bytes under a new random key that expires after `ttlMs` (the store's default if absent). */
  put(bytes: Buffer, opts?: { ttlMs?: number }): Promise<string>;
  /** The bytes, or undefined when the key expired or never existed. */
  get(key: string): Promise<Buffer | undefined>;
  /** Reads and deletes in one step (delete on use). */
  take(key: string): Promise<Buffer | undefined>;
  delete(key: string): Promise<void>;
  /** Makes the key expire within `ttlMs` from now, never later than it would have. */
  shorten(key: string, ttlMs: number): Promise<void>;
}

export const DEFAULT_BLOB_TTL_MS = 10 * 60 * 1000;

/** Key namespace for blobs under a deployment prefix: `${prefix}:blob:${id}`. */
export function toBlobKey(prefix: string, id: string): string {
  return `${prefix}:blob:${id}`;
}
