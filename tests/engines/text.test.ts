// The text analyzer on real bytes: the labelled fixtures (the MRZ of every document with valid
// printed digits, light-on-dark card digits, the gate), synthetic text photos (sizes, angles,
// contrasts, a phone screenshot), tesseract's own passes, a broken language path, and the sanitized
// copy's re-scan.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareImage } from '../../src/analysis/image/decode.ts';
import { scanImage } from '../../src/analysis/pipeline/scan.ts';
import { createTextAnalyzer } from '../../src/analysis/text/analyzer.ts';
import type { OcrPage } from '../../src/analysis/text/page.ts';
import type { TextAnalyzer } from '../../src/analysis/text/analyzer.ts';
import { readMrz } from '../../src/analysis/text/recognizers/mrz.ts';
import type { Finding, FindingKind } from '../../src/types.ts';
import { DEFAULT_SCAN_OPTIONS } from '../../src/types.ts';
import {
  SYNTHETIC_PII,
  renderPhoneScreenshot,
  renderTextPhoto,
} from '../../fixtures-kit/make-text-fixtures.ts';

const fixture = (name: string): Buffer =>
  readFileSync(new URL(`../fixtures/images/${name}`, import.meta.url));
const PII_KINDS: FindingKind[] = [
  'email',
  'phone',
  'card_number',
  'iban',
  'national_id',
  'mrz',
  'id_document',
  'date_of_birth',
  'address',
  'person_name',
];

let text: TextAnalyzer;
/** The last reading the recognizers got (to check a test's text was really read). */
let lastPage: OcrPage | undefined;
beforeAll(async () => {
  text = await createTextAnalyzer({ onPage: (p) => (lastPage = p) });
});
afterAll(async () => {
  await text?.close();
});

async function analyze(bytes: Buffer): Promise<{ findings: Finding[]; width: number; height: number }> {
  const image = await prepareImage(bytes);
  const findings = await text.analyze({
    image,
    options: DEFAULT_SCAN_OPTIONS,
    signal: new AbortController().signal,
  });
  return { findings, width: image.width, height: image.height };
}
const kinds = (fs: Finding[]): FindingKind[] => [...new Set(fs.map((f) => f.kind))].sort();
const byKind = (fs: Finding[], k: FindingKind): Finding[] => fs.filter((f) => f.kind === k);

function expectInside(f: Finding, width: number, height: number): void {
  expect(f.regions?.length).toBeGreaterThan(0);
  for (const r of f.regions ?? []) {
    expect(r.x).toBeGreaterThanOrEqual(0);
    expect(r.y).toBeGreaterThanOrEqual(0);
    expect(r.width).toBeGreaterThan(0);
    expect(r.x + r.width).toBeLessThanOrEqual(width + 2);
    expect(r.y + r.height).toBeLessThanOrEqual(height + 2);
  }
  expect(f).toMatchObject({ source: 'text', redact: 'fill' });
}

