// The whole stack with the full engine set (metadata, faces, OCR, codes) in the scan thread, and the
// logs of every part captured: no text read from the image may appear in them.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/types.ts';
import {
  createCaptureLogger,
  createTestPhoto,
  createTestStack,
  type TestStack,
} from '../../fixtures-kit/test-stack.ts';

const fixture = (name: string): Buffer =>
  readFileSync(new URL(`../fixtures/images/${name}`, import.meta.url));

describe('full engine set through the queue, with log capture', () => {
  let stack: TestStack;
  const capture = createCaptureLogger('debug');
  const results: ScanResult[] = [];
  const sanitized: (Buffer | undefined)[] = [];
  const waitFor = async (n: number): Promise<void> => {
    while (results.length < n) await new Promise((r) => setTimeout(r, 50));
  };

  beforeAll(async () => {
    stack = await createTestStack({
      db: 1,
      checks: ['metadata', 'faces', 'text', 'codes'],
      logger: capture.logger,
      senders: {
        discord: (r, s) => {
          results.push(r);
          sanitized.push(s);
          return Promise.resolve();
        },
      },
    });
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('finds the e-mail and card number on a screenshot and covers them in the copy', async () => {
    const png = fixture('pii_screenshot_card-number_email.png');
    const out = await stack.scanService.submit(createTestPhoto(png, { platform: 'discord', userId: 'd1' }), {
      platform: 'discord',
      channelId: '123456789012345678',
      interactionId: '223456789012345678',
    });
    expect(out.status).toBe('queued');
    await waitFor(1);
    const r = results[0]!;
    if (!r.ok) throw new Error(`scan failed: ${r.error.code}`);
    expect(r.report.checks.map((c) => c.name)).toEqual(
      expect.arrayContaining(['metadata', 'faces', 'text', 'codes']),
    );
    for (const c of r.report.checks) expect(['ok', 'failed', 'timeout', 'skipped']).toContain(c.status);
    // OCR has a deadline: on a loaded machine it may time out, which the report then says honestly
    // (verdict 'review'). When it ran, it must have found the planted values.
    const text = r.report.checks.find((c) => c.name === 'text');
    if (text?.status === 'ok')
      expect(r.report.findings.map((f) => f.kind)).toEqual(expect.arrayContaining(['email', 'card_number']));
    else expect(r.report.verdict).toBe('review');
    expect(sanitized[0]).toBeDefined();
    expect(sanitized[0]!.equals(png)).toBe(false);
  });

  it('left no OCR text in the logs, and no image in Redis', async () => {
    const logs = capture.text();
    expect(logs).toContain('scan done');
    for (const secret of ['aarav', 'Aarav', 'presidio', '4095', '9393', 'Navuluri', 'Amherst'])
      expect(logs, secret).not.toContain(secret);
    // The dispatcher deletes a result's blobs just after its sender returns: wait for it to finish.
    await stack.idle();
    const audit = await stack.audit();
    expect(audit.blobKeys).toEqual([]);
    expect(audit.imageBytesFound).toBe(false);
  });
});
