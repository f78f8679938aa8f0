// Worker process composition root (`npm run start:worker`): config (no platform tokens), engines
// warmed once per scan thread, a BullMQ worker, /metrics, and an ordered shutdown on SIGTERM/SIGINT:
// stop taking jobs and finish the running ones, close the scan threads, then Redis.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { ConfigError, parseWorkerConfig, type Env, type WorkerConfig } from '../src/config.ts';
import { createRedisBlobStore } from '../src/blob/redis-blob-store.ts';
import { createLogger, type Logger } from '../src/log.ts';
import { createMetrics, startMetricsServer } from '../src/metrics.ts';
import {
  closeRedis,
  connectRedis,
  createWorkerConnection,
  toConnectionExtras,
} from '../src/queue/connections.ts';
import { createScanPool } from './scan-pool.ts';
import { createScanWorker } from './scan-worker.ts';

export interface RunningWorker {
  close(): Promise<void>;
}

export async function startWorkerProcess(config: WorkerConfig, logger: Logger): Promise<RunningWorker> {
  const metrics = createMetrics();
  const connection = createWorkerConnection(config.redisUrl, toConnectionExtras(config));
  connection.on('error', (err) => logger.warn({ err }, 'redis connection error'));
  await connectRedis(connection, 30_000);
  const blobs = createRedisBlobStore({ redis: connection, key: config.blobKey, prefix: config.queuePrefix });

  const pool = createScanPool({
    size: config.concurrency,
    checks: config.checks,
    ocrLangs: config.ocrLangs,
    timeoutMs: config.scanTimeoutMs,
    logger,
  });
  const t0 = performance.now();
  await pool.ready();
  logger.info(
    { threads: config.concurrency, checks: config.checks, ms: Math.round(performance.now() - t0) },
    'scan engines ready',
  );

  const worker = createScanWorker({
    connection,
    prefix: config.queuePrefix,
    blobs,
    scan: (bytes, options) => pool.scan(bytes, options),
    logger,
    metrics,
    concurrency: config.concurrency,
    lockMs: config.lockMs,
    stalledIntervalMs: config.stalledIntervalMs,
    sanitizedTtlMs: config.blobTtlMs,
  });
  await worker.worker.waitUntilReady();
  const server =
    config.metricsPort !== undefined
      ? await startMetricsServer({ port: config.metricsPort, metrics })
      : undefined;
  logger.info({ concurrency: config.concurrency, metricsPort: server?.port }, 'worker ready');

  return {
    async close() {
      await worker.close();
      await pool.close();
      await server?.close();
      await closeRedis(connection);
    },
  };
}

/** Runs `close` once on SIGTERM/SIGINT; a second signal exits at once. */
export function onShutdownSignal(logger: Logger, close: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    close().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}

async function main(env: Env): Promise<void> {
  let config: WorkerConfig;
  try {
    config = parseWorkerConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const logger = createLogger({ level: config.logLevel, name: 'preflight-worker' });
  try {
    const running = await startWorkerProcess(config, logger);
    onShutdownSignal(logger, () => running.close());
  } catch (err) {
    logger.fatal({ err }, 'worker failed to start');
    process.exit(1);
  }
}

const isEntry =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (isEntry) await main(process.env);
