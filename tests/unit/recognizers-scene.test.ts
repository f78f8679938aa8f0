// Scene signals are pure over an OCR page: built here from words with boxes.
import { describe, expect, it } from 'vitest';
import { findSceneSignals } from '../../src/analysis/text/scene.ts';
import { toOcrPage, toRegions, toTextFinding } from '../../src/analysis/text/page.ts';
import type { OcrLine } from '../../src/analysis/text/page.ts';
import { findSensitiveText } from '../../src/analysis/text/recognizers/sensitive-text.ts';

/** Lines of words laid out left to right, 40 px per line, 12 px per character. */
function toPage(lines: string[], opts: { confidence?: number; top?: number; lineH?: number } = {}) {
  const lineH = opts.lineH ?? 40;
  const ocrLines: OcrLine[] = lines.map((text, i) => {
    let x = 10;
    const words = text.split(' ').map((w) => {
      const box = { x, y: (opts.top ?? 10) + i * lineH, width: w.length * 12, height: lineH * 0.7 };
      x += (w.length + 1) * 12;
      return { text: w, confidence: opts.confidence ?? 92, box };
    });
    const last = words[words.length - 1]!.box;
    return {
      words,
      box: { x: 10, y: words[0]!.box.y, width: last.x + last.width - 10, height: lineH * 0.7 },
    };
  });
  return toOcrPage(ocrLines);
}

describe('scene signals', () => {
  it('a phone status bar makes a screen (report only, no redaction)', () => {
    const page = toPage(['9:41 5G 87%', 'Back Messages Edit', 'hello there']);
    const f = findSceneSignals(page, { width: 1170, height: 2532 });
    expect(f.find((x) => x.kind === 'screen')).toMatchObject({ certainty: 'likely', severity: 'medium' });
    expect(f.find((x) => x.kind === 'screen')?.redact).toBeUndefined();
  });
  it('many UI words without a status bar: a possible screen', () => {
    const page = toPage(['Search Settings', 'Cancel Send', 'Reply Share']);
    expect(
      findSceneSignals(page, { width: 1000, height: 3000 }).find((x) => x.kind === 'screen')?.certainty,
    ).toBe('possible');
  });
  it('dense printed text covering the picture is a document', () => {
    const line = 'the quick brown fox jumps over the lazy dog again';
    const page = toPage(Array(12).fill(line) as string[]);
    const f = findSceneSignals(page, { width: 700, height: 600 });
    expect(f.find((x) => x.kind === 'document')).toMatchObject({ source: 'text', severity: 'medium' });
  });
  it('a few words on a photo are not a document', () => {
    expect(findSceneSignals(toPage(['Alt Hammoor', '62-42']), { width: 730, height: 547 })).toEqual([]);
  });
  it('a licence plate is a location clue with its box covered; junk-confidence plates are ignored', () => {
    const clear = findSceneSignals(toPage(['car AB-123-CD parked']), { width: 800, height: 600 });
    expect(clear[0]).toMatchObject({
      kind: 'location_clue',
      redact: 'fill',
      details: { clue: 'licence_plate' },
    });
    expect(
      findSceneSignals(toPage(['car AB-123-CD parked'], { confidence: 40 }), { width: 800, height: 600 }),
    ).toEqual([]);
  });
  it('a street name without a number is a location clue (report only)', () => {
    const f = findSceneSignals(toPage(['Rue de la Paix']), { width: 800, height: 600 });
    expect(f[0]).toMatchObject({ kind: 'location_clue', details: { clue: 'street_name' } });
    expect(f[0]?.redact).toBeUndefined();
  });
});

describe('word boxes', () => {
  it('a match maps to the boxes of its words, merged per line', () => {
    const page = toPage(['Mail: jean.dupont@example.fr', 'IBAN FR76 1333 5000 4008 9328 9136 106']);
    const matches = findSensitiveText(page.text);
    const iban = matches.find((m) => m.kind === 'iban')!;
    const regions = toRegions(page, iban.ranges);
    expect(regions).toHaveLength(1);
    expect(regions[0]!.y).toBe(50);
    // "IBAN" (the label) is not covered: the box starts at "FR76".
    expect(regions[0]!.x).toBe(10 + 5 * 12);
    const f = toTextFinding(page, iban)!;
    expect(f).toMatchObject({
      kind: 'iban',
      severity: 'high',
      source: 'text',
      redact: 'fill',
      certainty: 'confirmed',
    });
    expect(JSON.stringify(f)).not.toContain('1333');
  });
});
