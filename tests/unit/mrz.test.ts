// MRZ rules that need no model: the one-line driving-licence MRZ and its 7-3-1 digit, the check
// digits a visa prints, and the band's rows kept together in the page's reading order.
import { describe, expect, it } from 'vitest';
import { withBands } from '../../src/analysis/text/mrz-reader.ts';
import type { OcrLine } from '../../src/analysis/text/page.ts';
import { toCheckDigit, toLicenceMrz } from '../../src/analysis/text/recognizers/mrz-licence.ts';
import { findMrz, readMrz } from '../../src/analysis/text/recognizers/mrz.ts';

// The labelled lines of the fixtures (tests/fixtures/manifest.json).
const LICENCE = 'D1FRA13AA000026181231MARTIN<<9';
const VISA = ['VNUSATRAVELER<<HAPPY<<<<<<<<<<<<<<<<<<<<<<<<', '1234567897CAN6612120M1407282B3XLC000FD142955'];
const PASSPORT = [
  'P<CANMARTIN<<SARAH<<<<<<<<<<<<<<<<<<<<<<<<<<',
  'ZE000509<9CAN8501019F2301147<<<<<<<<<<<<<<08',
];

describe('one-line driving-licence MRZ', () => {
  it('the ICAO 7-3-1 digit (ICAO 9303 part 3 example: L898902C3 → 6)', () => {
    expect(toCheckDigit('L898902C3')).toBe(6);
    expect(toCheckDigit(LICENCE.slice(0, 29))).toBe(9);
  });

  it('verifies the printed line, and not one with another final digit', () => {
    expect(toLicenceMrz(LICENCE)).toEqual({ valid: true, issuingState: 'FRA' });
    expect(toLicenceMrz(`${LICENCE.slice(0, 29)}8`)).toEqual({ valid: false, issuingState: 'FRA' });
    // A misread inside the line breaks the digit.
    expect(toLicenceMrz(LICENCE.replace('13AA', '13A4'))?.valid).toBe(false);
  });

  it('only the shape: "D", a state of letters, a "<", a final digit', () => {
    expect(toLicenceMrz('P1FRA13AA000026181231MARTIN<<9')).toBeUndefined();
    expect(toLicenceMrz('D1F2A13AA000026181231MARTIN<<9')).toBeUndefined();
    expect(toLicenceMrz('D1FRA13AA000026181231MARTINAA9')).toBeUndefined();
  });

  it('findMrz: a confirmed DL1 finding for the line, nothing for a sentence in capitals', () => {
    const found = findMrz(`PERMIS DE CONDUIRE\n${LICENCE}`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      certainty: 'confirmed',
      details: { format: 'DL1', issuingState: 'FRA', checkDigitsValid: true },
      ranges: [{ start: 19, end: 49 }],
    });
    expect(findMrz('DATE OF BIRTH 12 03 1985 PLACE PARIS 7')).toEqual([]);
    expect(findMrz('Date of birth<12031985 place Paris 77')).toEqual([]);
  });
});

describe('check digits of a visa', () => {
  it('an MRV-A verifies on the digits it prints (number, birth, expiry)', () => {
    const [read] = readMrz(VISA.join('\n'));
    expect(read).toMatchObject({ valid: true, documentCode: 'VN', documentNumber: '123456789' });
  });

  it('a wrong birth-date digit on a visa is not confirmed', () => {
    const bad = [VISA[0]!, VISA[1]!.replace('6612120', '6612130')];
    expect(readMrz(bad.join('\n'))[0]?.valid).toBe(false);
  });

  it("a passport's composite digit still counts", () => {
    expect(readMrz(PASSPORT.join('\n'))[0]?.valid).toBe(true);
    const bad = [PASSPORT[0]!, `${PASSPORT[1]!.slice(0, 43)}9`];
    expect(readMrz(bad.join('\n'))[0]?.valid).toBe(false);
  });
});

const line = (text: string, y: number, x = 0, width = 300): OcrLine => ({
  words: [{ text, confidence: 90, box: { x, y, width, height: 16 } }],
  box: { x, y, width, height: 16 },
});

describe('withBands', () => {
  it("keeps a band's rows together when a line beside it falls between them", () => {
    const band = [line(PASSPORT[0]!, 200, 300), line(PASSPORT[1]!, 222, 300)];
    const side = line('24.07.2013.', 210, 0, 80);
    const top = line('PASSPORT', 20);
    const out = withBands([side, top], [band]);
    expect(out.map((l) => l.words[0]!.text)).toEqual(['PASSPORT', ...PASSPORT, '24.07.2013.']);
    expect(readMrz(out.map((l) => l.words[0]!.text).join('\n'))[0]?.valid).toBe(true);
    // Without it the side line splits the band and nothing parses.
    const split = [top, band[0]!, side, band[1]!].map((l) => l.words[0]!.text).join('\n');
    expect(readMrz(split)).toEqual([]);
  });

  it('drops another reading of a band row', () => {
    const band = [line(PASSPORT[0]!, 200, 300), line(PASSPORT[1]!, 222, 300)];
    const again = line('ZE000509 9CAN8501019F2301147', 223, 310, 250);
    expect(withBands([again], [band])).toEqual(band);
  });
});
