// submit(): what the bots call for each photo. Rate limit per user, declared size, backpressure,
// capped and timed download, magic-byte sniff, encrypted blob with TTL, enqueue. It never throws for
// an expected condition: every path ends in an outcome the adapter renders with renderError(code).
import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ZodError } from 'zod';
import type { BlobStore } from './blob/blob-store.ts';
import { isImageFormat, sniffFormat } from './sniff.ts';
import { isAppError, type ErrorCode } from './errors.ts';
import type { Logger } from './log.ts';
import type { Metrics } from './metrics.ts';
import type { ScanQueue } from './queue/scan-queue.ts';
import {
  DEFAULT_SCAN_OPTIONS,
  type IncomingPhoto,
  type ReplyAddress,
  type ScanOptions,
  type ScanRequest,
} from './types.ts';

export type SubmitOutcome =
  { status: 'queued'; scanId: string } | { status: 'refused'; code: ErrorCode; retryAfterSec?: number };

export interface ScanService {
  submit(photo: IncomingPhoto, reply: ReplyAddress, options?: Partial<ScanOptions>): Promise<SubmitOutcome>;
}

export interface ScanLimits {
  /** Photos per user per minute (fixed one-minute window). */
  ratePerMin: number;
  /** Jobs waiting above which new photos are refused with 'queue_busy'. */
  maxWaiting: number;
  maxDownloadBytes: number;
  downloadTimeoutMs: number;
  /** Lifetime of the encrypted original in Redis. */
  blobTtlMs: number;
}

export const DEFAULT_SCAN_LIMITS: ScanLimits = {
  ratePerMin: 10,
  maxWaiting: 100,
  maxDownloadBytes: 20 * 1024 * 1024,
  downloadTimeoutMs: 30_000,
  blobTtlMs: 10 * 60 * 1000,
};

const RATE_WINDOW_MS = 60_000;
/** The admission counter expires if a bot process dies mid-submit, so it cannot stay inflated. */
const ADMIT_TTL_MS = 120_000;

/** An invalid request (a bug in the calling adapter, e.g. a reply address with free text). */
function isSchemaError(e: unknown): boolean {
  return e instanceof ZodError;
}

export function createScanService(deps: {
  redis: Redis;
  queue: ScanQueue;
  blobs: BlobStore;
  /** Key prefix (QUEUE_PREFIX): rate-limit and admission keys live under it; default 'preflight'. */
  prefix?: string;
  limits?: Partial<ScanLimits>;
  clock?: () => number;
  ids?: () => string;
  logger?: Logger;
  metrics?: Metrics;
}): ScanService {
  const { redis, queue, blobs, logger, metrics } = deps;
  const prefix = deps.prefix ?? 'preflight';
  const limits: ScanLimits = { ...DEFAULT_SCAN_LIMITS, ...deps.limits };
  const clock = deps.clock ?? Date.now;
  const ids = deps.ids ?? randomUUID;
  const admitKey = `${prefix}:admitting`;

  const refuse = (code: ErrorCode, retryAfterSec?: number): SubmitOutcome => {
    metrics?.submitted(code);
    return retryAfterSec === undefined
      ? { status: 'refused', code }
      : { status: 'refused', code, retryAfterSec };
  };

  /** Fixed-window counter; the user id is hashed so Redis holds no platform ids in key names. */
  async function checkRate(photo: IncomingPhoto): Promise<number | undefined> {
    const now = clock();
    const window = Math.floor(now / RATE_WINDOW_MS);
    const who = createHash('sha256').update(`${photo.platform}:${photo.userId}`).digest('hex').slice(0, 24);
    const key = `${prefix}:rl:${who}:${window}`;
    const res = await redis
      .multi()
      .incr(key)
      .pexpire(key, RATE_WINDOW_MS * 2)
      .exec();
    const count = Number(res?.[0]?.[1] ?? 0);
    if (count <= limits.ratePerMin) return undefined;
    return Math.max(1, Math.ceil(((window + 1) * RATE_WINDOW_MS - now) / 1000));
  }

  async function download(photo: IncomingPhoto): Promise<Buffer | ErrorCode> {
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(new Error('download timed out')), limits.downloadTimeoutMs);
    const t0 = performance.now();
    try {
      const bytes = await photo.download(limits.maxDownloadBytes, ac.signal);
      metrics?.stage('download', (performance.now() - t0) / 1000);
      if (bytes.length > limits.maxDownloadBytes) return 'file_too_large';
      return bytes;
    } catch (e) {
      if (isAppError(e) && e.code === 'file_too_large') return 'file_too_large';
      logger?.warn({ err: e, platform: photo.platform, timedOut: ac.signal.aborted }, 'download failed');
      return 'download_failed';
    } finally {
      clearTimeout(timer);
    }
  }

  async function submit(
    photo: IncomingPhoto,
    reply: ReplyAddress,
    options?: Partial<ScanOptions>,
  ): Promise<SubmitOutcome> {
    let blobKey: string | undefined;
    let admitted = false;
    try {
      const retryAfter = await checkRate(photo);
      if (retryAfter !== undefined) return refuse('rate_limited', retryAfter);
      if (photo.declaredBytes !== undefined && photo.declaredBytes > limits.maxDownloadBytes)
        return refuse('file_too_large');
      // Backpressure that holds under a burst: photos being admitted right now (downloading, not yet
      // queued) count against the bound too, through an atomic counter shared by every bot process.
      const admitting = await redis.multi().incr(admitKey).pexpire(admitKey, ADMIT_TTL_MS).exec();
      admitted = true;
      const inFlight = Number(admitting?.[0]?.[1] ?? 1);
      if ((await queue.depth()) + inFlight > limits.maxWaiting) return refuse('queue_busy');

      const bytes = await download(photo);
      if (typeof bytes === 'string') return refuse(bytes);
      if (bytes.length === 0) return refuse('empty_input');
      const sniffed = sniffFormat(bytes);
      if (!isImageFormat(sniffed))
        return refuse(sniffed === 'unknown' ? 'unsupported_format' : 'not_an_image');

      const scanId = ids();
      blobKey = await blobs.put(bytes, { ttlMs: limits.blobTtlMs });
      const request: ScanRequest = {
        v: 1,
        scanId,
        blobKey,
        reply,
        options: {
          ...DEFAULT_SCAN_OPTIONS,
          ...options,
          recompressed: photo.recompressed || !!options?.recompressed,
        },
        locale: photo.locale,
        submittedAt: clock(),
      };
      await queue.enqueue(request);
      metrics?.submitted('queued');
      logger?.info({ scanId, platform: photo.platform, bytes: bytes.length, format: sniffed }, 'scan queued');
      return { status: 'queued', scanId };
    } catch (e) {
      if (blobKey) await blobs.delete(blobKey).catch(() => undefined);
      if (isSchemaError(e)) {
        logger?.error({ err: e }, 'submit refused an invalid scan request');
        return refuse('internal');
      }
      // Anything else comes from Redis: down, timed out, not writeable, out of memory.
      logger?.error({ err: e }, 'queue unavailable');
      return refuse('queue_unavailable');
    } finally {
      if (admitted) await redis.decr(admitKey).catch(() => undefined);
    }
  }

  return { submit };
}
