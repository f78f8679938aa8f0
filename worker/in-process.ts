// worker/'s one public entry: scans run in this process — a pool of scan threads with their engines
// warmed, and the BullMQ consumer of the scan queue feeding it — closed in order.
import type { Redis } from 'ioredis';
import type { BlobStore } from '../src/blob/blob-store.ts';
import type { AnalyzerName } from '../src/types.ts';
import type { Logger } from '../src/log.ts';
import type { Metrics } from '../src/metrics.ts';
import { createScanPool } from './scan-pool.ts';
import { createScanWorker } from './scan-worker.ts';

export interface InProcessWorker {
  /** Resolves once the BullMQ worker is connected and taking jobs. */
  ready(): Promise<void>;
  /** Stops taking jobs, finishes the running ones, then closes the scan threads. */
  close(): Promise<void>;
}

export interface InProcessWorkerDeps {
  /** Worker-style connection (maxRetriesPerRequest: null). */
  connection: Redis;
  prefix: string;
  blobs: BlobStore;
  logger: Logger;
  metrics?: Metrics;
  /** Scan threads, and jobs taken at once. */
  concurrency: number;
  checks: AnalyzerName[];
  ocrLangs: string[];
  scanTimeoutMs: number;
  sanitizedTtlMs: number;
  lockMs?: number;
  stalledIntervalMs?: number;
}

/** What a process's configuration says about its scans (WorkerConfig, or BotConfig in one-process mode). */
export interface ScanConfig {
  queuePrefix: string;
  blobTtlMs: number;
  concurrency: number;
  checks: AnalyzerName[];
  ocrLangs: string[];
  scanTimeoutMs: number;
  /** Only the worker process reads these (WORKER_LOCK_MS, WORKER_STALLED_INTERVAL_MS). */
  lockMs?: number;
  stalledIntervalMs?: number;
}

/**
 * The in-process worker's options from a process's configuration: the one place both composition
 * roots (src/main.ts, worker/main.ts) build them.
 */
export function toInProcessWorkerDeps(
  config: ScanConfig,
  io: Pick<InProcessWorkerDeps, 'connection' | 'blobs' | 'logger' | 'metrics'>,
): InProcessWorkerDeps {
  return {
    ...io,
    prefix: config.queuePrefix,
    concurrency: config.concurrency,
    checks: config.checks,
    ocrLangs: config.ocrLangs,
    scanTimeoutMs: config.scanTimeoutMs,
    sanitizedTtlMs: config.blobTtlMs,
    ...(config.lockMs !== undefined ? { lockMs: config.lockMs } : {}),
    ...(config.stalledIntervalMs !== undefined ? { stalledIntervalMs: config.stalledIntervalMs } : {}),
  };
}

/** Starts the scan threads (resolving once every engine is loaded), then the queue consumer. */
export async function createInProcessWorker(deps: InProcessWorkerDeps): Promise<InProcessWorker> {
  const { logger } = deps;
  const pool = createScanPool({
    size: deps.concurrency,
    checks: deps.checks,
    ocrLangs: deps.ocrLangs,
    timeoutMs: deps.scanTimeoutMs,
    logger,
  });
  await pool.ready();
  const worker = createScanWorker({
    connection: deps.connection,
    prefix: deps.prefix,
    blobs: deps.blobs,
    scan: (bytes, options) => pool.scan(bytes, options),
    logger,
    concurrency: deps.concurrency,
    sanitizedTtlMs: deps.sanitizedTtlMs,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    ...(deps.lockMs !== undefined ? { lockMs: deps.lockMs } : {}),
    ...(deps.stalledIntervalMs !== undefined ? { stalledIntervalMs: deps.stalledIntervalMs } : {}),
  });
  return {
    ready: () => worker.worker.waitUntilReady(),
    async close() {
      await worker.close();
      await pool.close();
    },
  };
}
