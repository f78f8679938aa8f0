// The face check end to end through the pipeline: the sanitized copy, scanned again, shows no face,
// and each face region lost its detail; `--faces minors` obscures children only; `none` nothing.
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngines } from '../../src/analysis/pipeline/engines.ts';
import { scanImage } from '../../src/analysis/pipeline/scan.ts';
import type { Engines, Finding, Region, ScanOptions } from '../../src/types.ts';

const fixture = (name: string): Buffer =>
  readFileSync(new URL(`../fixtures/images/${name}`, import.meta.url));
const faces = (fs: readonly Finding[] = []): Finding[] => fs.filter((f) => f.kind === 'face');

const SIDE = 64;

/** The region as a SIDE×SIDE grey patch, displayed orientation. */
async function patch(bytes: Buffer, r: Region): Promise<Float64Array> {
  const { data } = await sharp(await sharp(bytes).autoOrient().toBuffer())
    .extract({
      left: Math.round(r.x),
      top: Math.round(r.y),
      width: Math.round(r.width),
      height: Math.round(r.height),
    })
    .grayscale()
    .resize(SIDE, SIDE, { fit: 'fill', kernel: 'cubic' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return Float64Array.from(data);
}

/** Fine detail: the patch minus its 5×5 local mean (eyes, mouth, hair strands; not the overall tone). */
function highPass(p: Float64Array): Float64Array {
  const out = new Float64Array(p.length);
  for (let y = 0; y < SIDE; y++)
    for (let x = 0; x < SIDE; x++) {
      let s = 0;
      let n = 0;
      for (let dy = -2; dy <= 2; dy++)
        for (let dx = -2; dx <= 2; dx++) {
          const yy = y + dy;
          const xx = x + dx;
          if (yy < 0 || yy >= SIDE || xx < 0 || xx >= SIDE) continue;
          s += p[yy * SIDE + xx] ?? 0;
          n++;
        }
      out[y * SIDE + x] = (p[y * SIDE + x] ?? 0) - s / n;
    }
  return out;
}

function correlation(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] ?? 0;
    mb += b[i] ?? 0;
  }
  ma /= n;
  mb /= n;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] ?? 0) - ma;
    const db = (b[i] ?? 0) - mb;
    ab += da * db;
    aa += da * da;
    bb += db * db;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

/** How much of the face's fine detail survives in `after` (1 = all of it, about 0 = none). */
async function detailKept(before: Buffer, after: Buffer, r: Region): Promise<number> {
  return correlation(highPass(await patch(before, r)), highPass(await patch(after, r)));
}

let engines: Engines;
beforeAll(async () => {
  engines = await createEngines({ checks: ['faces'] });
});
afterAll(async () => {
  await engines.close();
});

async function run(bytes: Buffer, options: Partial<ScanOptions> = {}) {
  const out = await scanImage(bytes, engines, options);
  expect(out.report.checks.find((c) => c.name === 'faces')?.status).toBe('ok');
  expect(out.sanitized).toBeDefined();
  return { report: out.report, sanitized: out.sanitized! };
}

describe('sanitized copy, every face obscured (default)', () => {
  it.each([
    ['faces_group_three-adults.jpg', 3],
    ['face_child_toddler.jpg', 1],
    ['face_adult_portrait_astronaut.png', 1],
  ])('%s: re-scan finds no face and each face lost its detail', async (file, count) => {
    const bytes = fixture(file);
    const { report, sanitized } = await run(bytes);
    const found = faces(report.findings);
    expect(found).toHaveLength(count);
    expect(found.every((f) => f.removed === true)).toBe(true);
    expect(report.sanitized?.actions).toContainEqual(
      expect.objectContaining({ action: 'face_obscured', count }),
    );
    expect(report.residual?.findings.filter((f) => f.kind === 'face' || f.kind === 'possible_minor')).toEqual(
      [],
    );

    // Control: the metric sees the detail survive a plain re-encode of the same pixels...
    const reencoded = await sharp(bytes).autoOrient().jpeg({ quality: 90 }).toBuffer();
    for (const f of found) expect(await detailKept(bytes, reencoded, f.region!)).toBeGreaterThan(0.8);
    // ...and sees it gone from the sanitized copy.
    for (const f of found) expect(Math.abs(await detailKept(bytes, sanitized, f.region!))).toBeLessThan(0.3);
  });
});

describe('--faces minors / none', () => {
  // An adult and a child side by side on one canvas (in memory).
  let pair: Buffer;
  beforeAll(async () => {
    const adult = await sharp(fixture('face_adult_portrait_astronaut.png')).removeAlpha().toBuffer();
    const child = await sharp(fixture('face_child_toddler.jpg')).resize(512).toBuffer();
    pair = await sharp({ create: { width: 1100, height: 560, channels: 3, background: '#808080' } })
      .composite([
        { input: adult, left: 20, top: 20 },
        { input: child, left: 560, top: 100 },
      ])
      .jpeg({ quality: 92 })
      .toBuffer();
  });

  it('minors: obscures the child only; the adult stays detectable and sharp', async () => {
    const { report, sanitized } = await run(pair, { faces: 'minors' });
    const found = faces(report.findings);
    expect(found).toHaveLength(2);
    const child = found.find((f) => f.summary === 'face (may be a child)');
    const adult = found.find((f) => f.summary === 'face (adult)');
    expect(child?.removed).toBe(true);
    expect(adult?.removed).toBe(false);
    expect(Math.abs(await detailKept(pair, sanitized, child!.region!))).toBeLessThan(0.3);
    expect(await detailKept(pair, sanitized, adult!.region!)).toBeGreaterThan(0.8);
    const residual = report.residual?.findings ?? [];
    expect(residual.filter((f) => f.kind === 'possible_minor')).toEqual([]);
    expect(faces(residual)).toHaveLength(1);
    expect(faces(residual)[0]?.summary).toBe('face (adult)');
  });

  it('none: obscures nothing and the re-scan still finds both faces', async () => {
    const { report } = await run(pair, { faces: 'none' });
    expect(faces(report.findings).every((f) => f.removed === false)).toBe(true);
    expect(faces(report.residual?.findings)).toHaveLength(2);
  });
});
