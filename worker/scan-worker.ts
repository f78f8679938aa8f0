// The BullMQ consumer of the scan queue, shared by worker/main.ts (separate process), src/main.ts
// (one process) and the integration harness. Scanning itself happens in the thread pool.
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { BlobStore } from '../src/blob/blob-store.ts';
import type { Logger } from '../src/log.ts';
import type { Metrics } from '../src/metrics.ts';
import { SCAN_QUEUE } from '../src/queue/names.ts';
import { createResultPublisher } from '../src/queue/results.ts';
import { createScanProcessor, type ScanFn } from './scan-processor.ts';

export interface ScanWorker {
  worker: Worker;
  /** Stops taking jobs, waits for the running ones, closes the results publisher. */
  close(): Promise<void>;
}

/** The BullMQ worker on the scan queue, with its results publisher and queue-depth gauge. */
export function createScanWorker(deps: {
  /** Worker-style connection (maxRetriesPerRequest: null). */
  connection: Redis;
  prefix: string;
  blobs: BlobStore;
  scan: ScanFn;
  logger: Logger;
  metrics?: Metrics;
  concurrency: number;
  /** Lock duration: must exceed the longest event-loop stall, not the scan (the lock is renewed). */
  lockMs?: number;
  stalledIntervalMs?: number;
  sanitizedTtlMs: number;
  autorun?: boolean;
}): ScanWorker {
  const { logger } = deps;
  const publisher = createResultPublisher({
    connection: deps.connection,
    prefix: deps.prefix,
    blobs: deps.blobs,
  });
  const processor = createScanProcessor({
    blobs: deps.blobs,
    scan: deps.scan,
    publisher,
    logger,
    sanitizedTtlMs: deps.sanitizedTtlMs,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
  });
  const worker = new Worker(SCAN_QUEUE, (job) => processor.process(job), {
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: deps.concurrency,
    lockDuration: deps.lockMs ?? 120_000,
    stalledInterval: deps.stalledIntervalMs ?? 30_000,
    maxStalledCount: 2,
    autorun: deps.autorun ?? true,
  });
  worker.on('failed', (job, err) => {
    void processor.onFailed(job, err);
  });
  worker.on('error', (err) => logger.warn({ err }, 'scan worker connection error'));
  // Queue depth for /metrics, read at scrape time through a (non-blocking) Queue handle.
  const counter = deps.metrics
    ? new Queue(SCAN_QUEUE, { connection: deps.connection, prefix: deps.prefix })
    : undefined;
  if (counter) {
    counter.on('error', () => undefined);
    deps.metrics?.watchQueue(SCAN_QUEUE, () =>
      counter.getJobCounts('waiting', 'active', 'delayed', 'prioritized'),
    );
  }
  return {
    worker,
    async close() {
      await worker.close();
      await publisher.close();
      await counter?.close();
    },
  };
}
