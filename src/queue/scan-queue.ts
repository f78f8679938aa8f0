// The producer side of the scan queue: idempotent enqueue (jobId = scanId), retries with backoff,
// and finished jobs removed so nothing personal stays behind in Redis.
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ScanRequest } from '../types.ts';
import { SCAN_JOB, SCAN_QUEUE } from './names.ts';
import { parseScanRequest } from './schemas.ts';

export interface ScanQueue {
  enqueue(request: ScanRequest): Promise<void>;
  /** Jobs not yet picked up by a worker (waiting, delayed, prioritized). */
  depth(): Promise<number>;
  close(): Promise<void>;
}

/** The producer side of the scan queue: adds jobs carrying ids only, with attempts and backoff. */
export function createScanQueue(deps: {
  connection: Redis;
  /** Key prefix (QUEUE_PREFIX); default 'preflight'. */
  prefix?: string;
  attempts?: number;
  backoffMs?: number;
}): ScanQueue & { queue: Queue } {
  const queue = new Queue(SCAN_QUEUE, { connection: deps.connection, prefix: deps.prefix ?? 'preflight' });
  // The connection is shared and owned by the caller; BullMQ re-emits its errors here.
  queue.on('error', () => undefined);
  const attempts = deps.attempts ?? 3;
  const backoffMs = deps.backoffMs ?? 2_000;
  return {
    queue,
    async enqueue(request) {
      const data = parseScanRequest(request);
      await queue.add(SCAN_JOB, data, {
        jobId: data.scanId,
        attempts,
        backoff: { type: 'exponential', delay: backoffMs },
        removeOnComplete: true,
        removeOnFail: true,
      });
    },
    depth: () => queue.count(),
    close: () => queue.close(),
  };
}
