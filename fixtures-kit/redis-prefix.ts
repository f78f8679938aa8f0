// Clean-up of a test or bench run's own Redis keys: everything under its unique prefix.
import type { Redis } from 'ioredis';

/** Deletes every key under `${prefix}:` (SCAN in batches of 500, never KEYS). */
export async function deletePrefixed(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
}
