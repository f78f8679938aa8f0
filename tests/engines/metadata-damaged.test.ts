// A damaged EXIF block is not "nothing found": the metadata check reports `failed` with the short
// reason `damaged_metadata`, the user is told so (en/fr), and what could still be read is kept.
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngines } from '../../src/analysis/pipeline/engines.ts';
import { scanImage } from '../../src/analysis/pipeline/scan.ts';
import { messagesFor, renderReport } from '../../src/render.ts';
import type { Engines } from '../../src/types.ts';

/** A JPEG with an APP1 "Exif" segment spliced in after SOI. */
async function jpegWithApp1(tiff: Buffer): Promise<Buffer> {
  const base = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#7a8c9e' } })
    .jpeg()
    .toBuffer();
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const marker = Buffer.from([0xff, 0xe1, 0, 0]);
  marker.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([base.subarray(0, 2), marker, payload, base.subarray(2)]);
}

/** A little-endian TIFF header whose first IFD lies far outside the block. */
const BROKEN_TIFF = Buffer.concat([
  Buffer.from('II*\0', 'latin1'),
  Buffer.from([0xff, 0xff, 0xff, 0x0f]),
  Buffer.alloc(8),
]);

let engines: Engines;
beforeAll(async () => {
  engines = await createEngines({ checks: ['metadata'] });
});
afterAll(async () => {
  await engines.close();
});

const metadataCheck = (checks: { name: string }[]) => checks.find((c) => c.name === 'metadata');

describe('damaged metadata', () => {
  it('a broken EXIF block: metadata failed (damaged_metadata), verdict review, told in en and fr', async () => {
    const { report, sanitized } = await scanImage(await jpegWithApp1(BROKEN_TIFF), engines);
    expect(metadataCheck(report.checks)).toMatchObject({ status: 'failed', error: 'damaged_metadata' });
    expect(report.verdict).toBe('review');
    // The copy is still made, without the block.
    expect((await sharp(sanitized).metadata()).exif).toBeUndefined();
    for (const locale of ['en', 'fr'] as const) {
      const view = renderReport(report, locale);
      expect(view.notChecked).toContain(messagesFor(locale).checkFailed.damaged_metadata);
      expect(view.notChecked).not.toContain(messagesFor(locale).notChecked.metadata);
    }
  });

  it('the same photo with a sound EXIF block: metadata ok', async () => {
    const sound = await sharp(await jpegWithApp1(Buffer.alloc(0)))
      .withExif({ IFD0: { Make: 'Acme', Model: 'Test 1' } })
      .jpeg()
      .toBuffer();
    const { report } = await scanImage(sound, engines);
    expect(metadataCheck(report.checks)).toMatchObject({ status: 'ok' });
    expect(report.findings.map((f) => f.kind)).toContain('device');
  });

  it('a partly damaged block keeps what could be read (the Sony DSC-HX5V fixture: GPS, camera)', async () => {
    const sony = readFileSync(new URL('../fixtures/images/gps_sony-hx5v_street-sign.jpg', import.meta.url));
    const { report } = await scanImage(sony, engines);
    expect(metadataCheck(report.checks)).toMatchObject({ status: 'failed', error: 'damaged_metadata' });
    expect(report.findings.map((f) => f.kind)).toEqual(expect.arrayContaining(['gps', 'device']));
    expect(report.verdict).toBe('high');
  });
});
