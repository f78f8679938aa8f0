// The sanitizer's pixelation noise comes from an injected source: seeded, the copy is byte-identical
// run to run; by default (crypto-strength) two copies of the same photo differ inside the face only.
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { prepareImage } from '../../src/analysis/image/decode.ts';
import { createCryptoBytes, toRandomInt, type ByteSource } from '../../src/analysis/sanitize/noise.ts';
import { scanImage } from '../../src/analysis/pipeline/scan.ts';
import { sanitizeImage } from '../../src/analysis/sanitize/sanitize.ts';
import { DEFAULT_LIMITS } from '../../src/analysis/image/decode.ts';
import { DEFAULT_SCAN_OPTIONS, type Engines, type Finding } from '../../src/types.ts';
import { createRng } from '../../fixtures-kit/rng.ts';

const photo = readFileSync(new URL('../fixtures/images/face_child_toddler.jpg', import.meta.url));
const seeded = (seed: number): ByteSource => {
  const rng = createRng(seed);
  return () => Math.floor(rng() * 256);
};

async function copy(random?: ByteSource): Promise<{ bytes: Buffer; face: Finding }> {
  const image = await prepareImage(photo);
  const face: Finding = {
    kind: 'face',
    severity: 'medium',
    certainty: 'likely',
    redact: 'obscure',
    region: { x: Math.round(image.width * 0.3), y: Math.round(image.height * 0.2), width: 120, height: 140 },
  };
  const s = await sanitizeImage(image, [face], DEFAULT_SCAN_OPTIONS, random);
  return { bytes: s.bytes, face };
}

async function pixels(bytes: Buffer): Promise<{ data: Buffer; width: number }> {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width };
}

describe('sanitize noise', () => {
  it('a seeded source gives identical bytes twice; another seed gives other bytes', async () => {
    const a = await copy(seeded(7));
    const b = await copy(seeded(7));
    const c = await copy(seeded(8));
    expect(a.bytes.equals(b.bytes)).toBe(true);
    expect(a.bytes.equals(c.bytes)).toBe(false);
  });

  it('a whole scan with a seeded source (hooks.random) returns the same copy twice', async () => {
    // A stand-in face check: one face on the original, none on the copy.
    const engines: Engines = {
      analyzers: [
        {
          name: 'faces',
          timeoutMs: 10_000,
          analyze: (ctx) =>
            Promise.resolve(
              ctx.recheck
                ? []
                : [
                    {
                      kind: 'face',
                      severity: 'medium',
                      certainty: 'likely',
                      source: 'pixels',
                      redact: 'obscure',
                      region: { x: 100, y: 80, width: 120, height: 140 },
                    } satisfies Finding,
                  ],
            ),
        },
      ],
      close: () => Promise.resolve(),
    };
    const scan = (random?: ByteSource) =>
      scanImage(photo, engines, {}, DEFAULT_LIMITS, random ? { random } : {});
    const [a, b, c] = [await scan(seeded(3)), await scan(seeded(3)), await scan()];
    expect(a.report.sanitized?.actions).toContainEqual(expect.objectContaining({ action: 'face_obscured' }));
    expect(a.sanitized!.equals(b.sanitized!)).toBe(true);
    expect(a.sanitized!.equals(c.sanitized!)).toBe(false);
  });

  it('by default two copies differ, and only inside the obscured face', async () => {
    const a = await copy();
    const b = await copy();
    expect(a.bytes.equals(b.bytes)).toBe(false);
    const pa = await pixels(a.bytes);
    const pb = await pixels(b.bytes);
    const r = a.face.region!;
    // JPEG blocks (8 px, 16 with 4:2:0 chroma) let a difference bleed a little past the box.
    const margin = 16;
    let inside = 0;
    let outside = 0;
    for (let i = 0; i < pa.data.length; i++) {
      if (pa.data[i] === pb.data[i]) continue;
      const p = Math.floor(i / 3);
      const x = p % pa.width;
      const y = Math.floor(p / pa.width);
      const near =
        x >= r.x - margin && x < r.x + r.width + margin && y >= r.y - margin && y < r.y + r.height + margin;
      if (near) inside++;
      else outside++;
    }
    expect(inside).toBeGreaterThan(1000);
    expect(outside).toBe(0);
  });

  it('the default source is uniform enough for a jitter of -8..7 (all 16 values, none far off)', () => {
    const bytes = createCryptoBytes(64);
    const counts = new Map<number, number>();
    for (let i = 0; i < 16_000; i++) {
      const v = toRandomInt(bytes, -8, 8);
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((x, y) => x - y)).toEqual(Array.from({ length: 16 }, (_, i) => i - 8));
    for (const n of counts.values()) expect(n).toBeGreaterThan(700);
  });
});
