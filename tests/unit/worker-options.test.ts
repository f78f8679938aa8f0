// The in-process worker's options come from one place (worker/in-process.ts) for both composition
// roots: the worker process (WorkerConfig) and the one-process bot (BotConfig).
import { describe, expect, it } from 'vitest';
import { parseBotConfig, parseWorkerConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { toInProcessWorkerDeps } from '../../worker/in-process.ts';

const io = {
  connection: {} as never,
  blobs: {} as never,
  logger: createLogger({ level: 'silent' }),
};
const env = {
  REDIS_URL: 'redis://127.0.0.1:6379',
  BLOB_KEY: Buffer.alloc(32, 7).toString('base64'),
  QUEUE_PREFIX: 'pfx',
  WORKER_CONCURRENCY: '2',
  SCAN_TIMEOUT_MS: '90000',
  BLOB_TTL_SEC: '300',
  ENGINE_CHECKS: 'metadata,faces',
  OCR_LANGS: 'fra+eng',
};

describe('toInProcessWorkerDeps', () => {
  it("builds the worker process's options from WorkerConfig, lock and stalled interval included", () => {
    const deps = toInProcessWorkerDeps(
      parseWorkerConfig({ ...env, WORKER_LOCK_MS: '60000', WORKER_STALLED_INTERVAL_MS: '5000' }),
      io,
    );
    expect(deps).toMatchObject({
      prefix: 'pfx',
      concurrency: 2,
      checks: ['metadata', 'faces'],
      ocrLangs: ['fra', 'eng'],
      scanTimeoutMs: 90_000,
      sanitizedTtlMs: 300_000,
      lockMs: 60_000,
      stalledIntervalMs: 5_000,
    });
    expect(deps.logger).toBe(io.logger);
  });

  it("builds the same scan options from BotConfig, leaving lock and stalled interval to the worker's defaults", () => {
    const fromBot = toInProcessWorkerDeps(parseBotConfig(env), io);
    const fromWorker = toInProcessWorkerDeps(parseWorkerConfig(env), io);
    const { lockMs, stalledIntervalMs, ...same } = fromWorker;
    expect(lockMs).toBeGreaterThan(0);
    expect(stalledIntervalMs).toBeGreaterThan(0);
    expect(fromBot).toEqual(same);
    expect('lockMs' in fromBot).toBe(false);
  });
});
