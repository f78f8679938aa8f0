// Composition root of `npm start`: every platform adapter whose token is set, the results
// dispatcher, and (unless --bot-only) an in-process scan worker whose scans run in worker threads.
// `npm run start:bot` runs the bots alone; `npm run start:worker` (worker/main.ts) runs workers apart.
// Shutdown order on SIGTERM/SIGINT: adapters stop receiving, the worker finishes running scans and
// closes its threads, the dispatcher delivers what it holds, then Redis.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createDiscordAdapter } from './adapters/discord/adapter.ts';
import { parseDiscordConfig } from './adapters/discord/config.ts';
import { createTelegramAdapter } from './adapters/telegram/adapter.ts';
import type { ChoiceDeps } from './choices/kit.ts';
import { toUserIdSecret } from './choices/user-settings.ts';
import { parseTelegramConfig } from './adapters/telegram/config.ts';
import { createRedisBlobStore } from './blob/redis-blob-store.ts';
import { ConfigError, parseBotConfig, type BotConfig, type Env } from './config.ts';
import { createLogger, type Logger } from './log.ts';
import { createMetrics, startMetricsServer } from './metrics.ts';
import {
  closeRedis,
  connectRedis,
  createProducerConnection,
  createWorkerConnection,
  toConnectionExtras,
} from './queue/connections.ts';
import { SCAN_QUEUE } from './queue/names.ts';
import { createResultDispatcher, type ResultSender } from './queue/results.ts';
import { createScanQueue } from './queue/scan-queue.ts';
import { isEntryModule, onShutdownSignal, parseConfigOrExit } from './process-lifecycle.ts';
import { createScanService, type ScanService } from './scan-service.ts';
import type { Platform } from './types.ts';
import { createInProcessWorker, toInProcessWorkerDeps, type InProcessWorker } from '../worker/in-process.ts';

interface RunningAdapter {
  platform: Platform;
  sendResult: ResultSender;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The adapters whose token is set in `env`. Each parses its own config (and its token). */
export function createAdapters(
  env: Env,
  deps: { scanService: ScanService; redis: Redis; logger: Logger; choices?: ChoiceDeps },
): RunningAdapter[] {
  const adapters: RunningAdapter[] = [];
  if (env['TELEGRAM_BOT_TOKEN']?.trim()) {
    const a = createTelegramAdapter({ config: parseTelegramConfig(env), ...deps });
    adapters.push({
      platform: 'telegram',
      sendResult: a.sendResult,
      start: () => a.start(),
      stop: () => a.stop(),
    });
  }
  if (env['DISCORD_TOKEN']?.trim()) {
    const a = createDiscordAdapter({ config: parseDiscordConfig(env), ...deps });
    adapters.push({
      platform: 'discord',
      sendResult: a.sendResult,
      start: () => a.start(),
      stop: () => a.stop(),
    });
  }
  return adapters;
}

/**
 * Connects Redis and builds every part; `start()` then starts the metrics server and the adapters
 * (which may take long, e.g. while a platform is unreachable) — `close()` works at any point.
 */
export async function createBotProcess(
  config: BotConfig,
  env: Env,
  opts: { botOnly: boolean; logger: Logger },
): Promise<{ start(): Promise<void>; close(): Promise<void> }> {
  const { logger, botOnly } = opts;
  let blobKey = config.blobKey;
  if (!blobKey) {
    if (botOnly)
      throw new ConfigError([{ variable: 'BLOB_KEY', problem: 'is required when bot and worker run apart' }]);
    blobKey = randomBytes(32);
    logger.warn('BLOB_KEY is not set: using a key generated for this run (one-process mode only)');
  }
  const metrics = createMetrics();
  const producer = createProducerConnection(config.redisUrl, toConnectionExtras(config));
  const consumer = createWorkerConnection(config.redisUrl, toConnectionExtras(config));
  for (const r of [producer, consumer])
    r.on('error', (err) => logger.warn({ err }, 'redis connection error'));
  await Promise.all([connectRedis(producer, 30_000), connectRedis(consumer, 30_000)]);
  const prefix = config.queuePrefix;

  const queue = createScanQueue({ connection: producer, prefix, attempts: config.attempts });
  metrics.watchQueue(SCAN_QUEUE, () =>
    queue.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized'),
  );
  const scanService = createScanService({
    redis: producer,
    queue,
    blobs: createRedisBlobStore({ redis: producer, key: blobKey, prefix, ttlMs: config.blobTtlMs }),
    prefix,
    limits: {
      ratePerMin: config.rateLimitPerMin,
      maxWaiting: config.maxWaiting,
      maxDownloadBytes: config.maxDownloadBytes,
      downloadTimeoutMs: config.downloadTimeoutMs,
      blobTtlMs: config.blobTtlMs,
    },
    logger,
    metrics,
  });

  // The face choices' copies are read back with the same key; the buttons live as long as the copies.
  const choices: ChoiceDeps = {
    blobs: createRedisBlobStore({ redis: producer, key: blobKey, prefix, ttlMs: config.blobTtlMs }),
    userSecret: toUserIdSecret(config.userIdSecret, blobKey),
    ttlMs: config.blobTtlMs,
    metrics,
  };
  const adapters = createAdapters(env, { scanService, redis: producer, logger, choices });
  if (adapters.length === 0)
    throw new ConfigError([
      { variable: 'TELEGRAM_BOT_TOKEN or DISCORD_TOKEN', problem: 'must be set (no platform to serve)' },
    ]);

  const consumerBlobs = createRedisBlobStore({
    redis: consumer,
    key: blobKey,
    prefix,
    ttlMs: config.blobTtlMs,
  });
  const dispatcher = createResultDispatcher({
    connection: consumer,
    prefix,
    blobs: consumerBlobs,
    senders: Object.fromEntries(adapters.map((a) => [a.platform, a.sendResult])),
    logger,
    metrics,
  });

  let worker: InProcessWorker | undefined;
  if (!botOnly) {
    worker = await createInProcessWorker(
      toInProcessWorkerDeps(config, { connection: consumer, blobs: consumerBlobs, logger, metrics }),
    );
    logger.info({ checks: config.checks, threads: config.concurrency }, 'in-process worker ready');
  }

  let server: { port: number; close(): Promise<void> } | undefined;
  return {
    async start() {
      if (config.metricsPort !== undefined)
        server = await startMetricsServer({ port: config.metricsPort, metrics });
      for (const a of adapters) await a.start();
      logger.info(
        { platforms: adapters.map((a) => a.platform), botOnly, metricsPort: server?.port },
        'bot ready',
      );
    },
    async close() {
      for (const a of adapters)
        await a.stop().catch((err: unknown) => logger.error({ err }, 'adapter stop failed'));
      await worker?.close();
      await dispatcher.close();
      await queue.close();
      await server?.close();
      await Promise.all([closeRedis(producer), closeRedis(consumer)]);
    },
  };
}

async function main(env: Env, argv: string[]): Promise<void> {
  const botOnly = argv.includes('--bot-only');
  const config = parseConfigOrExit(() => parseBotConfig(env));
  const logger = createLogger({ level: config.logLevel, name: botOnly ? 'preflight-bot' : 'preflight' });
  try {
    const running = await createBotProcess(config, env, { botOnly, logger });
    onShutdownSignal(logger, () => running.close());
    await running.start();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    logger.fatal({ err }, 'failed to start');
    process.exit(1);
  }
}

if (isEntryModule(import.meta.url)) await main(process.env, process.argv.slice(2));
