// Redis connections with the two behaviours the queue needs:
// - producer: fails fast while Redis is down (no offline queue, short connect timeout, per-command
//   timeout), so the bot can tell the user at once instead of hanging;
// - worker: `maxRetriesPerRequest: null` and an offline queue, so blocking BullMQ commands survive a
//   Redis restart and resume when it is back.
import { Redis, type RedisOptions } from 'ioredis';
import type { CommonConfig } from '../config.ts';
import { withTimeout } from '../timing.ts';

/** Extra ioredis options (TLS, Sentinel, password...); see docs/DEPLOY.md. */
export type ConnectionExtras = Omit<RedisOptions, 'replyMapping'>;

/**
 * The options the configuration adds to REDIS_URL: with REDIS_SENTINELS, ioredis asks the sentinels
 * for the current master (and again after a fail-over); the URL's credentials and db still apply.
 */
export function toConnectionExtras(config: Pick<CommonConfig, 'redisSentinel'>): ConnectionExtras {
  const s = config.redisSentinel;
  if (!s) return {};
  return {
    sentinels: s.sentinels.map(({ host, port }) => ({ host, port })),
    name: s.name,
    ...(s.password !== undefined ? { sentinelPassword: s.password } : {}),
  };
}

const reconnect = (times: number): number => Math.min(200 * 2 ** Math.min(times, 5), 5_000);

/** A Redis connection for producers: commands fail fast while Redis is away. */
export function createProducerConnection(url: string, extra: ConnectionExtras = {}): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    connectTimeout: 2_000,
    commandTimeout: 5_000,
    maxRetriesPerRequest: 1,
    retryStrategy: reconnect,
    lazyConnect: true,
    ...extra,
  });
}

/** A Redis connection for BullMQ workers (maxRetriesPerRequest: null, as BullMQ requires). */
export function createWorkerConnection(url: string, extra: ConnectionExtras = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    retryStrategy: reconnect,
    lazyConnect: true,
    ...extra,
  });
}

/** Connects (if not yet) and waits until the connection is ready, or throws after `timeoutMs`. */
export async function connectRedis(redis: Redis, timeoutMs = 10_000): Promise<void> {
  if (redis.status === 'ready') return;
  if (redis.status === 'wait') {
    await withTimeout(redis.connect(), timeoutMs, 'Redis connection');
    return;
  }
  await withTimeout(
    new Promise<void>((resolve) => {
      redis.once('ready', () => resolve());
    }),
    timeoutMs,
    'Redis connection',
  );
}

/** Closes a connection politely, falling back to disconnect when Redis is unreachable. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  try {
    if (redis.status === 'ready') await withTimeout(redis.quit(), 2_000, 'Redis quit');
    else redis.disconnect();
  } catch {
    redis.disconnect();
  }
}
