// Documents on real fixture bytes through the text check (today's OCR): each identity document type
// with its fields, a payment card, a work document, text-rich negatives, and the cleaned copy of a
// card re-scanned with nothing personal left readable. In-sample: these fixtures shaped the rules.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareImage } from '../../src/analysis/image/decode.ts';
import { scanImage } from '../../src/analysis/pipeline/scan.ts';
import { createTextAnalyzer } from '../../src/analysis/text/analyzer.ts';
import type { ClosableAnalyzer, Finding } from '../../src/types.ts';
import { DEFAULT_SCAN_OPTIONS } from '../../src/types.ts';

const fixture = (name: string): Buffer =>
  readFileSync(new URL(`../fixtures/images/${name}`, import.meta.url));

let text: ClosableAnalyzer;
beforeAll(async () => {
  text = await createTextAnalyzer();
}, 120_000);
afterAll(async () => {
  await text?.close();
});

async function analyze(name: string): Promise<Finding[]> {
  const image = await prepareImage(fixture(name));
  return text.analyze({ image, options: DEFAULT_SCAN_OPTIONS, signal: new AbortController().signal });
}
const kinds = (fs: Finding[]): string[] => [...new Set(fs.map((f) => f.kind))].sort();
const whole = (fs: Finding[]): Finding | undefined => fs.find((f) => f.details?.['whole'] === true);

describe('identity documents, by type, with their fields', () => {
  it.each([
    ['id_passport_croatia_specimen_td3.jpg', 'passport', 'front'],
    ['id_card_switzerland_specimen_back_td1.jpg', 'identity card', 'back'],
    // Both sides in one picture: the front's printed title beside the back's MRZ.
    ['id_residence-permit_portugal_specimen_td1.png', 'residence permit', 'both'],
    // The front's surname printed above the MRZ: both sides, not "the back".
    ['id_card_lithuania_specimen_td1.png', 'identity card', 'both'],
  ])(
    '%s: %s (%s), name, birth date and document number, covered in one piece',
    async (name, type, side) => {
      const fs = await analyze(name);
      const doc = whole(fs);
      expect(doc).toMatchObject({
        kind: 'id_document',
        severity: 'high',
        redact: 'fill',
        details: { documentType: type, side },
      });
      // Covered in one piece: the document's region (and its portrait), not line by line.
      expect(doc?.regions?.[0]).toEqual(doc?.region);
      expect(doc?.details?.['lines']).toBeGreaterThan(3);
      expect(kinds(fs)).toEqual(expect.arrayContaining(['person_name', 'date_of_birth', 'national_id']));
      // Values are masked: no document number in a summary.
      for (const f of fs.filter((g) => g.kind === 'national_id')) expect(f.summary).toMatch(/\*{4}/);
    },
    180_000,
  );

  it('a US driving licence front: the licence, its holder, birth date and number; its number is not a phone', async () => {
    const fs = await analyze('id_driver-licence_us-georgia_sample_front.jpg');
    expect(whole(fs)?.details).toMatchObject({ documentType: 'driving licence' });
    // The name lines above the street line (the "1" and "2" field numbers unread).
    expect(kinds(fs)).toEqual(expect.arrayContaining(['person_name', 'date_of_birth', 'national_id']));
    expect(kinds(fs)).not.toContain('phone');
  }, 180_000);
});

describe('licences read badly, and names by layout', () => {
  it('a licence back (class, endorsements, restrictions): a driving licence, back, no guessed holder values', async () => {
    const fs = await analyze('id_driver-licence_us-ohio_sample_back_pdf417.jpg');
    expect(whole(fs)?.details).toMatchObject({ documentType: 'driving licence', side: 'back' });
    expect(kinds(fs)).not.toContain('national_id');
    expect(kinds(fs)).not.toContain('person_name');
  }, 180_000);

  it('a small licence whose labels are unreadable: its title and dates make it a licence', async () => {
    const fs = await analyze('id_driver-licence_us-oregon_sample_blanked-portrait.jpg');
    expect(whole(fs)?.details).toMatchObject({ documentType: 'driving licence' });
    expect(kinds(fs)).toEqual(expect.arrayContaining(['person_name', 'date_of_birth']));
  }, 180_000);

  it.each([
    // The recipient line right above the street line.
    'pii_envelope_us-mail_name_address_code39.jpg',
    // The name line the e-mail address spells.
    'pii_business-card_photo.jpg',
  ])(
    '%s: the name is found',
    async (name) => {
      expect(kinds(await analyze(name))).toContain('person_name');
    },
    180_000,
  );
});

