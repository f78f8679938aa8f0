// Panoramas: a side longer than 16 384 px is accepted when the pixel count is within the limit, the
// analyzers work on a bounded copy, the cleaned copy keeps the full resolution; a bomb is still refused.
import { readFileSync } from 'node:fs';
import exifr from 'exifr';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYSIS_MAX_PIXELS, prepareImage } from '../../src/analysis/image/decode.ts';
import { createEngines } from '../../src/analysis/pipeline/engines.ts';
import { scanImage } from '../../src/analysis/pipeline/scan.ts';
import { isInputError } from '../../src/errors.ts';
import type { Engines } from '../../src/types.ts';
import { pngDeclaring } from '../fixtures/synthetic.ts';

const fixture = (name: string): Buffer =>
  readFileSync(new URL(`../fixtures/images/${name}`, import.meta.url));

/** A 20 000 × 3 000 JPEG (60 MP) with GPS in its EXIF, made in memory from a fixture photo. */
async function panorama(): Promise<Buffer> {
  return sharp(fixture('negative_rocket-launchpad.jpg'))
    .resize(20_000, 3_000, { fit: 'fill' })
    .jpeg({ quality: 80 })
    .withExif({
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '48/1 51/1 2940/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '2/1 17/1 4020/100',
      },
    })
    .toBuffer();
}

let engines: Engines;
let pano: Buffer;
beforeAll(async () => {
  [engines, pano] = await Promise.all([createEngines(), panorama()]);
}, 300_000);
afterAll(async () => {
  await engines.close();
});

describe('a 20 000 × 3 000 panorama', () => {
  it('is analysed on a copy of at most ANALYSIS_MAX_PIXELS, while a fresh copy is full size', async () => {
    const image = await prepareImage(pano);
    expect([image.width, image.height]).toEqual([20_000, 3_000]);
    const bounded = await image.raw(65_500, 3);
    expect(bounded.width * bounded.height).toBeLessThanOrEqual(ANALYSIS_MAX_PIXELS);
    expect(bounded.width).toBeGreaterThan(10_000);
    expect(bounded.scale).toBeCloseTo(20_000 / bounded.width, 5);
    const full = await image.raw(65_500, 3, { fresh: true });
    expect([full.width, full.height]).toEqual([20_000, 3_000]);
  });

  it('is scanned by every check and cleaned at full resolution', async () => {
    const { report, sanitized } = await scanImage(pano, engines);
    expect(report.input).toMatchObject({ format: 'jpeg', width: 20_000, height: 3_000 });
    // A check that crashed on the wide image fails here; one late on a loaded machine is a bench matter.
    expect(report.checks.filter((c) => c.status === 'failed')).toEqual([]);
    expect(report.checks.map((c) => c.name)).toEqual(
      expect.arrayContaining(['metadata', 'faces', 'text', 'codes', 'sanitize', 'verify']),
    );
    expect(report.findings.find((f) => f.kind === 'gps')).toMatchObject({ removed: true });
    expect(sanitized).toBeDefined();
    const meta = await sharp(sanitized).metadata();
    expect([meta.width, meta.height]).toEqual([20_000, 3_000]);
    expect(report.sanitized).toMatchObject({ width: 20_000, height: 3_000 });
    expect(await exifr.gps(sanitized!).catch(() => undefined)).toBeUndefined();
  }, 600_000);
});

describe('a 25 000 × 25 000 bomb', () => {
  it('is still refused for its pixel count, from its header', async () => {
    const e: unknown = await prepareImage(pngDeclaring(25_000, 25_000)).catch((x: unknown) => x);
    expect(isInputError(e) && e.code).toBe('too_many_pixels');
  });
});
