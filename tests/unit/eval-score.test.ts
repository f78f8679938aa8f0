// The evaluation's scoring: each label rule (a table per rule), the rows, the tables and the README block writer.
import { readFileSync } from 'node:fs';
import { format } from 'prettier';
import { describe, expect, it } from 'vitest';
import {
  hasInvalidMrz,
  hasValidMrz,
  parseManifest,
  toExpectedIdType,
  toIdType,
  toLabelledPayloads,
  type Labels,
} from '../../eval/labels.ts';
import {
  countPayloadMatches,
  isFaceCountRight,
  isPayloadMatch,
  isPaymentCard,
  isWorkDocument,
  toCodeFamily,
  toFaceTally,
} from '../../eval/match.ts';
import { renderRows, renderTable, replaceBlock } from '../../eval/render.ts';
import { renderAccuracyBlock } from '../../eval/readme.ts';
import type { EvalRun } from '../../eval/run.ts';
import { isResidualLeak, scoreEvaluation, type ImageOutcome, type Row } from '../../eval/score.ts';
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

const f = (kind: FindingKind | 'payment_card' | 'work_document', extra: Partial<Finding> = {}): Finding => ({
  kind: kind as FindingKind,
  severity: 'medium',
  certainty: 'likely',
  ...extra,
});
const code = (kind: 'qr_code' | 'barcode', format: string, details: Finding['details'] = {}): Finding =>
  f(kind, { details: { ...details, format } });

const outcome = (
  file: string,
  labels: Partial<Labels>,
  findings: Finding[],
  extra: Partial<ImageOutcome> = {},
): ImageOutcome => ({ file, labels: { ...clean, ...labels }, findings, checks: [], ...extra });

const rowOf = (outcomes: ImageOutcome[], id: string): Row => {
  const r = scoreEvaluation(outcomes).rows.find((x) => x.id === id);
  if (!r) throw new Error(`no row ${id}`);
  return r;
};
const counts = (r: Row) => ({
  expected: r.expected,
  found: r.found,
  clean: r.clean,
  falseAlarms: r.falseAlarms,
});

describe('labels', () => {
  it.each([
    ['images/id_passport_canada_specimen_td3.png', undefined, 'passport'],
    ['images/id_card_malta_specimen_td1_bad-check-digits.png', ['IDMLT<<'], 'identity_card'],
    ['images/id_residence-permit_germany_muster_td1.png', ['ARD<<'], 'residence_permit'],
    ['images/id_visa_usa_sample_mrv-a.png', ['VNUSA'], 'visa'],
    ['images/id_driver-licence_us-ohio_sample_back_pdf417.jpg', [], 'driver_licence'],
    // No type in the name: the MRZ's document code says it.
    ['doc1.png', ['P<UTO'], 'passport'],
    ['doc2.png', ['I<UTO'], 'identity_card'],
    ['doc3.png', undefined, undefined],
  ])('the expected ID type of %s (MRZ %j) is %s', (file, mrz_lines, type) => {
    expect(
      toExpectedIdType({
        file,
        labels: { ...clean, id_document: true, ...(mrz_lines ? { mrz_lines } : {}) },
      }),
    ).toBe(type);
    expect(toExpectedIdType({ file, labels: clean })).toBeUndefined();
  });

  it.each([
    ['passport', 'passport'],
    ['identity card', 'identity_card'],
    ['National identity card', 'identity_card'],
    ['driving licence', 'driver_licence'],
    ['driver_license', 'driver_licence'],
    ['residence permit', 'residence_permit'],
    ['visa', 'visa'],
    ['travel document', undefined],
  ])('an engine type %j is %s', (text, type) => expect(toIdType(text)).toBe(type));

  it.each([
    [{ mrz: true }, true, false],
    [{ mrz: true, mrz_check_digits_valid: true }, true, false],
    [{ mrz: true, mrz_check_digits_valid: false }, false, true],
    [{ mrz: false }, false, false],
  ])('an MRZ labelled %j: valid %s, invalid %s', (l, valid, invalid) => {
    expect(hasValidMrz({ ...clean, ...l })).toBe(valid);
    expect(hasInvalidMrz({ ...clean, ...l })).toBe(invalid);
  });

  it('lists every labelled payload, several QR payloads first, the barcode one without its prefix', () => {
    expect(
      toLabelledPayloads({
        ...clean,
        qr_payload: 'https://a.example/x',
        qr_payloads: ['https://a.example/x', 'hello'],
        barcode_payload: 'CODE-128:Mindee',
      }),
    ).toEqual([
      { family: 'qr', value: 'https://a.example/x' },
      { family: 'qr', value: 'hello' },
      { family: 'barcode', format: 'Code128', value: 'Mindee' },
    ]);
    expect(toLabelledPayloads({ ...clean, qr_payload: 'LOTS OF STUFF HERE' })).toEqual([
      { family: 'qr', value: 'LOTS OF STUFF HERE' },
    ]);
    expect(toLabelledPayloads({ ...clean, barcode_payload: 'I2/5:0829220875' })[0]).toMatchObject({
      format: 'ITF',
      value: '0829220875',
    });
    expect(toLabelledPayloads(clean)).toEqual([]);
  });
});

