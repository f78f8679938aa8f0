// The evaluation's scoring: labels + findings → labelled / found / missed / false alarms / residual.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  isDocumentOrScreen,
  isResidualLeak,
  parseManifest,
  renderScoreTable,
  scoreEvaluation,
  type ImageOutcome,
  type Labels,
} from '../../eval/score.ts';
import { createRng } from '../../fixtures-kit/rng.ts';
import {
  toCardNumber,
  toEmail,
  toIban,
  toIbanCheck,
  toLuhnDigit,
  toPhone,
} from '../../eval/make-synthetic.ts';
import { findCardNumbers, isLuhnValid } from '../../src/analysis/text/recognizers/card.ts';
import { findEmails } from '../../src/analysis/text/recognizers/email.ts';
import { findIbans, isIbanValid } from '../../src/analysis/text/recognizers/iban.ts';
import { findPhones } from '../../src/analysis/text/recognizers/phone.ts';
import type { Finding, FindingKind } from '../../src/types.ts';

const clean: Labels = {
  has_gps: false,
  has_exif_camera: false,
  faces: 0,
  child_present: false,
  id_document: false,
  mrz: false,
  pii_text: [],
  qr: false,
  barcode: false,
};

const f = (kind: FindingKind, extra: Partial<Finding> = {}): Finding => ({
  kind,
  severity: 'medium',
  certainty: 'likely',
  ...extra,
});

const outcome = (
  file: string,
  labels: Partial<Labels>,
  findings: Finding[],
  residual?: Finding[],
): ImageOutcome => ({
  file,
  labels: { ...clean, ...labels },
  findings,
  checks: [],
  ...(residual ? { residual } : {}),
});

describe('scoreEvaluation', () => {
  const outcomes: ImageOutcome[] = [
    outcome('gps-hit.jpg', { has_gps: true, has_exif_camera: true }, [f('gps'), f('device')], []),
    outcome('gps-miss.jpg', { has_gps: true }, [], []),
    outcome('group.jpg', { faces: 3 }, [f('face'), f('face')], [f('face')]),
    outcome('child.jpg', { faces: 1, child_present: true }, [f('face'), f('possible_minor')], []),
    outcome('scream.jpg', {}, [f('face'), f('face')], []),
    outcome(
      'card.png',
      { pii_text: ['email', 'card_number', 'person_name'] },
      [f('email'), f('card_number'), f('phone'), f('screen')],
      [f('email')],
    ),
    outcome(
      'passport.png',
      { id_document: true, mrz: true, faces: 1, pii_text: ['date_of_birth'] },
      [f('id_document'), f('mrz', { details: { checkDigitsValid: false } }), f('face')],
      [],
    ),
    outcome('qr.png', { qr: true }, [f('qr_code', { redact: 'fill' })], [f('qr_code', { redact: 'fill' })]),
    outcome('ean.png', { barcode: true }, [f('barcode')], [f('barcode')]),
    { ...outcome('broken.jpg', { faces: 1, has_gps: true }, []), error: 'corrupt_image' },
  ];
  const s = scoreEvaluation(outcomes);
  const cat = (id: string) => s.categories.find((c) => c.id === id)!;

  it('counts labelled, found, missed and false alarms per category', () => {
    expect(cat('gps')).toMatchObject({ labelled: 3, found: 1, missed: 2, clean: 7, falseAlarms: 0 });
    expect(cat('gps').missedFiles).toEqual(['gps-miss.jpg', 'broken.jpg']);
    expect(cat('device')).toMatchObject({ labelled: 1, found: 1, missed: 0, falseAlarms: 0, recall: 1 });
    expect(cat('faces')).toMatchObject({ labelled: 4, found: 3, missed: 1, clean: 6, falseAlarms: 1 });
    expect(cat('faces').falseAlarmFiles).toEqual(['scream.jpg']);
    expect(cat('faces').recall).toBeCloseTo(0.75);
    expect(cat('faces').precision).toBeCloseTo(0.75);
    expect(cat('possible_minor')).toMatchObject({ labelled: 1, found: 1, falseAlarms: 0 });
  });

  it('scores each text PII kind on its own, with false alarms on images without that kind', () => {
    expect(cat('email')).toMatchObject({ labelled: 1, found: 1, missed: 0 });
    expect(cat('person_name')).toMatchObject({ labelled: 1, found: 0, missed: 1 });
    expect(cat('phone')).toMatchObject({ labelled: 0, found: 0, falseAlarms: 1, recall: null, precision: 0 });
    expect(cat('date_of_birth')).toMatchObject({ labelled: 1, found: 0, missed: 1 });
  });

  it('tells a detected MRZ from a parsed one, and derives documents/screens when unlabelled', () => {
    expect(cat('mrz')).toMatchObject({ labelled: 1, found: 1 });
    expect(cat('mrz_parsed')).toMatchObject({ labelled: 1, found: 0, missed: 1 });
    expect(cat('id_document')).toMatchObject({ labelled: 1, found: 1 });
    // card.png (pii text) and passport.png (id) count as documents/screens; only card.png was flagged.
    expect(cat('document_or_screen')).toMatchObject({ labelled: 2, found: 1, missed: 1, falseAlarms: 0 });
    expect(isDocumentOrScreen({ ...clean, pii_text: ['email'], document_or_screen: false })).toBe(false);
  });

  it('scores QR codes and barcodes separately', () => {
    expect(cat('qr')).toMatchObject({ labelled: 1, found: 1, falseAlarms: 0 });
    expect(cat('barcode')).toMatchObject({ labelled: 1, found: 1, falseAlarms: 0 });
  });

  it('counts faces per image without letting extra detections on one image make up for misses on another', () => {
    // labelled 3+1+1+1(broken) = 6; matched 2+1+0+1 = 4; extra: scream 2.
    expect(s.faceCount).toEqual({ labelled: 6, matched: 4, extra: 2 });
  });

  it('counts residual findings on sanitized copies, ignoring uncovered product barcodes', () => {
    expect(s.residual.sanitized).toBe(9);
    expect(s.residual.groups.face).toMatchObject({ inOriginal: 4, stillDetected: 1, files: ['group.jpg'] });
    expect(s.residual.groups.text).toMatchObject({ inOriginal: 2, stillDetected: 1, files: ['card.png'] });
    expect(s.residual.groups.code).toMatchObject({ inOriginal: 1, stillDetected: 1, files: ['qr.png'] });
    expect(isResidualLeak('code', f('barcode'))).toBe(false);
    expect(isResidualLeak('code', f('barcode', { redact: 'fill' }))).toBe(true);
  });

  it('lists refused images and incomplete checks', () => {
    expect(s.errors).toEqual([{ file: 'broken.jpg', error: 'corrupt_image' }]);
    const withTimeout = scoreEvaluation([
      {
        ...outcome('a.jpg', {}, []),
        checks: [
          { name: 'text', status: 'timeout' },
          { name: 'faces', status: 'ok' },
        ],
      },
    ]);
    expect(withTimeout.checkFailures).toEqual({ text: { failed: 0, timeout: 1 } });
  });

  it('renders a table with one row per category', () => {
    const table = renderScoreTable(s);
    expect(table).toContain('| GPS ');
    expect(table.split('\n').filter((l) => l.startsWith('| Text: '))).toHaveLength(8);
    expect(table).toMatch(
      /\| Faces \(image has any\)\s+\|\s+4 \|\s+3 \|\s+1 \|\s+6 \|\s+1 \|\s+75% \|\s+75% \|/,
    );
    expect(table).toContain('Faces counted: 4 of 6');
  });
});

