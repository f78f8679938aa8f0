// Results back to the bots. The worker stores the report and the sanitized copy as encrypted blobs
// and publishes a small message of ids to the results queue; the bot process consumes it, decrypts
// both, calls the platform's sender and deletes the blobs — also when the sender keeps failing —
// except those the sender kept for its face-choice buttons (a DeliveryReceipt), which expire.
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { BlobStore } from '../blob/blob-store.ts';
import { scrubSecrets, type Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { DeliveryReceipt, Platform, ScanResult } from '../types.ts';
import { RESULT_JOB, RESULTS_QUEUE } from './names.ts';
import {
  parseRiskReport,
  parseScanResult,
  parseScanResultMessage,
  type ScanResultMessage,
} from './schemas.ts';

export type { DeliveryReceipt } from '../types.ts';

export type ResultSender = (
  result: ScanResult,
  sanitized: Buffer | undefined,
) => Promise<void | DeliveryReceipt>;

/** Every image blob a result names: the copy, the other face choices' copies, the picture. */
export function resultBlobKeys(result: {
  ok: boolean;
  sanitizedBlobKey?: string;
  variantBlobKeys?: Partial<Record<string, string>>;
  previewBlobKey?: string;
}): string[] {
  if (!result.ok) return [];
  const keys = [
    result.sanitizedBlobKey,
    ...Object.values(result.variantBlobKeys ?? {}),
    result.previewBlobKey,
  ];
  return [...new Set(keys.filter((k): k is string => typeof k === 'string'))];
}

export interface ResultPublisher {
  /**
   * Queues the result (jobId = scanId). Returns false when another result for this scan was already
   * waiting (from a worker that lost the job and finished late): BullMQ keeps that one, and the
   * blobs this result names (sealed report, sanitized copy) are deleted here.
   */
  publish(result: ScanResult): Promise<boolean>;
  close(): Promise<void>;
}

/** Marks a scan as answered, so a re-published result (after a worker crash) is not sent twice. */
const sentKey = (prefix: string, scanId: string): string => `${prefix}:sent:${scanId}`;
const SENT_TTL_SEC = 3600;

/** Publishes a finished scan on the results queue (ids and the report; the copy stays an encrypted blob). */
export function createResultPublisher(deps: {
  connection: Redis;
  /** Where the report is sealed: the queue carries its key, never coordinates or masked values. */
  blobs: BlobStore;
  /** Lifetime of the sealed report until the bot reads it. */
  reportTtlMs?: number;
  /** Key prefix (QUEUE_PREFIX); default 'preflight'. */
  prefix?: string;
  queueName?: string;
  /** Delivery attempts for a result whose sender fails (default 4). */
  attempts?: number;
  backoffMs?: number;
}): ResultPublisher {
  const queue = new Queue(deps.queueName ?? RESULTS_QUEUE, {
    connection: deps.connection,
    prefix: deps.prefix ?? 'preflight',
  });
  queue.on('error', () => undefined);
  return {
    async publish(result) {
      const parsed = parseScanResult(result);
      let data: ScanResultMessage;
      if (parsed.ok) {
        const { report, ...rest } = parsed;
        const reportBlobKey = await deps.blobs.put(Buffer.from(JSON.stringify(report), 'utf8'), {
          ttlMs: deps.reportTtlMs ?? 15 * 60 * 1000,
        });
        data = { ...rest, reportBlobKey };
      } else data = parsed;
      await queue.add(RESULT_JOB, data, {
        jobId: data.scanId,
        attempts: deps.attempts ?? 4,
        backoff: { type: 'exponential', delay: deps.backoffMs ?? 2_000 },
        removeOnComplete: true,
        removeOnFail: true,
      });
      if (!data.ok) return true; // names no blobs: a duplicate leaves nothing behind
      // An add under a jobId already queued is a silent no-op: ours waits only if the queued job
      // names our report. Otherwise nothing will read our blobs: either another result took the
      // place (a duplicate), or ours was delivered already and the dispatcher deleted them.
      const queued = (await queue.getJob(data.scanId)) as Job<{ reportBlobKey?: unknown }> | undefined;
      if (queued?.data.reportBlobKey === data.reportBlobKey) return true;
      await deps.blobs.delete(data.reportBlobKey).catch(() => undefined);
      for (const k of resultBlobKeys(data)) await deps.blobs.delete(k).catch(() => undefined);
      return queued === undefined;
    },
    close: () => queue.close(),
  };
}

const isLastAttempt = (job: Job): boolean => job.attemptsMade + 1 >= (job.opts.attempts ?? 1);

/** Consumes the results queue and hands each result, with its decrypted copy, to its platform sender. */
export function createResultDispatcher(deps: {
  /** A worker-style connection (maxRetriesPerRequest: null); BullMQ duplicates it for blocking reads. */
  connection: Redis;
  /** Key prefix (QUEUE_PREFIX); default 'preflight'. */
  prefix?: string;
  queueName?: string;
  blobs: BlobStore;
  senders: Partial<Record<Platform, ResultSender>>;
  logger: Logger;
  metrics?: Metrics;
  concurrency?: number;
}): { close(): Promise<void>; worker: Worker } {
  const { connection, blobs, senders, logger, metrics } = deps;
  const prefix = deps.prefix ?? 'preflight';

  const process = async (job: Job): Promise<void> => {
    let message: ScanResultMessage;
    try {
      message = parseScanResultMessage(job.data);
    } catch {
      logger.error({ jobId: job.id }, 'result job has an invalid payload; dropped');
      metrics?.delivered('dropped');
      return;
    }
    const log = logger.child({ scanId: message.scanId, platform: message.reply.platform });
    const sanitizedKey = message.ok ? message.sanitizedBlobKey : undefined;
    const reportKey = message.ok ? message.reportBlobKey : undefined;
    /** Blobs the sender kept for its buttons: not deleted here (they expire). */
    let kept = new Set<string>();
    let done = false;
    try {
      const result = await openResult(message, blobs);
      if (!result.ok && message.ok)
        log.warn('report expired before delivery; telling the user to send again');
      if ((await connection.exists(sentKey(prefix, result.scanId))) === 1) {
        log.warn('result already delivered; duplicate ignored');
        done = true;
        return;
      }
      const sender = senders[result.reply.platform];
      if (!sender) {
        log.error('no sender for this platform in this process; result dropped');
        metrics?.delivered('dropped');
        done = true;
        return;
      }
      const sanitized = sanitizedKey && result.ok ? await blobs.get(sanitizedKey) : undefined;
      if (sanitizedKey && !sanitized)
        log.warn('sanitized copy expired before delivery; sending the report alone');
      const t0 = performance.now();
      const receipt = await sender(result, sanitized);
      metrics?.stage('deliver', (performance.now() - t0) / 1000);
      if (receipt) {
        const named = new Set(resultBlobKeys(message));
        kept = new Set(receipt.keep.filter((k) => named.has(k)));
        for (const k of kept) await blobs.shorten(k, receipt.ttlMs);
      }
      await connection.set(sentKey(prefix, result.scanId), '1', 'EX', SENT_TTL_SEC);
      metrics?.delivered('sent');
      log.info({ ok: result.ok }, 'result delivered');
      done = true;
    } catch (e) {
      const last = isLastAttempt(job);
      log.error(
        { err: e, attempt: job.attemptsMade + 1, last },
        last ? 'result could not be delivered; giving up' : 'result delivery failed; will retry',
      );
      metrics?.delivered(last ? 'dropped' : 'retry');
      if (last) done = true;
      // Rethrow a scrubbed error: BullMQ stores the message with the job until it is removed.
      throw new Error(scrubSecrets(e instanceof Error ? e.message : String(e)).slice(0, 200));
    } finally {
      if (done)
        for (const k of resultBlobKeys(message))
          if (!kept.has(k)) await blobs.delete(k).catch(() => undefined);
      if (done && reportKey) await blobs.delete(reportKey).catch(() => undefined);
    }
  };

  const worker = new Worker(deps.queueName ?? RESULTS_QUEUE, process, {
    connection,
    prefix,
    concurrency: deps.concurrency ?? 8,
    removeOnComplete: { count: 0 },
    removeOnFail: { count: 0 },
  });
  worker.on('error', (err) => logger.warn({ err }, 'results worker connection error'));
  return { worker, close: () => worker.close() };
}

/** The message's sealed report, opened; an expired or unreadable one becomes "please send it again". */
async function openResult(message: ScanResultMessage, blobs: BlobStore): Promise<ScanResult> {
  if (!message.ok) return message;
  const { reportBlobKey, ...rest } = message;
  const sealed = await blobs.get(reportBlobKey).catch(() => undefined);
  if (sealed) {
    try {
      return { ...rest, report: parseRiskReport(JSON.parse(sealed.toString('utf8'))) };
    } catch {
      // fall through: a report we cannot read is answered like an expired one
    }
  }
  const { v, scanId, reply, locale } = message;
  return { v, scanId, reply, locale, ok: false, error: { code: 'blob_expired' } };
}
