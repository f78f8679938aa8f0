// "Show where" and the variants on the bundled sample (a face, a note with an e-mail and a phone
// number, a Wi-Fi QR code) with the full engines: the picture's numbers are the summary's lines.
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngines } from '../../src/analysis/pipeline/engines.ts';
import { scanImage } from '../../src/analysis/pipeline/scan.ts';
import { decidePreviewMarks, PREVIEW_MAX_SIDE } from '../../src/analysis/sanitize/preview.ts';
import { regionsOf } from '../../src/analysis/sanitize/sanitize.ts';
import { renderReport } from '../../src/render.ts';
import type { Engines, ScanOutput } from '../../src/types.ts';

const SAMPLE = readFileSync(new URL('../../samples/preflight-sample.jpg', import.meta.url));
let engines: Engines;
let out: ScanOutput;

beforeAll(async () => {
  engines = await createEngines({ checks: ['metadata', 'faces', 'text', 'codes'] });
  out = await scanImage(SAMPLE, engines, { preview: true, variants: true });
}, 180_000);

afterAll(async () => {
  await engines?.close();
});

describe('"Show where" picture', () => {
  it("numbers each outlined finding with its summary line's number, in English and French", () => {
    const marks = decidePreviewMarks(out.report.findings, 1);
    for (const locale of ['en', 'fr'] as const) {
      const lines = renderReport(out.report, locale).lines;
      const lineOf = (n: number): string => lines[n - 1] ?? '';
      const byKind = (kind: string): number => {
        const f = out.report.findings.find((x) => x.kind === kind)!;
        const r = regionsOf(f)[0]!;
        const m = marks.find((k) => k.boxes.some((b) => b.x === Math.round(r.x) && b.y === Math.round(r.y)));
        return m!.number;
      };
      expect(lineOf(byKind('face'))).toMatch(/^\d+\. 1 (face|visage)$/);
      expect(lineOf(byKind('qr_code'))).toMatch(/^\d+\. .*QR code/);
      expect(lineOf(byKind('email'))).toMatch(/^\d+\. .*e-mail/i);
      expect(lineOf(byKind('phone'))).toMatch(/^\d+\. .*(Phone number|téléphone)/);
      for (const m of marks) expect(lineOf(m.number).startsWith(`${m.number}. `)).toBe(true);
    }
    // The GPS line (no region) is numbered but has no outline.
    expect(marks.map((m) => m.number)).not.toContain(1);
  });

  it('is a small JPEG of the cleaned copy with the outlines drawn on it', async () => {
    const meta = await sharp(out.preview).metadata();
    expect(meta.format).toBe('jpeg');
    expect(Math.max(meta.width, meta.height)).toBe(PREVIEW_MAX_SIDE);
    const scale = meta.width / out.report.input.width;
    const { data, info } = await sharp(out.preview).raw().toBuffer({ resolveWithObject: true });
    const plain = await sharp(out.sanitized).resize(meta.width, meta.height).raw().toBuffer();
    // Along each outline the picture differs from the plain small copy (the stroke is drawn there).
    for (const m of decidePreviewMarks(out.report.findings, scale)) {
      const b = m.boxes[0]!;
      let changed = 0;
      for (let x = b.x + 4; x < b.x + b.width - 4; x++) {
        const i = (b.y * info.width + x) * 3;
        if (Math.abs(data[i]! - plain[i]!) + Math.abs(data[i + 1]! - plain[i + 1]!) > 60) changed++;
      }
      expect(changed / (b.width - 8)).toBeGreaterThan(0.8);
    }
  });

  it('lists the face choices; one face, no child: all pixelated, or kept (adults kept is the same copy)', () => {
    expect(out.report.variants?.current).toBe('all');
    expect(out.report.variants?.choices.map((c) => c.faces)).toEqual(['all', 'minors']);
    expect(out.report.variants?.choices.map((c) => c.minorVisible)).toEqual([false, false]);
    expect(out.variants?.map((v) => v.faces)).toEqual(['minors']);
    expect(out.report.variants!.ms).toBeGreaterThan(0);
  });
});