describe('matching findings to labels', () => {
  it.each([
    [code('qr_code', 'QRCode'), 'qr'],
    [code('qr_code', 'MicroQRCode'), 'qr'],
    [code('qr_code', 'PDF417'), 'barcode'],
    [code('qr_code', 'Aztec'), 'barcode'],
    [code('qr_code', 'DataMatrix'), 'barcode'],
    [code('barcode', 'EAN13'), 'barcode'],
    [f('qr_code'), 'qr'],
    [f('barcode'), 'barcode'],
    [f('face'), undefined],
  ])('a code finding %j is in the %s family', (finding, family) =>
    expect(toCodeFamily(finding)).toBe(family),
  );

  const url = { family: 'qr' as const, value: 'http://historypoints.org/index.php?page=great-orme-tramway' };
  const urlDetails = {
    payload: 'url',
    host: 'historypoints.org',
    token: false,
    tracking: false,
    uniqueId: false,
  };
  it.each([
    ['the same URL', url, code('qr_code', 'QRCode', urlDetails), true],
    ['another host', url, code('qr_code', 'QRCode', { ...urlDetails, host: 'example.org' }), false],
    ['a barcode with the same details', url, code('barcode', 'Code128', urlDetails), false],
    ['no format', url, f('qr_code', { details: urlDetails }), false],
    [
      'an EAN-13 label read as UPC-A',
      { family: 'barcode' as const, format: 'EAN13', value: '0456314319671' },
      code('barcode', 'UPCA', { payload: 'product', isbn: false }),
      true,
    ],
    [
      'a Code 128 label read as Code 39',
      { family: 'barcode' as const, format: 'Code128', value: 'Mindee' },
      code('barcode', 'Code39', { payload: 'identifier', length: 6 }),
      false,
    ],
    [
      'a text of another length',
      { family: 'qr' as const, value: 'LOTS OF STUFF HERE' },
      code('qr_code', 'MicroQRCode', { payload: 'text', length: 17 }),
      false,
    ],
  ])('a payload against %s: %s', (_, p, finding, match) => expect(isPayloadMatch(p, finding)).toBe(match));

  it('matches each labelled payload to a different finding', () => {
    const p = { family: 'qr' as const, value: 'http://historypoints.org/index.php?page=great-orme-tramway' };
    const one = code('qr_code', 'QRCode', {
      payload: 'url',
      host: 'historypoints.org',
      token: false,
      tracking: false,
      uniqueId: false,
    });
    expect(countPayloadMatches([p, p], [one])).toBe(1);
    expect(countPayloadMatches([p, p], [one, one])).toBe(2);
  });

  it.each([
    [3, 3, false, true],
    [2, 3, false, false],
    [4, 3, false, false],
    [20, 25, true, true],
    [30, 25, true, true],
    [19, 25, true, false],
    [31, 25, true, false],
  ])(
    '%i faces detected for %i labelled (approximate %s): count right %s',
    (detected, labelled, approx, right) => expect(isFaceCountRight(detected, labelled, approx)).toBe(right),
  );

  it.each([
    [2, 3, false, { matched: 2, extra: 0 }],
    [5, 3, false, { matched: 3, extra: 2 }],
    [22, 25, true, { matched: 25, extra: 0 }],
    [33, 25, true, { matched: 25, extra: 3 }],
    [10, 25, true, { matched: 10, extra: 0 }],
  ])('%i faces detected for %i labelled (approximate %s) tally %j', (detected, labelled, approx, tally) =>
    expect(toFaceTally(detected, labelled, approx)).toEqual(tally),
  );

  it.each([
    [f('payment_card'), true],
    [f('document', { details: { type: 'payment card' } }), true],
    [f('id_document', { details: { type: 'identity card' } }), false],
    [f('card_number'), false],
  ])('%j is a payment card: %s', (finding, yes) => expect(isPaymentCard(finding)).toBe(yes));

  it.each([
    [f('work_document'), true],
    [f('document', { details: { work: 'slides' } }), true],
    [f('screen', { details: { work: true } }), true],
    [f('screen', { details: { work: false } }), false],
    [f('screen'), false],
    [f('id_document', { details: { work: true } }), false],
  ])('%j is a work document: %s', (finding, yes) => expect(isWorkDocument(finding)).toBe(yes));
});

