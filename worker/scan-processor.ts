// One scan job: parse → load the encrypted original → scan (in a thread) → store the sanitized copy →
// publish the result → delete the original (in a finally, once the outcome is final: success, a
// refused image, an expired blob, or the last failed attempt). A failure hook answers the user after
// the last attempt, so a photo never disappears silently.
import { UnrecoverableError, type Job } from 'bullmq';
import type { BlobStore } from '../src/blob/blob-store.ts';
import { isAppError, isInputError, type ErrorCode } from '../src/errors.ts';
import type { Logger } from '../src/log.ts';
import type { Metrics } from '../src/metrics.ts';
import type { ResultPublisher } from '../src/queue/results.ts';
import { parseScanRequest } from '../src/queue/schemas.ts';
import type { FacesMode, ScanOptions, ScanOutput, ScanRequest, ScanResult } from '../src/types.ts';
import { timed as timeStage } from '../src/timing.ts';
import { ScanThreadError } from './scan-pool.ts';

export type ScanFn = (bytes: Buffer, options: Partial<ScanOptions>) => Promise<ScanOutput>;

export interface ScanProcessor {
  process(job: Job): Promise<void>;
  /** For the BullMQ worker's `failed` event. */
  onFailed(job: Job | undefined, err: Error): Promise<void>;
}

const isLastAttempt = (job: Job): boolean => job.attemptsMade + 1 >= (job.opts.attempts ?? 1);

const isUnrecoverable = (err: Error): boolean =>
  err instanceof UnrecoverableError || err.name === 'UnrecoverableError';

/**
 * Whether a `failed` event ends the job (BullMQ emits it for every failed attempt). Same rule as
 * BullMQ's Job.shouldRetryJob: an unrecoverable error is never retried, and otherwise the job fails
 * for good once no attempts remain (the attempt has already been counted when the event fires).
 * A job that stalled more than maxStalledCount takes the first branch: BullMQ's stalled checker
 * only marks it and puts it back in wait, and the next worker to fetch it fails it with an
 * UnrecoverableError ("job stalled more than allowable limit") without running the processor —
 * so the answer for it comes from this hook, in whichever worker that is. Stalls do not count as
 * attempts, which is why the attempt count alone would miss it.
 */
const isFinalFailure = (job: Job, err: Error): boolean =>
  isUnrecoverable(err) || job.attemptsMade >= (job.opts.attempts ?? 1);

function toFailure(request: ScanRequest, code: ErrorCode): ScanResult {
  return {
    v: 1,
    scanId: request.scanId,
    reply: request.reply,
    locale: request.locale,
    ok: false,
    error: { code },
  };
}

/**
 * The copy, the other face choices' copies and the "Show where" picture, each stored encrypted under
 * the copy's TTL; their keys, as the result carries them.
 */
async function storeOutputs(
  out: ScanOutput,
  store: (b: Buffer) => Promise<string>,
): Promise<
  Pick<Extract<ScanResult, { ok: true }>, 'sanitizedBlobKey' | 'variantBlobKeys' | 'previewBlobKey'>
> {
  if (!out.sanitized) return {};
  const keys: Awaited<ReturnType<typeof storeOutputs>> = { sanitizedBlobKey: await store(out.sanitized) };
  if (out.variants && out.variants.length > 0 && out.report.variants) {
    const variantBlobKeys: Partial<Record<FacesMode, string>> = {
      [out.report.variants.current]: keys.sanitizedBlobKey,
    };
    for (const v of out.variants) variantBlobKeys[v.faces] = await store(v.bytes);
    keys.variantBlobKeys = variantBlobKeys;
  }
  if (out.preview) keys.previewBlobKey = await store(out.preview);
  return keys;
}