describe('labelled fixtures', () => {
  it("CV: the contact column tesseract's layout pass drops is read line by line (phone, e-mail, address)", async () => {
    const { findings, width, height } = await analyze(fixture('pii_cv_photo_email_phone_address.jpg'));
    expect(kinds(findings)).toEqual(expect.arrayContaining(['address', 'email', 'phone']));
    // Read by PP-OCR: tesseract's page of this CV holds only the right-hand column.
    expect(lastPage?.lines.some((l) => l.reader === 'paddle')).toBe(true);
    // The contact column is the left third of the page.
    for (const k of ['email', 'phone'] as const) {
      const box = byKind(findings, k)[0]?.region;
      expect(box && box.x + box.width < width * 0.45 && box.y > height * 0.4).toBe(true);
    }
  });

  it('business card: e-mail, phone and address, boxed and masked', async () => {
    const { findings, width, height } = await analyze(fixture('pii_business-card_photo.jpg'));
    expect(kinds(findings)).toEqual(expect.arrayContaining(['address', 'email', 'phone']));
    for (const f of findings.filter((x) => x.redact)) expectInside(f, width, height);
    expect(byKind(findings, 'email')[0]?.summary).toBe('e-mail a***@r***.com');
    // The e-mail line sits in the card's middle (≈ y 534 of 900).
    const box = byKind(findings, 'email')[0]?.region;
    expect(box && box.y > 450 && box.y < 620).toBe(true);
    expect(JSON.stringify(findings)).not.toContain('amorin');
  });

  it('the bundled sample (README quick start): the e-mail and the phone number on the note', async () => {
    const bytes = readFileSync(new URL('../../samples/preflight-sample.jpg', import.meta.url));
    const { findings } = await analyze(bytes);
    expect(kinds(findings)).toEqual(expect.arrayContaining(['email', 'phone']));
  });

  it('bank details: a confirmed IBAN (read through the table borders) and the address', async () => {
    const { findings } = await analyze(fixture('pii_iban_bank-details.jpg'));
    const iban = byKind(findings, 'iban');
    expect(iban).toHaveLength(1);
    expect(iban[0]).toMatchObject({ severity: 'high', certainty: 'confirmed', details: { country: 'FR' } });
    expect(kinds(findings)).toContain('address');
    expect(JSON.stringify(findings)).not.toContain('1333');
  });

  it('screenshot: a Luhn-valid card and an e-mail; the placeholder panel adds nothing', async () => {
    const { findings } = await analyze(fixture('pii_screenshot_card-number_email.png'));
    const card = byKind(findings, 'card_number');
    expect(card).toHaveLength(1);
    expect(card[0]).toMatchObject({ severity: 'high', summary: 'card number ****4932' });
    expect(byKind(findings, 'email')).toHaveLength(1);
    expect(JSON.stringify(findings)).not.toContain('4095');
  });

  // Each a way a band is read: Canada's first row boxed in two pieces, Peru's three rows all cut
  // short by the detector where faint fillers start (re-cut to the layout's width), Qatar's first row
  // not detected at all (found one pitch above), the US visa's second row without a filler (joined
  // by its place; a visa prints no composite digit), the French licence's one-line MRZ. The band
  // lies in the lower half of the image but on Peru's (the card's back above its front).
  it.each([
    ['id_passport_canada_specimen_td3.png', 'TD3', 2, true],
    ['id_card_lithuania_specimen_td1.png', 'TD1', 3, true],
    ['id_card_peru_dni_specimen_td1_pdf417_fingerprint.png', 'TD1', 3, false],
    ['id_passport_qatar_specimen_td3_arabic.png', 'TD3', 2, true],
    ['id_visa_usa_sample_mrv-a.png', 'TD3', 2, true],
    ['id_driver-licence_france_eu_specimen_one-line-mrz.jpg', 'DL1', 1, true],
  ])('%s: MRZ band (%s) parsed, every check digit valid', async (file, format, lines, low) => {
    const { findings, width, height } = await analyze(fixture(file));
    const mrz = byKind(findings, 'mrz');
    expect(mrz.length).toBeGreaterThan(0);
    expect(mrz[0]).toMatchObject({ severity: 'high', details: { format, checkDigitsValid: true } });
    expect(mrz[0]?.regions).toHaveLength(lines);
    expectInside(mrz[0]!, width, height);
    if (low) expect(mrz[0]!.region!.y).toBeGreaterThan(height * 0.5);
    expect(byKind(findings, 'id_document')[0]).toMatchObject({ severity: 'high', redact: 'fill' });
  });

  it.each(['negative_coffee-cup.png', 'negative_rocket-launchpad.jpg'])('%s: nothing', async (file) => {
    const { findings } = await analyze(fixture(file));
    expect(findings).toEqual([]);
  });

  it.each(['gps_iphone4_restaurant-ticket.jpg', 'gps_sony-hx5v_street-sign.jpg'])(
    '%s: printed numbers are not personal data',
    async (file) => {
      const { findings } = await analyze(fixture(file));
      expect(findings.filter((f) => PII_KINDS.includes(f.kind))).toEqual([]);
    },
  );
});

