// What both bots' face choices share: the encrypted copies, the choice records, the users' defaults
// under hashed ids, how long the buttons work, and the metrics.
import type { Redis } from 'ioredis';
import type { BlobStore } from '../blob/blob-store.ts';
import type { Metrics } from '../metrics.ts';
import { createChoiceStore, type ChoiceStore } from './choice-store.ts';
import { createUserSettings, type UserSettings } from './user-settings.ts';

/** What the choices need: the encrypted copies, the records, the users' defaults, how long they live. */
export interface ChoiceKit {
  blobs: BlobStore;
  store: ChoiceStore;
  users: UserSettings;
  userSecret: Buffer;
  /** How long the buttons work (at most the copies' TTL). */
  ttlMs: number;
  metrics?: Metrics | undefined;
}

/** What the adapter is given for the choices (the stores are built on its Redis and prefix). */
export interface ChoiceDeps {
  blobs: BlobStore;
  /** toUserIdSecret(USER_ID_SECRET, BLOB_KEY). */
  userSecret: Buffer;
  ttlMs: number;
  metrics?: Metrics | undefined;
  /** Key prefix of the records and the users' defaults (default: the adapter's). */
  prefix?: string | undefined;
}

/** The kit on the adapter's Redis and key prefix. */
export function createChoiceKit(deps: ChoiceDeps, redis: Redis, prefix: string): ChoiceKit {
  return {
    ...deps,
    store: createChoiceStore({ redis, prefix: deps.prefix ?? prefix }),
    users: createUserSettings({ redis, prefix: deps.prefix ?? prefix }),
  };
}