describe('rows', () => {
  it('barcode = any symbol that is not QR: PDF417, Aztec and Data Matrix count there, never as QR false alarms', () => {
    const os = [
      outcome('pdf417.png', { barcode: true }, [code('qr_code', 'PDF417')]),
      outcome('aztec.png', { barcode: true }, [code('qr_code', 'Aztec')]),
      outcome('ean.png', { barcode: true }, [code('barcode', 'EAN13')]),
      outcome('micro.png', { qr: true }, [code('qr_code', 'MicroQRCode')]),
      outcome('blinds.png', {}, [code('barcode', 'ITF')]),
    ];
    expect(counts(rowOf(os, 'qr'))).toEqual({ expected: 1, found: 1, clean: 4, falseAlarms: 0 });
    expect(counts(rowOf(os, 'barcode'))).toEqual({ expected: 3, found: 3, clean: 2, falseAlarms: 1 });
    expect(rowOf(os, 'barcode').falseAlarmFiles).toEqual(['blinds.png']);
  });

  it('an MRZ whose printed digits are wrong is expected found but not confirmed, and has its own row', () => {
    const valid = f('mrz', { certainty: 'confirmed', details: { checkDigitsValid: true } });
    const unparsed = f('mrz', { details: { checkDigitsValid: false } });
    const os = [
      outcome('good-read.png', { mrz: true, mrz_check_digits_valid: true }, [valid]),
      outcome('good-unread.png', { mrz: true }, [unparsed]),
      outcome('good-missed.png', { mrz: true }, []),
      outcome('malta-found.png', { mrz: true, mrz_check_digits_valid: false }, [unparsed]),
      outcome('cmw-confirmed.png', { mrz: true, mrz_check_digits_valid: false }, [valid]),
    ];
    expect(counts(rowOf(os, 'mrz'))).toEqual({ expected: 5, found: 4, clean: 0, falseAlarms: 0 });
    expect(counts(rowOf(os, 'mrz_parsed'))).toEqual({ expected: 3, found: 1, clean: 2, falseAlarms: 1 });
    expect(rowOf(os, 'mrz_parsed').falseAlarmFiles).toEqual(['cmw-confirmed.png']);
    expect(counts(rowOf(os, 'mrz_unconfirmed'))).toEqual({ expected: 2, found: 1, clean: 0, falseAlarms: 0 });
  });

  it('faces: photos found, false alarms on photos without people, counted faces loosely for a crowd', () => {
    const faces = (n: number): Finding[] => Array.from({ length: n }, () => f('face'));
    const os = [
      outcome('group.jpg', { faces: 3 }, faces(2)),
      outcome('crowd.jpg', { faces: 25, faces_approx: true }, faces(22)),
      outcome('pair.jpg', { faces: 2 }, faces(4)),
      outcome('scream.jpg', {}, faces(1)),
      outcome('cup.png', {}, []),
    ];
    expect(counts(rowOf(os, 'faces'))).toEqual({ expected: 3, found: 3, clean: 2, falseAlarms: 1 });
    expect(counts(rowOf(os, 'face_count'))).toEqual({ expected: 3, found: 1, clean: 0, falseAlarms: 0 });
    // 2 + 25 + 2 of 3 + 25 + 2; extra boxes: 2 on pair.jpg, 1 on scream.jpg.
    expect(counts(rowOf(os, 'faces_counted'))).toEqual({ expected: 30, found: 29, clean: 0, falseAlarms: 3 });
  });

  it('possible minors: false alarms are adults flagged', () => {
    const os = [
      outcome('child.jpg', { faces: 1, child_present: true }, [f('face'), f('possible_minor')]),
      outcome('adult.jpg', { faces: 1 }, [f('face'), f('possible_minor')]),
      outcome('adults.jpg', { faces: 3 }, [f('face')]),
      outcome('cup.png', {}, []),
    ];
    expect(counts(rowOf(os, 'possible_minor'))).toEqual({ expected: 1, found: 1, clean: 2, falseAlarms: 1 });
  });

  it('ID documents: found, right type from the label, none on the hard negatives', () => {
    const id = (type: string): Finding => f('id_document', { details: { documentType: type } });
    const os = [
      outcome('images/id_passport_x.png', { id_document: true, mrz: true }, [id('passport')]),
      outcome('images/id_residence-permit_x.png', { id_document: true, mrz: true }, [id('identity card')]),
      outcome('images/id_driver-licence_x.jpg', { id_document: true }, [
        f('id_document', { details: { type: 'driving licence' } }),
      ]),
      outcome('images/id_card_x.png', { id_document: true }, []),
      outcome('images/negative_sign.jpg', {}, [id('identity card')], { category: 'negatives' }),
      outcome('images/pii_payslip.jpg', { pii_text: ['person_name'] }, [id('identity card')], {
        category: 'pii_text',
      }),
    ];
    expect(counts(rowOf(os, 'id_document'))).toEqual({ expected: 4, found: 3, clean: 2, falseAlarms: 2 });
    expect(counts(rowOf(os, 'id_document_type'))).toEqual({
      expected: 4,
      found: 2,
      clean: 0,
      falseAlarms: 0,
    });
    expect(counts(rowOf(os, 'id_document_negatives'))).toEqual({
      expected: 0,
      found: 0,
      clean: 1,
      falseAlarms: 1,
    });
  });

  it('payment cards by category, card numbers by label; work documents with false alarms on negatives', () => {
    const os = [
      outcome('card1.png', { pii_text: ['card_number'] }, [f('payment_card'), f('card_number')], {
        category: 'payment_cards',
      }),
      outcome('card2.png', { pii_text: ['card_number'] }, [], { category: 'payment_cards' }),
      outcome('shot.png', { pii_text: ['card_number'] }, [f('card_number')], { category: 'pii_text' }),
      outcome('slides.png', { work_document: true }, [f('screen', { details: { work: 'slides' } })], {
        category: 'work_documents',
      }),
      outcome('board.jpg', { work_document: true }, [f('document')], { category: 'work_documents' }),
      outcome('book.png', { work_document: false }, [f('work_document')], { category: 'negatives' }),
      outcome('cv.jpg', { work_document: false }, [f('work_document')], { category: 'pii_text' }),
    ];
    expect(counts(rowOf(os, 'payment_card'))).toEqual({ expected: 2, found: 1, clean: 5, falseAlarms: 0 });
    expect(counts(rowOf(os, 'card_number'))).toEqual({ expected: 3, found: 2, clean: 4, falseAlarms: 0 });
    expect(counts(rowOf(os, 'work_document'))).toEqual({ expected: 2, found: 1, clean: 5, falseAlarms: 2 });
    expect(counts(rowOf(os, 'work_document_negatives'))).toEqual({
      expected: 0,
      found: 0,
      clean: 1,
      falseAlarms: 1,
    });
  });

  it('text kinds one by one, and phone/address/date of birth on images labelled with none of them', () => {
    const os = [
      outcome('bc.jpg', { pii_text: ['person_name', 'phone'] }, [f('phone'), f('address')]),
      outcome('sign.jpg', {}, [f('phone')]),
      outcome('label.jpg', {}, [f('date_of_birth'), f('address')]),
      outcome('cup.png', {}, [f('email')]),
      outcome('page.png', {}, []),
    ];
    expect(counts(rowOf(os, 'phone'))).toEqual({ expected: 1, found: 1, clean: 4, falseAlarms: 1 });
    expect(counts(rowOf(os, 'person_name'))).toEqual({ expected: 1, found: 0, clean: 4, falseAlarms: 0 });
    expect(counts(rowOf(os, 'address'))).toEqual({ expected: 0, found: 0, clean: 5, falseAlarms: 2 });
    expect(counts(rowOf(os, 'clean_text'))).toEqual({ expected: 0, found: 0, clean: 4, falseAlarms: 2 });
    expect(rowOf(os, 'clean_text').falseAlarmFiles).toEqual(['sign.jpg', 'label.jpg']);
  });

  it('payloads by value, each labelled one once', () => {
    const os = [
      outcome(
        'receipt.jpg',
        {
          qr: true,
          barcode: true,
          qr_payloads: ['I love paperwork! - Said no one ever', 'hello'],
          barcode_payload: 'CODE-128:Mindee',
        },
        [
          code('qr_code', 'QRCode', { payload: 'text', length: 36 }),
          code('barcode', 'Code128', { payload: 'identifier', length: 6 }),
        ],
      ),
    ];
    expect(counts(rowOf(os, 'payloads'))).toEqual({ expected: 3, found: 2, clean: 0, falseAlarms: 0 });
  });

  it('a refused image misses its labels and raises no false alarm; incomplete checks are counted', () => {
    const s = scoreEvaluation([
      outcome('broken.jpg', { faces: 1, has_gps: true }, [f('face'), f('gps')], { error: 'corrupt_image' }),
      outcome('a.jpg', {}, [], {
        checks: [
          { name: 'text', status: 'timeout' },
          { name: 'faces', status: 'ok' },
        ],
      }),
    ]);
    expect(s.errors).toEqual([{ file: 'broken.jpg', error: 'corrupt_image' }]);
    expect(s.checkFailures).toEqual({ text: { failed: 0, timeout: 1 } });
    const gps = s.rows.find((r) => r.id === 'gps')!;
    expect(counts(gps)).toEqual({ expected: 1, found: 0, clean: 1, falseAlarms: 0 });
  });

  it('after cleaning: copies whose re-scan still finds a covered kind, ignoring uncovered product barcodes', () => {
    const s = scoreEvaluation([
      outcome('group.jpg', { faces: 3 }, [f('face')], { residual: [f('face')] }),
      outcome('card.png', { pii_text: ['email'] }, [f('email')], { residual: [] }),
      outcome('ean.png', { barcode: true }, [code('barcode', 'EAN13')], {
        residual: [code('barcode', 'EAN13')],
      }),
      outcome('qr.png', { qr: true }, [code('qr_code', 'QRCode', {})], {
        residual: [f('qr_code', { redact: 'fill' })],
      }),
    ]);
    expect(s.residual.sanitized).toBe(4);
    expect(s.residual.groups.face).toMatchObject({ inOriginal: 1, stillDetected: 1, files: ['group.jpg'] });
    expect(s.residual.groups.text).toMatchObject({ inOriginal: 1, stillDetected: 0 });
    expect(s.residual.groups.code).toMatchObject({ stillDetected: 1, files: ['qr.png'] });
    expect(isResidualLeak('text', f('id_document', { details: { leftover: true, lines: 2 } }))).toBe(true);
    expect(isResidualLeak('text', f('id_document'))).toBe(false);
    expect(isResidualLeak('code', f('barcode'))).toBe(false);
    expect(isResidualLeak('code', f('barcode', { redact: 'fill' }))).toBe(true);
  });
});