interface ManifestEntry {
  file: string;
  labels: { mrz: boolean; mrz_lines?: string[]; mrz_check_digits_valid?: boolean };
}
const MANIFEST = JSON.parse(
  readFileSync(new URL('../fixtures/manifest.json', import.meta.url), 'utf8'),
) as ManifestEntry[];
/** Documents whose printed MRZ is 2 or 3 lines with every check digit valid (the labels' own lines). */
const VALID_MRZ = MANIFEST.filter(
  (e) =>
    e.labels.mrz &&
    (e.labels.mrz_lines?.length ?? 0) >= 2 &&
    readMrz((e.labels.mrz_lines ?? []).join('\n')).some((r) => r.valid),
).map((e) => e.file.replace(/^images\//, ''));

/**
 * Parsed with every check digit valid, out of VALID_MRZ (in-sample: these fixtures are the
 * development set). Measured 2026-12-02: 20 of 25 before the band was completed from the detected
 * lines (mrz-band.ts), all of them (26 with the visa, whose digits now count) after.
 */
const MRZ_PARSED_FLOOR = 25;

describe('machine-readable zones of the fixture documents', () => {
  const parsed: string[] = [];
  it.each(VALID_MRZ)(
    '%s: MRZ found',
    async (file) => {
      const { findings } = await analyze(fixture(file));
      const mrz = byKind(findings, 'mrz');
      expect(mrz.length).toBeGreaterThan(0);
      if (mrz.some((f) => f.details?.['checkDigitsValid'] === true)) parsed.push(file);
    },
    120_000,
  );
  it(`at least ${MRZ_PARSED_FLOOR} of the documents with valid printed digits parse with every check digit valid`, () => {
    expect(VALID_MRZ.length).toBeGreaterThanOrEqual(26);
    expect(parsed.length).toBeGreaterThanOrEqual(MRZ_PARSED_FLOOR);
  });
});

describe('detected lines', () => {
  it('a photo without text never reaches a reader (the gate)', async () => {
    const before = { ...text.counts };
    const { findings } = await analyze(fixture('negative_rocket-launchpad.jpg'));
    expect(findings).toEqual([]);
    expect(text.counts.gated).toBe(before.gated + 1);
    expect(text.counts.paddle).toBe(before.paddle);
    expect(text.counts.tesseract).toBe(before.tesseract);
  });

  it('the gate probe: texture the full-size map boxes (3 boxes on the restaurant photo) never reaches a reader', async () => {
    const before = { ...text.counts };
    const { findings } = await analyze(fixture('faces_restaurant_profiles_canon-exif.jpg'));
    expect(findings).toEqual([]);
    expect(text.counts.gated).toBe(before.gated + 1);
    expect(text.counts.paddle).toBe(before.paddle);
    expect(text.counts.tesseract).toBe(before.tesseract);
  });

  it('the gate probe lets small text through: the spreadsheet screenshot (no box on the probe, a few lit pixels) is read', async () => {
    const before = { ...text.counts };
    const { findings } = await analyze(fixture('work_spreadsheet_table-view_names_ssn_cards.png'));
    expect(text.counts.gated).toBe(before.gated);
    expect(text.counts.tesseract).toBe(before.tesseract + 1);
    expect(findings.length).toBeGreaterThan(0);
  }, 240_000);

  it('a dense page photo (the payslip): its long lines, read as plain text, get no MRZ re-read; its values are found', async () => {
    const stages: string[] = [];
    const own = await createTextAnalyzer({ onStage: (stage) => stages.push(stage) });
    try {
      const image = await prepareImage(fixture('pii_payslip_fr_name_address_social-security.jpg'));
      const findings = await own.analyze({
        image,
        options: DEFAULT_SCAN_OPTIONS,
        signal: new AbortController().signal,
      });
      expect(own.counts.tesseract).toBe(1);
      expect(stages).toContain('ocr.layout');
      expect(stages).not.toContain('read.mrz');
      expect(kinds(findings)).toEqual(expect.arrayContaining(['national_id', 'address', 'person_name']));
    } finally {
      await own.close();
    }
  }, 240_000);

  it('light-on-dark digits: the white number on a black card is read and covered', async () => {
    const { findings } = await analyze(fixture('card_visa_psecu_sample_black.png'));
    // The sample's printed number (manifest notes); it fails Luhn but is printed on a card: likely.
    expect(lastPage?.text).toContain('4020 3400 0234 5678');
    expect(byKind(findings, 'card_number')[0]).toMatchObject({ certainty: 'likely', redact: 'fill' });
  });

  it('a line tilted by −15° is straightened and read: e-mail, phone, IBAN and card', async () => {
    const lines = [
      `E-mail : ${SYNTHETIC_PII.email}`,
      `Tél : ${SYNTHETIC_PII.phone}`,
      `IBAN ${SYNTHETIC_PII.iban}`,
      `Carte ${SYNTHETIC_PII.card}`,
    ];
    const { findings, width, height } = await analyze(
      await renderTextPhoto({ lines, fontSize: 36, tilt: -15 }),
    );
    expect(kinds(findings)).toEqual(expect.arrayContaining(['card_number', 'email', 'iban', 'phone']));
    expect(lastPage?.text).toContain(SYNTHETIC_PII.iban);
    for (const f of findings.filter((x) => x.redact)) expectInside(f, width, height);
  });
});

describe('synthetic text photos', () => {
  const lines = [
    `E-mail : ${SYNTHETIC_PII.email}`,
    `Tél : ${SYNTHETIC_PII.phone}`,
    `IBAN ${SYNTHETIC_PII.iban}`,
    `Carte ${SYNTHETIC_PII.card}`,
  ];
  it.each([
    ['large, black', { fontSize: 44 }],
    ['small text', { fontSize: 22 }],
    ['low contrast', { fontSize: 36, ink: 150 }],
  ])('%s: e-mail, phone, IBAN and card', async (_name, opts) => {
    const { findings, width, height } = await analyze(await renderTextPhoto({ lines, ...opts }));
    expect(kinds(findings)).toEqual(expect.arrayContaining(['card_number', 'email', 'iban', 'phone']));
    for (const f of findings.filter((x) => x.redact)) expectInside(f, width, height);
  });

  it('a Luhn-invalid card number is not reported; the Luhn-valid one beside it is', async () => {
    // Same brand (Visa), same length and grouping: only the Luhn check tells them apart.
    const invalid = '4539 1488 0343 6468';
    const { findings } = await analyze(
      await renderTextPhoto({ lines: [`Carte ${SYNTHETIC_PII.card}`, `Carte ${invalid}`], fontSize: 44 }),
    );
    // OCR did read the invalid number (otherwise this test would prove nothing).
    expect(lastPage?.text.replace(/\D/g, '')).toContain(invalid.replace(/\D/g, ''));
    const cards = byKind(findings, 'card_number');
    expect(cards.map((c) => c.details?.['last4'])).toEqual(['4242']);
  });

  it('tesseract: a card the layout pass reads well is read once; the same card tilted is read again as a block', async () => {
    const stages: string[] = [];
    const counted = await createTextAnalyzer({ reader: 'tesseract', onStage: (stage) => stages.push(stage) });
    try {
      const run = async (bytes: Buffer): Promise<Finding[]> =>
        counted.analyze({
          image: await prepareImage(bytes),
          options: DEFAULT_SCAN_OPTIONS,
          signal: new AbortController().signal,
        });
      // The benchmark's 12 MP photo of a card (bench/text.ts).
      const upright = await run(
        await renderTextPhoto({
          lines: ['Claire MARTIN', ...lines],
          fontSize: 90,
          width: 4000,
          height: 3000,
        }),
      );
      expect(kinds(upright)).toEqual(expect.arrayContaining(['card_number', 'email', 'iban', 'phone']));
      expect(stages.filter((s) => s === 'ocr.layout')).toHaveLength(1);
      expect(stages).not.toContain('ocr.block');
      stages.length = 0;
      const tilted = await run(await renderTextPhoto({ lines, fontSize: 36, tilt: 3 }));
      expect(kinds(tilted)).toEqual(expect.arrayContaining(['email', 'iban', 'phone']));
      expect(stages).toContain('ocr.block');
    } finally {
      await counted.close();
    }
  });

  it('tesseract: 18 px text on a 1600 px photo is read again at twice the size, boxes mapped back onto the card', async () => {
    const stages: string[] = [];
    const counted = await createTextAnalyzer({ reader: 'tesseract', onStage: (stage) => stages.push(stage) });
    try {
      const image = await prepareImage(
        await renderTextPhoto({ lines, fontSize: 18, width: 1600, height: 1067 }),
      );
      const found = await counted.analyze({
        image,
        options: DEFAULT_SCAN_OPTIONS,
        signal: new AbortController().signal,
      });
      expect(stages).toContain('ocr.block.doubled');
      expect(kinds(found)).toEqual(expect.arrayContaining(['card_number', 'email', 'phone']));
      // The card is centred: every box lies in the middle of the photo, at the card's text size.
      for (const f of found.filter((x) => x.redact)) {
        expectInside(f, image.width, image.height);
        for (const r of f.regions ?? []) {
          expect(r.x).toBeGreaterThan(0.2 * image.width);
          expect(r.x + r.width).toBeLessThan(0.8 * image.width);
          expect(r.y).toBeGreaterThan(0.3 * image.height);
          expect(r.y + r.height).toBeLessThan(0.7 * image.height);
          expect(r.height).toBeLessThan(40);
        }
      }
    } finally {
      await counted.close();
    }
  });

  it('tilted 3°: e-mail, phone, IBAN and the Luhn-valid card', async () => {
    const { findings } = await analyze(await renderTextPhoto({ lines, fontSize: 36, tilt: 3 }));
    expect(kinds(findings)).toEqual(expect.arrayContaining(['card_number', 'email', 'iban', 'phone']));
    for (const f of byKind(findings, 'card_number')) expect(f.certainty).toBe('confirmed');
  });

  it('text turned 90° (a photo taken sideways): the detected lines are turned upright and read', async () => {
    const { findings, width, height } = await analyze(
      await renderTextPhoto({ lines, fontSize: 40, rotate: 90 }),
    );
    expect(kinds(findings)).toEqual(expect.arrayContaining(['card_number', 'email']));
    // Boxes are mapped back to the displayed (portrait) picture: the card is taller than wide.
    const card = byKind(findings, 'card_number')[0]!;
    expectInside(card, width, height);
    expect(card.region!.height).toBeGreaterThan(card.region!.width);
  });

  it('phone screenshot: status bar and UI words make a screen; the card inside is covered', async () => {
    const shot = await renderPhoneScreenshot([
      `My card ${SYNTHETIC_PII.card}`,
      `Mail ${SYNTHETIC_PII.email}`,
    ]);
    const { findings } = await analyze(shot);
    expect(byKind(findings, 'screen')[0]).toMatchObject({ severity: 'medium', details: { statusBar: true } });
    expect(byKind(findings, 'screen')[0]?.redact).toBeUndefined();
    expect(kinds(findings)).toEqual(expect.arrayContaining(['card_number', 'email']));
  });
});

describe('French', () => {
  it('reads accents with French and English data loaded together (OCR_LANGS=fra+eng)', async () => {
    const lines = [
      'Née le 14 juillet 1990 à Besançon',
      "Adresse : 5 rue de l'Église, 69002 Lyon",
      'Téléphone : 06 12 34 56 78',
    ];
    let read = '';
    const fr = await createTextAnalyzer({ langs: ['fra', 'eng'], onPage: (p) => (read = p.text) });
    try {
      const image = await prepareImage(await renderTextPhoto({ lines, fontSize: 40 }));
      const findings = await fr.analyze({
        image,
        options: DEFAULT_SCAN_OPTIONS,
        signal: new AbortController().signal,
      });
      // Measured with English alone: "a Besancon", "I'Eglise".
      expect(read).toContain('Besançon');
      expect(read).toContain('Église');
      expect(kinds(findings)).toEqual(expect.arrayContaining(['address', 'date_of_birth', 'phone']));
    } finally {
      await fr.close();
    }
  });
});

describe('failure is a failed check, not a dead process', () => {
  it('a missing language folder rejects the factory', async () => {
    await expect(createTextAnalyzer({ langPath: '/nonexistent/tessdata' })).rejects.toThrow(/missing/);
  });
  it('a folder without the language file rejects the factory', async () => {
    const dir = new URL('../fixtures/images/', import.meta.url).pathname;
    await expect(createTextAnalyzer({ langPath: dir })).rejects.toThrow(/missing/);
  });
  it('an unknown language rejects the factory', async () => {
    await expect(createTextAnalyzer({ langs: ['xxx'] })).rejects.toThrow(/not installed|missing/);
  });
  it('the pipeline turns a broken text engine into a failed check and a review verdict', async () => {
    const failing = await createTextAnalyzer({ langPath: '/nonexistent' }).then(
      () => new Error('unexpectedly started'),
      (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
    );
    expect(failing.message).toMatch(/missing/);
    // What createEngines does with a factory that throws: the check runs and fails on every scan.
    const engines = {
      analyzers: [{ name: 'text' as const, timeoutMs: 1000, analyze: () => Promise.reject(failing) }],
      close: () => Promise.resolve(),
    };
    const { report } = await scanImage(fixture('negative_coffee-cup.png'), engines);
    expect(report.checks.find((c) => c.name === 'text')?.status).toBe('failed');
    expect(report.verdict).toBe('review');
  });
  it('an aborted scan rejects instead of hanging', async () => {
    const image = await prepareImage(fixture('pii_screenshot_card-number_email.png'));
    const ac = new AbortController();
    ac.abort();
    await expect(text.analyze({ image, options: DEFAULT_SCAN_OPTIONS, signal: ac.signal })).rejects.toThrow();
  });
});

describe('sanitized copy', () => {
  it('the re-scan of the sanitized screenshot finds none of the covered values', async () => {
    const engines = { analyzers: [text], close: () => Promise.resolve() };
    const { report, sanitized } = await scanImage(fixture('pii_screenshot_card-number_email.png'), engines);
    expect(kinds(report.findings)).toEqual(expect.arrayContaining(['card_number', 'email']));
    expect(sanitized).toBeInstanceOf(Buffer);
    const residual = report.residual?.findings ?? [];
    expect(residual.filter((f) => ['card_number', 'email', 'person_name'].includes(f.kind))).toEqual([]);
  });

  it('a re-check looks for an MRZ only where the first pass found one', async () => {
    const image = await prepareImage(fixture('id_passport_netherlands_specimen_td3.jpg'));
    const ctx = { image, options: DEFAULT_SCAN_OPTIONS, signal: new AbortController().signal };
    const first = await text.analyze(ctx);
    expect(first.some((f) => f.kind === 'mrz')).toBe(true);
    // Told the first pass found an MRZ, the re-check reads it again; told it found none (only the
    // other findings), it does not look for one: a band read only off the copy is noise.
    expect((await text.analyze({ ...ctx, recheck: first })).some((f) => f.kind === 'mrz')).toBe(true);
    const without = first.filter((f) => f.kind !== 'mrz');
    expect((await text.analyze({ ...ctx, recheck: without })).some((f) => f.kind === 'mrz')).toBe(false);
  });

  it('a photo read by PP-OCR is re-checked by PP-OCR, though the crop around its card is as flat as a screen', async () => {
    const lines = [`E-mail : ${SYNTHETIC_PII.email}`, `Carte ${SYNTHETIC_PII.card}`];
    const engines = { analyzers: [text], close: () => Promise.resolve() };
    const photo = await renderTextPhoto({ lines, fontSize: 90, width: 4000, height: 3000 });
    const before = { ...text.counts };
    const { report } = await scanImage(photo, engines);
    expect(kinds(report.findings)).toEqual(expect.arrayContaining(['card_number', 'email']));
    expect(report.checks.find((c) => c.name === 'verify')?.rescanned).toContain('text');
    // The original and the copy's crop, both by PP-OCR (the crop alone would go to tesseract).
    expect(text.counts.paddle).toBe(before.paddle + 2);
    expect(text.counts.tesseract).toBe(before.tesseract);
    const residual = report.residual?.findings ?? [];
    expect(residual.filter((f) => ['card_number', 'email'].includes(f.kind))).toEqual([]);
    // The mark is the analyzer's own: no report carries it.
    expect(JSON.stringify(report)).not.toContain('paddle');
  });

  it('tesseract: a sideways photo is re-checked at the rotation that read it, and the covered values are gone', async () => {
    const lines = [
      `E-mail : ${SYNTHETIC_PII.email}`,
      `Carte ${SYNTHETIC_PII.card}`,
      `IBAN ${SYNTHETIC_PII.iban}`,
    ];
    const stages: string[] = [];
    const t = await createTextAnalyzer({ reader: 'tesseract', onStage: (s) => stages.push(s) });
    try {
      const engines = { analyzers: [t], close: () => Promise.resolve() };
      const photo = await renderTextPhoto({ lines, fontSize: 40, rotate: 270 });
      const { report } = await scanImage(photo, engines);
      const found = report.findings.filter((f) => ['card_number', 'email', 'iban'].includes(f.kind));
      expect(found.length).toBeGreaterThan(0);
      // Measured: 270° text is read only after the rotation retry, which records the turn.
      expect(found.every((f) => f.details?.['rotation'] === 90 || f.details?.['rotation'] === 270)).toBe(
        true,
      );
      // One retry on the original; none on the copy (it is read at the recorded turn).
      expect(stages.filter((s) => s === 'rotation')).toHaveLength(1);
      const residual = report.residual?.findings ?? [];
      expect(residual.filter((f) => ['card_number', 'email', 'iban'].includes(f.kind))).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
