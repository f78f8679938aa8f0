// The face choices a posted copy offers, per scan id, in Redis under the copies' TTL: the owner's
// hashed id, the blob keys of the encrypted copies and picture, the platform message ids. No pixels.
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { FacesMode, Locale, ScanResult } from '../types.ts';

const faces = z.enum(['all', 'minors', 'none']);
const blobKey = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/);

const recordSchema = z.object({
  owner: z.string().regex(/^[0-9a-f]{64}$/),
  locale: z.enum(['en', 'fr']),
  current: faces,
  variants: z.object({ all: blobKey.optional(), minors: blobKey.optional(), none: blobKey.optional() }),
  minorVisible: z.array(faces),
  preview: blobKey.optional(),
  /** Where the copy was posted: ids and flags only (Telegram chat and message ids, Discord ids). */
  ref: z.record(
    z.string().regex(/^[A-Za-z0-9_]{1,32}$/),
    z.union([z.string().max(64), z.number(), z.boolean()]),
  ),
});

export interface ChoiceRecord {
  /** The photo's sender, hashed (user-settings.ts hashUserId). */
  owner: string;
  locale: Locale;
  current: FacesMode;
  variants: Partial<Record<FacesMode, string>>;
  /** The choices that leave a face visible that may be a child's. */
  minorVisible: FacesMode[];
  preview?: string | undefined;
  ref: Record<string, string | number | boolean>;
}

export interface ChoiceStore {
  /** Records the choices for `ttlMs` (the copies' blobs are made to expire at the same time). */
  put(scanId: string, record: ChoiceRecord, ttlMs: number): Promise<void>;
  /** The record, or undefined once expired. */
  get(scanId: string): Promise<ChoiceRecord | undefined>;
  /** Marks another choice as the posted one, keeping the expiry. */
  setCurrent(scanId: string, current: FacesMode): Promise<void>;
}

export function createChoiceStore(deps: { redis: Redis; prefix: string }): ChoiceStore {
  const { redis } = deps;
  const keyOf = (scanId: string): string => `${deps.prefix}:choice:${scanId}`;
  const read = async (scanId: string): Promise<ChoiceRecord | undefined> => {
    const raw = await redis.get(keyOf(scanId));
    if (!raw) return undefined;
    try {
      return recordSchema.parse(JSON.parse(raw)) as ChoiceRecord;
    } catch {
      return undefined;
    }
  };
  return {
    async put(scanId, record, ttlMs) {
      const parsed = recordSchema.parse(record);
      await redis.set(keyOf(scanId), JSON.stringify(parsed), 'PX', Math.max(1, Math.round(ttlMs)));
    },
    get: read,
    async setCurrent(scanId, current) {
      const r = await read(scanId);
      if (!r) return;
      await redis.set(keyOf(scanId), JSON.stringify({ ...r, current }), 'KEEPTTL', 'XX');
    },
  };
}

/**
 * The record a result's buttons need (before the platform's message ids are known), or undefined
 * when it offers nothing to choose: no other face choice and no "Show where" picture.
 */
export function toChoiceRecord(result: ScanResult, owner: string): Omit<ChoiceRecord, 'ref'> | undefined {
  if (!result.ok) return undefined;
  const v = result.report.variants;
  const variants = v && result.variantBlobKeys ? result.variantBlobKeys : {};
  if (Object.keys(variants).length < 2 && !result.previewBlobKey) return undefined;
  return {
    owner,
    locale: result.locale,
    current: v?.current ?? 'all',
    variants,
    minorVisible: (v?.choices ?? []).filter((c) => c.minorVisible).map((c) => c.faces),
    preview: result.previewBlobKey,
  };
}

/** The blob keys a record keeps alive (for the results dispatcher's receipt). */
export function recordBlobKeys(r: Pick<ChoiceRecord, 'variants' | 'preview'>): string[] {
  return [...Object.values(r.variants), ...(r.preview ? [r.preview] : [])].filter(
    (k): k is string => typeof k === 'string',
  );
}
