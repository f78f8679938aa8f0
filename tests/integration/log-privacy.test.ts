// Logs of the bot side and the worker side, captured while a GPS photo is scanned and a download
// fails with a token-bearing URL in its error: no token, file URL or coordinate may appear.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/types.ts';
import {
  createCaptureLogger,
  createTestPhoto,
  createTestStack,
  type TestStack,
} from '../../fixtures-kit/test-stack.ts';

const gps = readFileSync(new URL('../fixtures/images/gps_fujifilm-s2pro_eiffel-tower.jpg', import.meta.url));
const TOKEN = '123456789:AAHfakeTokenForTestsOnly_abcdefghijklmnop';
const FILE_URL = `https://api.telegram.org/file/bot${TOKEN}/documents/file_7.jpg`;

describe('log privacy across the queue', () => {
  let stack: TestStack;
  const capture = createCaptureLogger('debug');
  const results: ScanResult[] = [];

  beforeAll(async () => {
    stack = await createTestStack({
      db: 1,
      logger: capture.logger,
      senders: {
        // A sender that fails once with a URL in its error: the dispatcher logs it, scrubbed, and retries.
        telegram: (r) => {
          if (results.length === 0 && !capture.text().includes('result delivery failed')) {
            return Promise.reject(new Error(`POST ${FILE_URL.replace('/file/', '/')} failed: 502`));
          }
          results.push(r);
          return Promise.resolve();
        },
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('logs outcomes, never the token, the file URL or the GPS position', async () => {
    const out = await stack.scanService.submit(createTestPhoto(gps), { platform: 'telegram', chatId: 9 });
    expect(out.status).toBe('queued');
    const broken = {
      ...createTestPhoto(gps, { userId: 'u2' }),
      download: () => Promise.reject(new Error(`GET ${FILE_URL} failed with token ${TOKEN}`)),
    };
    expect(await stack.scanService.submit(broken, { platform: 'telegram', chatId: 9 })).toEqual({
      status: 'refused',
      code: 'download_failed',
    });
    while (results.length === 0) await new Promise((r) => setTimeout(r, 50));
    await stack.idle();
    const r = results[0]!;
    expect(r.ok && r.report.findings.some((f) => f.kind === 'gps')).toBe(true);

    const logs = capture.text();
    // The events are there...
    for (const event of [
      'scan queued',
      'scan started',
      'scan done',
      'download failed',
      'result delivery failed',
      'result delivered',
    ])
      expect(logs).toContain(event);
    // ...with the failing URLs replaced, not dropped...
    expect(logs).toContain('[url]');
    // ...and nothing secret or located.
    for (const secret of [
      TOKEN,
      'AAHfakeToken',
      'api.telegram.org',
      'file_7.jpg',
      'https://',
      '48.857',
      '2.297',
      '48,51',
    ])
      expect(logs, secret).not.toContain(secret);
    // The dispatcher deletes a result's blobs just after its sender returns: wait for it to finish.
    await stack.idle();
    const audit = await stack.audit();
    expect(audit.blobKeys).toEqual([]);
    expect(audit.imageBytesFound).toBe(false);
  });
});
