// A photo whose scan stalls its worker again and again (a process that freezes or dies mid-scan each
// time) is failed by BullMQ after maxStalledCount, and the user still gets one "could not check,
// send it again" answer, the original's blob is deleted, and workers that come back to life later
// with a finished scan do not answer a second time.
//
// How BullMQ 6 does it (node_modules/bullmq/dist/esm/commands/moveStalledJobsToWait-9.lua): the
// stalled checker does not fail the job itself; past the limit it marks it ("defa": "job stalled
// more than allowable limit") and puts it back in wait, and the next worker that fetches it fails it
// with an UnrecoverableError without running the processor. So the scan worker's own `failed` hook
// is where the answer has to come from.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisBlobStore } from '../../src/blob/redis-blob-store.ts';
import { closeRedis, connectRedis, createWorkerConnection } from '../../src/queue/connections.ts';
import { SCAN_QUEUE } from '../../src/queue/names.ts';
import type { RiskReport, ScanOutput, ScanResult } from '../../src/types.ts';
import { createScanWorker, type ScanWorker } from '../../worker/scan-worker.ts';
import {
  createCaptureLogger,
  createTestPhoto,
  createTestStack,
  type TestStack,
} from '../../fixtures-kit/test-stack.ts';

const DB = 7;
const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const photo = readFileSync(
  new URL('../fixtures/images/gps_fujifilm-s2pro_eiffel-tower.jpg', import.meta.url),
);

const cleanReport: RiskReport = {
  version: 1,
  input: { format: 'jpeg', width: 600, height: 400, bytes: photo.length },
  verdict: 'none',
  findings: [],
  checks: [{ name: 'metadata', status: 'ok' }],
};

async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('a job that stalls more than maxStalledCount', () => {
  let stack: TestStack | undefined;
  let connection: Redis | undefined;
  const workers: ScanWorker[] = [];
  const release: (() => void)[] = [];
  afterAll(async () => {
    for (const r of release) r();
    for (const w of workers) await w.close();
    await stack?.close();
    if (connection) await closeRedis(connection);
  });

  it('is answered once with a failure, its blob deleted, and late scans are not sent', async () => {
    const prefix = `pft-stall-${randomUUID().slice(0, 8)}`;
    const blobKey = randomBytes(32);
    const results: ScanResult[] = [];
    const capture = createCaptureLogger('info');
    stack = await createTestStack({
      db: DB,
      prefix,
      blobKey,
      worker: false,
      attempts: 3,
      logger: capture.logger,
      senders: { telegram: (r) => Promise.resolve(void results.push(r)) },
    });
    const conn = createWorkerConnection(url, { db: DB });
    connection = conn;
    await connectRedis(conn);
    const blobs = createRedisBlobStore({ redis: conn, key: blobKey, prefix });

    // Each of these scans freezes until released: its worker is then "killed" (closed with force, so
    // its lock is no longer renewed and the job stays active until the stalled checker sees it).
    let scansStarted = 0;
    const frozenScan = (): Promise<ScanOutput> => {
      scansStarted++;
      return new Promise((resolve) => {
        release.push(() => resolve({ report: cleanReport, sanitized: Buffer.from(photo) }));
      });
    };
    const startWorker = async (): Promise<ScanWorker> => {
      const w = createScanWorker({
        connection: conn,
        prefix,
        blobs,
        scan: frozenScan,
        logger: capture.logger,
        concurrency: 1,
        lockMs: 400,
        stalledIntervalMs: 200,
        sanitizedTtlMs: 60_000,
      });
      workers.push(w);
      await w.worker.waitUntilReady();
      return w;
    };

    const out = await stack.scanService.submit(createTestPhoto(photo), { platform: 'telegram', chatId: 9 });
    if (out.status !== 'queued') throw new Error(`not queued: ${JSON.stringify(out)}`);
    expect((await stack.audit()).blobKeys).toHaveLength(1);

    // maxStalledCount is 2: the third stall is one too many.
    for (let stall = 1; stall <= 3; stall++) {
      const w = await startWorker();
      await until(`scan ${stall} to start`, () => scansStarted === stall);
      await w.worker.close(true);
      // Still nobody answered, and the original waits in Redis for the next try.
      expect(results).toHaveLength(0);
      expect((await stack.audit()).blobKeys).toHaveLength(1);
    }

    // A healthy worker comes along: BullMQ fails the job in it without scanning again.
    await startWorker();
    await until('the failure answer', () => results.length > 0);
    await stack.idle();
    expect(scansStarted).toBe(3);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      scanId: out.scanId,
      ok: false,
      error: { code: 'scan_failed' },
      reply: { platform: 'telegram', chatId: 9 },
    });
    expect((await stack.audit()).blobKeys).toEqual([]);
    expect(await conn.exists(`${prefix}:${SCAN_QUEUE}:${out.scanId}`)).toBe(0);

    // The frozen workers wake up with a finished scan and publish it: the user is not answered again,
    // and what they stored (sanitized copies, sealed reports) is deleted.
    for (const r of release.splice(0)) r();
    const lateOutcomes = (): number =>
      capture.lines.filter((l) => /"(scan done|another result for this scan is already queued)/.test(l))
        .length;
    await until('the three late scans to finish', () => lateOutcomes() === 3);
    await stack.idle();
    expect(results).toHaveLength(1);
    const audit = await stack.audit();
    expect(audit.blobKeys).toEqual([]);
    expect(audit.imageBytesFound).toBe(false);
    expect(capture.text()).toContain('result already delivered; duplicate ignored');
  });
});
