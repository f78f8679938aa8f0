// The re-scan of the cleaned copy looks only around what the first pass found, and still sees a
// value left readable there: real bytes, the real text and face engines, a copy made with one cover
// deliberately left out.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngines } from '../../src/analysis/pipeline/engines.ts';
import { planRescan, toRescanArea } from '../../src/analysis/pipeline/rescan.ts';
import { runAnalyzers } from '../../src/analysis/pipeline/scan.ts';
import { DEFAULT_LIMITS, prepareImage } from '../../src/analysis/image/decode.ts';
import { intersectionArea } from '../../src/analysis/image/regions.ts';
import { decideRedactions, regionsOf, sanitizeImage } from '../../src/analysis/sanitize/sanitize.ts';
import { DEFAULT_SCAN_OPTIONS, type Engines, type Finding } from '../../src/types.ts';

const fixture = (name: string): Buffer =>
  readFileSync(new URL(`../fixtures/images/${name}`, import.meta.url));

let engines: Engines;
beforeAll(async () => {
  engines = await createEngines({ checks: ['text', 'faces'], deadlineScale: 3 });
}, 120_000);
afterAll(async () => {
  await engines?.close();
});

const overlapsAny = (f: Finding, left: Finding): boolean =>
  regionsOf(f).some((r) => regionsOf(left).some((l) => intersectionArea(r, l) > 0.3 * l.width * l.height));

/**
 * Scans `file` with the analyzer `name`, cleans it with every cover but the first one the options
 * make, and re-scans the copy as the pipeline does: what the limited re-scan found, the value left
 * readable, and the plan.
 */
async function cleanWithoutOneCover(file: string, name: 'text' | 'faces') {
  const opts = DEFAULT_SCAN_OPTIONS;
  const bytes = fixture(file);
  const image = await prepareImage(bytes);
  const analyzer = engines.analyzers.find((a) => a.name === name)!;
  const plans0 = [{ analyzer, image }];
  const first = await runAnalyzers(plans0, opts);
  const covered = decideRedactions(first.findings, opts);
  expect(covered.length).toBeGreaterThan(1);
  const left = covered[0]!;
  const copy = await sanitizeImage(
    image,
    // Every finding on that spot is left uncovered (a face's possible_minor shares its box).
    first.findings.filter((f) => !overlapsAny(f, left)),
    opts,
  );
  const copyImage = await prepareImage(copy.bytes, { ...DEFAULT_LIMITS, maxBytes: Number.MAX_SAFE_INTEGER });
  const plans = await planRescan([analyzer], copyImage, first.foundBy, DEFAULT_LIMITS);
  const residual = await runAnalyzers(plans, opts);
  const full = await sanitizeImage(image, first.findings, opts);
  const fullImage = await prepareImage(full.bytes, { ...DEFAULT_LIMITS, maxBytes: Number.MAX_SAFE_INTEGER });
  const clean = await runAnalyzers(
    await planRescan([analyzer], fullImage, first.foundBy, DEFAULT_LIMITS),
    opts,
  );
  return { image, left, plan: plans[0]!, residual: residual.findings, clean: clean.findings };
}

describe('the limited re-scan of the copy', () => {
  it('sees a text value whose cover was left out, on a crop smaller than the picture', async () => {
    const r = await cleanWithoutOneCover('pii_invoice_name_address_email_phone.jpg', 'text');
    expect(r.plan.area).toBeDefined();
    // The text check is told the whole picture's size: it reads the crop at the scale it read the whole.
    expect(r.plan.cropOf).toEqual({ width: r.image.width, height: r.image.height });
    expect(r.plan.image.width * r.plan.image.height).toBeLessThan(r.image.width * r.image.height);
    expect(r.residual.some((f) => f.kind === r.left.kind && overlapsAny(f, r.left))).toBe(true);
    // The copy with every cover: that value is no longer read there.
    expect(r.clean.some((f) => f.kind === r.left.kind && overlapsAny(f, r.left))).toBe(false);
  }, 120_000);

  it('sees a face whose pixelation was left out, in the copy\u2019s coordinates', async () => {
    const r = await cleanWithoutOneCover('faces_family_beach_two-children.jpg', 'faces');
    expect(r.plan.area).toBeDefined();
    expect(r.plan.image.width * r.plan.image.height).toBeLessThan(r.image.width * r.image.height);
    expect(r.residual.some((f) => f.kind === 'face' && overlapsAny(f, r.left))).toBe(true);
    expect(r.clean.some((f) => f.kind === 'face' && overlapsAny(f, r.left))).toBe(false);
  }, 120_000);
});

describe('toRescanArea', () => {
  const at = (x: number, y: number, w: number, h: number): Finding =>
    ({ kind: 'email', region: { x, y, width: w, height: h } }) as Finding;
  it('grows the box around every finding, within the picture', () => {
    expect(toRescanArea([at(100, 100, 50, 20), at(300, 150, 40, 20)], 1000, 800)).toEqual({
      x: 60,
      y: 60,
      width: 320,
      height: 150,
    });
  });
  it('scans the whole copy for a finding without a box or a box over half the picture', () => {
    expect(toRescanArea([at(10, 10, 50, 20), { kind: 'email' } as Finding], 1000, 800)).toBeUndefined();
    expect(toRescanArea([at(0, 0, 900, 600)], 1000, 800)).toBeUndefined();
  });
});