/** Processes one scan job: reads the encrypted photo, scans it, stores the copy, publishes the result. */
export function createScanProcessor(deps: {
  blobs: BlobStore;
  scan: ScanFn;
  publisher: ResultPublisher;
  logger: Logger;
  metrics?: Metrics;
  /** Lifetime of the sanitized copy in Redis until the bot sends it. */
  sanitizedTtlMs: number;
}): ScanProcessor {
  const { blobs, scan, publisher, logger, metrics } = deps;
  const record = metrics ? (stage: string, ms: number) => metrics.stage(stage, ms / 1000) : undefined;
  const timed = <T>(stage: string, f: () => Promise<T>): Promise<T> => timeStage(stage, f, record);

  async function finish(request: ScanRequest, code: ErrorCode, log: Logger): Promise<void> {
    await timed('publish', () => publisher.publish(toFailure(request, code)));
    metrics?.jobDone(code);
    log.info({ code }, 'scan ended without a report');
  }

  async function process(job: Job): Promise<void> {
    let request: ScanRequest;
    try {
      request = parseScanRequest(job.data);
    } catch {
      // Nobody to answer: the reply address is part of what failed to parse.
      logger.error({ jobId: job.id }, 'scan job has an invalid payload; dropped');
      metrics?.jobDone('invalid_job');
      throw new UnrecoverableError('invalid scan job payload');
    }
    const log = logger.child({ scanId: request.scanId, attempt: job.attemptsMade + 1 });
    log.info('scan started');
    let final = false;
    /** Blobs this attempt stored and no result owns yet (deleted in the finally). */
    let ownKeys: string[] = [];
    try {
      const bytes = await timed('blob_load', () => blobs.get(request.blobKey));
      if (!bytes) {
        await finish(request, 'blob_expired', log);
        final = true;
        return;
      }
      let out: ScanOutput;
      try {
        out = await timed('scan', () => scan(bytes, request.options));
      } catch (e) {
        if (isInputError(e)) {
          await finish(request, e.code, log);
          final = true;
          return;
        }
        if (isAppError(e) || (e instanceof ScanThreadError && !e.retryable)) {
          log.error({ err: e }, 'scan failed');
          await finish(request, 'scan_failed', log);
          final = true;
          return;
        }
        throw e;
      }
      for (const c of out.report.checks)
        if (c.ms !== undefined) metrics?.stage(`check_${c.name}`, c.ms / 1000);
      if (out.report.variants) metrics?.stage('variants', out.report.variants.ms / 1000);
      const store = async (b: Buffer): Promise<string> => {
        const k = await blobs.put(b, { ttlMs: deps.sanitizedTtlMs });
        ownKeys.push(k);
        return k;
      };
      const keys = await timed('blob_store', () => storeOutputs(out, store));
      if (out.variants?.length) metrics?.variantsMade(out.variants.length + 1);
      const result: ScanResult = {
        v: 1,
        scanId: request.scanId,
        reply: request.reply,
        locale: request.locale,
        ok: true,
        report: out.report,
        ...keys,
      };
      const queued = await timed('publish', () => publisher.publish(result));
      ownKeys = []; // now owned by the result (deleted by the publisher if not queued)
      final = true;
      if (!queued) {
        metrics?.jobDone('duplicate');
        log.warn('another result for this scan is already queued; this one dropped');
        return;
      }
      metrics?.jobDone('ok');
      log.info(
        {
          verdict: out.report.verdict,
          findings: out.report.findings.length,
          kinds: [...new Set(out.report.findings.map((f) => f.kind))],
          checks: out.report.checks.map((c) => `${c.name}:${c.status}`),
        },
        'scan done',
      );
    } catch (e) {
      if (isLastAttempt(job)) final = true;
      log.warn({ err: e, last: isLastAttempt(job) }, 'scan attempt failed');
      throw e;
    } finally {
      for (const k of ownKeys) await blobs.delete(k).catch(() => undefined);
      if (final) await blobs.delete(request.blobKey).catch(() => undefined);
    }
  }

  async function onFailed(job: Job | undefined, err: Error): Promise<void> {
    if (!job || !isFinalFailure(job, err)) return;
    let request: ScanRequest;
    try {
      request = parseScanRequest(job.data);
    } catch {
      return; // an invalid payload (failed unrecoverably by process()): nobody to answer
    }
    // A second answer is stopped downstream: results are queued under jobId = scanId, and the
    // dispatcher skips a scan already marked as sent (a frozen worker that finishes after this).
    const log = logger.child({ scanId: request.scanId, stalled: Boolean(job.deferredFailure) });
    try {
      await finish(request, 'scan_failed', log);
    } catch (e) {
      log.error({ err: e }, 'could not publish the failure result');
    } finally {
      await blobs.delete(request.blobKey).catch(() => undefined);
    }
  }

  return { process, onFailed };
}
