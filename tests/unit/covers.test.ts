// What the copy no longer shows: a finding that was not covered itself but lies under another cover.
import { describe, expect, it } from 'vitest';
import { liesUnderCovers } from '../../src/analysis/sanitize/sanitize.ts';
import type { Finding } from '../../src/types.ts';

const finding = (kind: Finding['kind'], x: number, y: number, width: number, height: number): Finding => ({
  kind,
  severity: 'medium',
  certainty: 'possible',
  summary: kind,
  region: { x, y, width, height },
});

describe('liesUnderCovers', () => {
  const card = [{ x: 0, y: 0, width: 300, height: 200 }];
  it('a dense-text page inside an ID card covered whole is gone from the copy', () => {
    expect(liesUnderCovers(finding('document', 10, 10, 280, 180), card)).toBe(true);
  });
  it('a page reaching out of the cover is still visible', () => {
    expect(liesUnderCovers(finding('document', 100, 100, 300, 200), card)).toBe(false);
  });
  it('every box must lie under a cover', () => {
    const f = {
      ...finding('document', 0, 0, 10, 10),
      regions: [
        { x: 0, y: 0, width: 10, height: 10 },
        { x: 400, y: 0, width: 10, height: 10 },
      ],
    };
    expect(liesUnderCovers(f, card)).toBe(false);
  });
  it('a finding without a box, or no cover, is not gone', () => {
    const { region: _region, ...noBox } = finding('document', 0, 0, 1, 1);
    expect(liesUnderCovers(noBox, card)).toBe(false);
    expect(liesUnderCovers(finding('document', 10, 10, 20, 20), [])).toBe(false);
  });
});
