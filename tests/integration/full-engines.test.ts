// The whole stack with the full engine set (metadata, faces, OCR, codes) in the scan thread, and the
// logs of every part captured: every check must answer, find the face, the text and the code it
// was shown, and the copy must cover exactly those regions (decoded pixels, not bytes). The timeout
// path is tested apart, with a slow stand-in analyzer.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetadataAnalyzer } from '../../src/analysis/metadata/analyzer.ts';
import { scanImage } from '../../src/analysis/pipeline/scan.ts';
import { DEFAULT_LIMITS } from '../../src/analysis/image/decode.ts';
import { renderReport } from '../../src/render.ts';
import type { Engines, ScanResult } from '../../src/types.ts';
import { SYNTHETIC_PII, renderFaceTextCodePhoto } from '../../fixtures-kit/make-text-fixtures.ts';
import { checkCovered } from '../fixtures/pixels.ts';
import {
  createCaptureLogger,
  createTestPhoto,
  createTestStack,
  type TestStack,
} from '../../fixtures-kit/test-stack.ts';

describe('full engine set through the queue, with log capture', () => {
  let stack: TestStack;
  let photo: Buffer;
  const capture = createCaptureLogger('debug');
  const results: ScanResult[] = [];
  const sanitized: (Buffer | undefined)[] = [];
  const waitFor = async (n: number): Promise<void> => {
    while (results.length < n) await new Promise((r) => setTimeout(r, 50));
  };

  beforeAll(async () => {
    photo = await renderFaceTextCodePhoto();
    stack = await createTestStack({
      db: 1,
      checks: ['metadata', 'faces', 'text', 'codes'],
      // A loaded 2-core machine runs OCR and the face model several times slower than the deadlines
      // assume: this test is about what the checks find, not how fast (speed is `npm run bench`).
      deadlineScale: 4,
      logger: capture.logger,
      senders: {
        discord: (r, s) => {
          results.push(r);
          sanitized.push(s);
          return Promise.resolve();
        },
      },
    });
  }, 300_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('every check ok; finds the face, the e-mail, the phone and the QR code; the copy covers them', async () => {
    const out = await stack.scanService.submit(
      createTestPhoto(photo, { platform: 'discord', userId: 'd1' }),
      {
        platform: 'discord',
        channelId: '123456789012345678',
        interactionId: '223456789012345678',
      },
    );
    expect(out.status).toBe('queued');
    await waitFor(1);
    const r = results[0]!;
    if (!r.ok) throw new Error(`scan failed: ${r.error.code}`);
    const { report } = r;
    expect(report.checks.map((c) => [c.name, c.status])).toEqual([
      ['metadata', 'ok'],
      ['faces', 'ok'],
      ['text', 'ok'],
      ['codes', 'ok'],
      ['sanitize', 'ok'],
      ['verify', 'ok'],
    ]);
    const kinds = report.findings.map((f) => f.kind);
    expect(kinds).toEqual(expect.arrayContaining(['face', 'email', 'phone', 'qr_code']));
    expect(report.findings.filter((f) => f.kind === 'face')).toHaveLength(1);
    // The face sits in the left part (the portrait is pasted at x 40..800), the text and code on the right.
    const face = report.findings.find((f) => f.kind === 'face')!;
    expect(face.region!.x + face.region!.width).toBeLessThan(800);
    for (const k of ['email', 'phone', 'qr_code'] as const)
      expect(report.findings.find((f) => f.kind === k)!.region!.x).toBeGreaterThan(800);
    expect(report.findings.every((f) => f.removed === true)).toBe(true);
    expect(report.residual?.findings).toEqual([]);

    const copy = sanitized[0];
    expect(copy).toBeDefined();
    const cover = await checkCovered(photo, copy!, report.findings);
    expect(cover.sameSize).toBe(true);
    expect(cover.regions.map((x) => x.kind).sort()).toEqual(['email', 'face', 'phone', 'qr_code']);
    for (const reg of cover.regions) expect([reg.kind, reg.changed > 0.8]).toEqual([reg.kind, true]);
    // PNG in, PNG out: outside the covered regions the pixels are exactly the original's.
    expect(cover.changedOutside).toBe(0);
  });

  it('left no OCR text in the logs, and no image in Redis', async () => {
    const logs = capture.text();
    expect(logs).toContain('scan done');
    for (const secret of [SYNTHETIC_PII.email, 'claire', 'martin', '12 34 56', 'booking', '7Q2X9'])
      expect(logs, secret).not.toContain(secret);
    // The dispatcher deletes a result's blobs just after its sender returns: wait for it to finish.
    await stack.idle();
    const audit = await stack.audit();
    expect(audit.blobKeys).toEqual([]);
    expect(audit.imageBytesFound).toBe(false);
  });
});

describe('a check that does not answer in time', () => {
  it('is reported as timeout, makes the verdict review, keeps the other findings and says so', async () => {
    let aborted = false;
    const engines: Engines = {
      analyzers: [
        createMetadataAnalyzer(),
        {
          name: 'text',
          timeoutMs: 200,
          offThread: true,
          analyze: ({ signal }) =>
            new Promise((resolve) => {
              signal.addEventListener('abort', () => {
                aborted = true;
                // Answers late, after its deadline: the answer must be ignored.
                setTimeout(() => resolve([{ kind: 'email', severity: 'medium', certainty: 'likely' }]), 50);
              });
            }),
        },
      ],
      close: () => Promise.resolve(),
    };
    const gps = readFileSync(
      new URL('../fixtures/images/gps_fujifilm-s2pro_eiffel-tower.jpg', import.meta.url),
    );
    const { report } = await scanImage(gps, engines, {}, DEFAULT_LIMITS);
    expect(aborted).toBe(true);
    expect(report.checks.find((c) => c.name === 'text')).toMatchObject({ status: 'timeout' });
    expect(report.checks.find((c) => c.name === 'metadata')).toMatchObject({ status: 'ok' });
    expect(report.findings.map((f) => f.kind)).toContain('gps');
    expect(report.findings.map((f) => f.kind)).not.toContain('email');
    // GPS is high whatever else happened; without it, the same timeout makes the verdict review.
    expect(report.verdict).toBe('high');
    const noGps = await scanImage(
      readFileSync(new URL('../fixtures/images/negative_rocket-launchpad.jpg', import.meta.url)),
      engines,
    );
    expect(noGps.report.verdict).toBe('review');
    expect(renderReport(noGps.report, 'en').notChecked).toContain(
      'We could not check the text in this image.',
    );
  });
});
