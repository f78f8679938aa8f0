// Worker process composition root (`npm run start:worker`): config (no platform tokens), engines
// warmed once per scan thread, a BullMQ worker, /metrics, and an ordered shutdown on SIGTERM/SIGINT:
// stop taking jobs and finish the running ones, close the scan threads, then Redis.
import { parseWorkerConfig, type Env, type WorkerConfig } from '../src/config.ts';
import { createRedisBlobStore } from '../src/blob/redis-blob-store.ts';
import { createLogger, type Logger } from '../src/log.ts';
import { createMetrics, startMetricsServer } from '../src/metrics.ts';
import {
  closeRedis,
  connectRedis,
  createWorkerConnection,
  toConnectionExtras,
} from '../src/queue/connections.ts';
import { isEntryModule, onShutdownSignal, parseConfigOrExit } from '../src/process-lifecycle.ts';
import { createInProcessWorker, toInProcessWorkerDeps } from './in-process.ts';

export interface RunningWorker {
  close(): Promise<void>;
}

/** Connects Redis, starts the in-process worker and /metrics; `close()` shuts them down in order. */
export async function startWorkerProcess(config: WorkerConfig, logger: Logger): Promise<RunningWorker> {
  const metrics = createMetrics();
  const connection = createWorkerConnection(config.redisUrl, toConnectionExtras(config));
  connection.on('error', (err) => logger.warn({ err }, 'redis connection error'));
  await connectRedis(connection, 30_000);
  const blobs = createRedisBlobStore({ redis: connection, key: config.blobKey, prefix: config.queuePrefix });

  const t0 = performance.now();
  const worker = await createInProcessWorker(
    toInProcessWorkerDeps(config, { connection, blobs, logger, metrics }),
  );
  logger.info(
    { threads: config.concurrency, checks: config.checks, ms: Math.round(performance.now() - t0) },
    'scan engines ready',
  );
  await worker.ready();
  const server =
    config.metricsPort !== undefined
      ? await startMetricsServer({ port: config.metricsPort, metrics })
      : undefined;
  logger.info({ concurrency: config.concurrency, metricsPort: server?.port }, 'worker ready');

  return {
    async close() {
      await worker.close();
      await server?.close();
      await closeRedis(connection);
    },
  };
}

async function main(env: Env): Promise<void> {
  const config = parseConfigOrExit(() => parseWorkerConfig(env));
  const logger = createLogger({ level: config.logLevel, name: 'preflight-worker' });
  try {
    const running = await startWorkerProcess(config, logger);
    onShutdownSignal(logger, () => running.close());
  } catch (err) {
    logger.fatal({ err }, 'worker failed to start');
    process.exit(1);
  }
}

if (isEntryModule(import.meta.url)) await main(process.env);