describe('rendering', () => {
  it('lays tables out exactly as prettier does, so a written README passes the format check', async () => {
    const os = [
      outcome('group.jpg', { faces: 3 }, [f('face')]),
      outcome('scream.jpg', {}, [f('face')]),
      outcome('qr.png', { qr: true, qr_payload: 'hello' }, [
        code('qr_code', 'QRCode', { payload: 'text', length: 5 }),
      ]),
    ];
    const md = renderRows(scoreEvaluation(os).rows);
    expect(md).toContain('| Photos with faces');
    expect(md).toMatch(/\| Photos with faces\s+\|\s+1 \/ 1 \|\s+100 % \|\s+1 of 2 \|/);
    expect(md).toMatch(/\| Code payloads read \(by value\)\s+\|\s+1 \/ 1 payloads \|/);
    expect(await format(md, { parser: 'markdown' })).toBe(`${md}\n`);
    const wide = renderTable(
      ['Stage', 'é × ms'],
      [
        ['decode', '43 / 50'],
        ['total ÷ floor', '17.1×'],
      ],
    );
    expect(await format(wide, { parser: 'markdown' })).toBe(`${wide}\n`);
  });

  it('writes a README block between its markers, leaves the rest alone, and writing twice changes nothing', () => {
    const readme = '# Title\n\nintro\n\n<!-- eval:start -->\nold figures\n<!-- eval:end -->\n\n## After\n';
    const once = replaceBlock(readme, 'eval', 'new figures\n');
    expect(once).toBe(
      '# Title\n\nintro\n\n<!-- eval:start -->\n\nnew figures\n\n<!-- eval:end -->\n\n## After\n',
    );
    expect(replaceBlock(once, 'eval', 'new figures\n')).toBe(once);
    expect(replaceBlock(replaceBlock(once, 'eval', 'other'), 'eval', 'new figures')).toBe(once);
    expect(() => replaceBlock(once, 'bench', 'x')).toThrow(/bench:start/);
  });

  it('the accuracy block names the commit, the date, the deadlines and says the figures are in-sample', () => {
    const score = scoreEvaluation([outcome('group.jpg', { faces: 3 }, [f('face')])]);
    const run = {
      version: 2,
      folder: 'tests/fixtures/images',
      labels: 'tests/fixtures/manifest.json',
      shared: 0,
      commit: 'cea3203a'.padEnd(40, '0'),
      dirty: false,
      startedAt: '2026-12-02T14:02:46.000Z',
      finishedAt: '2026-12-02T14:20:00.000Z',
      timeoutScale: 4,
      machine: { cpus: 2, loadBefore: [18], loadAfter: [17], node: 'v20' },
      engineStartMs: 1000,
      scanMs: { median: 1, total: 1 },
      score,
      outcomes: [],
    } satisfies EvalRun;
    const block = renderAccuracyBlock(run);
    expect(block).toContain('`cea3203`');
    expect(block).toContain('2026-12-02');
    expect(block).toContain('×4');
    expect(block).toMatch(/in-sample/);
    expect(block).toMatch(/tuned on them/);
  });
});

describe('parseManifest', () => {
  it('reads the committed dev manifest with its extra fields', () => {
    const m = parseManifest(
      JSON.parse(readFileSync(new URL('../fixtures/manifest.json', import.meta.url), 'utf8')),
    );
    expect(m).toHaveLength(109);
    expect(m.filter((e) => e.labels.has_gps)).toHaveLength(5);
    expect(m.filter((e) => e.labels.mrz_check_digits_valid === false)).toHaveLength(2);
    expect(m.filter((e) => e.labels.work_document === true)).toHaveLength(6);
    expect(m.filter((e) => e.category === 'payment_cards')).toHaveLength(7);
    expect(m.filter((e) => e.labels.id_document).every((e) => toExpectedIdType(e) !== undefined)).toBe(true);
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