describe('payment cards and work documents', () => {
  it('a specimen card (its number fails Luhn): the number as likely and the whole card', async () => {
    const fs = await analyze('card_visa_bestbuy_sample_blue.png');
    expect(fs.find((f) => f.kind === 'card_number')).toMatchObject({
      certainty: 'likely',
      details: { luhn: false },
    });
    expect(whole(fs)).toMatchObject({ kind: 'document', details: { documentType: 'payment card' } });
    // The card's other lines (expiry, holder) are covered with it: the card's region holds them.
    expect(whole(fs)?.details?.['lines']).toBeGreaterThanOrEqual(3);
    expect(whole(fs)?.regions?.[0]).toEqual(whole(fs)?.region);
  }, 180_000);

  it.each([
    // A small card on a large canvas: the reader joins two groups ("54127512 34123456").
    ['card_mastercard_world_render_small-card.jpg', '3456'],
    // Light-on-dark digits, one group read weakly alone ("□O00"): the row read whole.
    ['card_mastercard_surge_sample_dark_name.jpeg', '0002'],
  ])(
    '%s: the number (last four %s) as likely and the whole card',
    async (name, last4) => {
      const fs = await analyze(name);
      expect(fs.find((f) => f.kind === 'card_number')).toMatchObject({
        certainty: 'likely',
        details: { luhn: false, last4, brand: 'mastercard' },
      });
      expect(whole(fs)).toMatchObject({ kind: 'document', details: { documentType: 'payment card' } });
    },
    180_000,
  );

  it('a photo of a card with its last digits hidden, on a dark surface: a partial number, the card covered', async () => {
    const fs = await analyze('card_mastercard_monzo_photo_partly-redacted.jpg');
    const card = fs.find((f) => f.kind === 'card_number');
    expect(card).toMatchObject({ certainty: 'likely', details: { partial: true, brand: 'mastercard' } });
    expect(card?.details?.['last4']).toBeUndefined();
    expect(whole(fs)).toMatchObject({ certainty: 'likely', details: { documentType: 'payment card' } });
  }, 180_000);

  it('a receipt with a masked card number: no card number, no card', async () => {
    const fs = await analyze('pii_receipt_photo_masked-card_server-name.jpg');
    expect(kinds(fs)).not.toContain('card_number');
    expect(fs.some((f) => f.details?.['documentType'] === 'payment card')).toBe(false);
  }, 180_000);

  it('a report marked FOR OFFICIAL USE ONLY is a work document', async () => {
    const fs = await analyze('work_report_1955_for-official-use-only_case-table.jpeg');
    expect(fs.find((f) => f.details?.['work'] === true)?.details).toMatchObject({ workKind: 'confidential' });
  }, 180_000);

  it.each(['negative_packaging_nutrition-facts-label.jpg', 'negative_book-page_upside-down_python-text.png'])(
    'text-rich negative %s: no document, no birth date, no work document',
    async (name) => {
      const fs = await analyze(name);
      expect(kinds(fs)).not.toContain('id_document');
      expect(kinds(fs)).not.toContain('date_of_birth');
      expect(fs.some((f) => f.details?.['work'] === true || f.details?.['whole'] === true)).toBe(false);
    },
    180_000,
  );
});

describe('the cleaned copy', () => {
  it('an identity card: the re-scan of the copy reads no personal value and no MRZ', async () => {
    const { report } = await scanImage(fixture('id_card_switzerland_specimen_back_td1.jpg'), {
      analyzers: [{ ...text, timeoutMs: 120_000 }],
      close: () => Promise.resolve(),
    });
    expect(report.verdict).toBe('high');
    expect(report.findings.find((f) => f.details?.['whole'] === true)?.removed).toBe(true);
    const left = (report.residual?.findings ?? []).map((f) => f.kind);
    for (const k of ['mrz', 'person_name', 'date_of_birth', 'national_id', 'address'])
      expect(left).not.toContain(k);
  }, 240_000);
});