describe('parseManifest', () => {
  it('reads the committed dev manifest', () => {
    const m = parseManifest(
      JSON.parse(readFileSync(new URL('../fixtures/manifest.json', import.meta.url), 'utf8')),
    );
    expect(m).toHaveLength(109);
    expect(m.filter((e) => e.labels.has_gps)).toHaveLength(5);
    expect(m.find((e) => e.file.includes('passport'))?.labels.pii_text).toContain('date_of_birth');
  });

  it('rejects a record with an unknown PII kind or a missing label', () => {
    expect(() => parseManifest([{ file: 'a.jpg', labels: { ...clean, pii_text: ['shoe_size'] } }])).toThrow();
    const { faces: _faces, ...noFaces } = clean;
    expect(() => parseManifest([{ file: 'a.jpg', labels: noFaces }])).toThrow();
    expect(() => parseManifest([])).toThrow();
  });
});

describe('synthetic set values', () => {
  it('makes e-mails, phones, Luhn-valid cards and mod-97-valid IBANs that the recognizers accept, reproducibly', () => {
    const rng = createRng(7);
    for (let i = 0; i < 25; i++) {
      const email = toEmail(rng);
      const phone = toPhone(rng);
      const card = toCardNumber(rng);
      const iban = toIban(rng);
      expect(findEmails(`write to ${email} today`).map((m) => m.kind)).toEqual(['email']);
      expect(findPhones(`call ${phone}`).map((m) => m.kind)).toEqual(['phone']);
      expect(isLuhnValid(card.replace(/\D/g, ''))).toBe(true);
      expect(findCardNumbers(`card ${card}`).map((m) => m.kind)).toEqual(['card_number']);
      expect(isIbanValid(iban.replace(/\s/g, ''))).toBe(true);
      expect(findIbans(`IBAN ${iban}`).map((m) => m.kind)).toEqual(['iban']);
    }
    const a = createRng(99);
    const b = createRng(99);
    expect([toIban(a), toCardNumber(a), toEmail(a)]).toEqual([toIban(b), toCardNumber(b), toEmail(b)]);
    // A known check: DE89 3704 0044 0532 0130 00 is the textbook valid German IBAN.
    expect(toIbanCheck('DE', '370400440532013000')).toBe('89');
    expect(toLuhnDigit('7992739871')).toBe(3);
  });
});
