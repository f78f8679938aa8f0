import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/types.ts';
import { createTestPhoto, createTestStack, type TestStack } from '../../fixtures-kit/test-stack.ts';

const fixture = (name: string): Buffer =>
  readFileSync(new URL(`../fixtures/images/${name}`, import.meta.url));

describe('scan request round trip (real Redis, real worker thread)', () => {
  let stack: TestStack;
  const got: { result: ScanResult; sanitized: Buffer | undefined }[] = [];
  let waiters: (() => void)[] = [];
  const nextResult = async (n: number): Promise<void> => {
    while (got.length < n) await new Promise<void>((r) => waiters.push(r));
  };

  beforeAll(async () => {
    stack = await createTestStack({
      db: 1,
      senders: {
        telegram: (result, sanitized) => {
          got.push({ result, sanitized });
          for (const w of waiters.splice(0)) w();
          return Promise.resolve();
        },
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
    waiters = [];
  });

  it('returns a report and a sanitized copy without GPS, and leaves nothing behind', async () => {
    const bytes = fixture('gps_fujifilm-s2pro_eiffel-tower.jpg');
    const out = await stack.scanService.submit(createTestPhoto(bytes), {
      platform: 'telegram',
      chatId: 42,
      messageId: 7,
    });
    expect(out.status).toBe('queued');
    await nextResult(1);
    const { result, sanitized } = got[0]!;
    expect(result.ok).toBe(true);
    if (!result.ok || out.status !== 'queued') throw new Error('unreachable');
    expect(result.scanId).toBe(out.scanId);
    expect(result.reply).toEqual({ platform: 'telegram', chatId: 42, messageId: 7 });
    expect(result.report.findings.map((f) => f.kind)).toContain('gps');
    expect(sanitized).toBeDefined();
    expect(sanitized!.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    // The sanitized copy no longer carries the GPS block (exif "GPS" IFD tag 0x8825 with the camera name).
    expect(sanitized!.includes(Buffer.from('FinePixS2Pro'))).toBe(false);
    await stack.idle();
    const audit = await stack.audit();
    expect(audit.blobKeys).toEqual([]);
    expect(audit.imageBytesFound).toBe(false);
  });
});
