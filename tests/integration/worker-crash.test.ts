// A worker process killed (SIGKILL) in the middle of a scan: its job's lock expires, another worker
// takes the job again, and the user gets exactly one result. The killed worker is a real child
// process running worker/main.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/types.ts';
import {
  createCaptureLogger,
  createTestPhoto,
  createTestStack,
  makeTwelveMegapixelJpeg,
  type TestStack,
} from '../../fixtures-kit/test-stack.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

function startChildWorker(env: Record<string, string>): {
  child: ChildProcess;
  lines: string[];
  waitFor(re: RegExp): Promise<string>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: { re: RegExp; resolve(l: string): void }[] = [];
  const onLine = (line: string): void => {
    lines.push(line);
    for (const w of [...waiters])
      if (w.re.test(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
  };
  createInterface({ input: child.stdout }).on('line', onLine);
  createInterface({ input: child.stderr }).on('line', onLine);
  return {
    child,
    lines,
    waitFor: (re) => {
      const hit = lines.find((l) => re.test(l));
      return hit ? Promise.resolve(hit) : new Promise((resolve) => waiters.push({ re, resolve }));
    },
  };
}

describe('worker killed mid-scan', () => {
  let stack: TestStack | undefined;
  let child: ChildProcess | undefined;
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await stack?.close();
  });

  it('is retried by another worker and yields exactly one result', async () => {
    const prefix = `pft-crash-${randomUUID().slice(0, 8)}`;
    const blobKey = randomBytes(32);
    const results: ScanResult[] = [];
    const capture = createCaptureLogger('info');
    stack = await createTestStack({
      db: 1,
      prefix,
      blobKey,
      worker: false,
      logger: capture.logger,
      lockMs: 2_000,
      stalledIntervalMs: 500,
      senders: { telegram: (r) => Promise.resolve(void results.push(r)) },
    });
    const a = startChildWorker({
      REDIS_URL: `${process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379'}/1`,
      QUEUE_PREFIX: prefix,
      BLOB_KEY: blobKey.toString('base64'),
      ENGINE_CHECKS: 'metadata',
      WORKER_LOCK_MS: '2000',
      WORKER_STALLED_INTERVAL_MS: '1000',
      LOG_LEVEL: 'info',
    });
    child = a.child;
    await a.waitFor(/"worker ready"/);

    const out = await stack.scanService.submit(createTestPhoto(await makeTwelveMegapixelJpeg()), {
      platform: 'telegram',
      chatId: 5,
    });
    if (out.status !== 'queued') throw new Error(`not queued: ${JSON.stringify(out)}`);
    const started = await a.waitFor(/"scan started"/);
    expect(started).toContain(out.scanId);
    a.child.kill('SIGKILL');
    await new Promise((r) => a.child.once('exit', r));

    // Killed before it could answer: nothing published, the original still in Redis for the retry.
    expect(a.lines.some((l) => l.includes('"scan done"'))).toBe(false);
    expect((await stack.audit()).blobKeys).toHaveLength(1);
    expect(results).toHaveLength(0);

    await stack.startWorker();
    while (results.length === 0) await new Promise((r) => setTimeout(r, 50));
    await stack.idle();
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ scanId: out.scanId, ok: true });
    // The second worker really ran it.
    expect(capture.text()).toContain('"scan started"');
    expect(capture.text()).toContain(out.scanId);
    const audit = await stack.audit();
    expect(audit.blobKeys).toEqual([]);
    expect(audit.imageBytesFound).toBe(false);
  });
});
