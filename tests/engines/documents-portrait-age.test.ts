// The portrait on an ID document, on real bytes with the real models: face-api's age net reads the
// Dutch residence permit's portrait as under 20, and the permit's MRZ (check digits valid) gives a
// birth date that makes its holder an adult, so the scan reports the face but no possible minor.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngines } from '../../src/analysis/pipeline/engines.ts';
import { scanImage } from '../../src/analysis/pipeline/scan.ts';
import type { Engines } from '../../src/types.ts';

const FILE = 'id_residence-permit_netherlands_specimen_td1.png';
const bytes = readFileSync(new URL(`../fixtures/images/${FILE}`, import.meta.url));
let engines: Engines;

beforeAll(async () => {
  engines = await createEngines({ checks: ['faces', 'text'], deadlineScale: 3 });
});
afterAll(async () => {
  await engines.close();
});

describe("an adult holder's portrait (pipeline/documents.ts)", () => {
  it('is a face, not a possible minor, once the MRZ birth date verified', async () => {
    const { report } = await scanImage(bytes, engines);
    const faces = report.findings.filter((f) => f.kind === 'face');
    expect(faces).toHaveLength(1);
    const birth = report.findings.find(
      (f) => f.kind === 'date_of_birth' && f.details?.['holderAdult'] !== undefined,
    );
    expect(birth?.details?.['holderAdult']).toBe(true);
    expect(report.findings.filter((f) => f.kind === 'possible_minor')).toEqual([]);
  });

  it('the face check alone still reads the portrait as under 20 (the rule is what drops it)', async () => {
    const faces = engines.analyzers.find((a) => a.name === 'faces')!;
    const { report } = await scanImage(bytes, { analyzers: [faces], close: () => Promise.resolve() });
    expect(report.findings.filter((f) => f.kind === 'possible_minor')).toHaveLength(1);
  });
});
