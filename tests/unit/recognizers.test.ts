import { describe, expect, it } from 'vitest';
import { findAddresses } from '../../src/analysis/text/recognizers/address.ts';
import { findCardNumbers, isLuhnValid } from '../../src/analysis/text/recognizers/card.ts';
import { findDatesOfBirth } from '../../src/analysis/text/recognizers/date-of-birth.ts';
import { findEmails } from '../../src/analysis/text/recognizers/email.ts';
import { findIbans, isIbanValid } from '../../src/analysis/text/recognizers/iban.ts';
import { findIdDocuments } from '../../src/analysis/text/recognizers/id-document.ts';
import type { TextMatch } from '../../src/analysis/text/recognizers/match.ts';
import { toTextSeverity } from '../../src/analysis/text/recognizers/match.ts';
import { findMrz, readMrz, toMrzLine } from '../../src/analysis/text/recognizers/mrz.ts';
import {
  findNationalIds,
  isBalticPersonalCodeValid,
  isBelgianNationalNumberValid,
  isDniValid,
  isNirValid,
} from '../../src/analysis/text/recognizers/national-id.ts';
import { findPersonNames } from '../../src/analysis/text/recognizers/person-name.ts';
import { findPhones } from '../../src/analysis/text/recognizers/phone.ts';
import { findSensitiveText } from '../../src/analysis/text/recognizers/sensitive-text.ts';

/** The covered text of each match, joined with "|" per range. */
const covered = (text: string, ms: TextMatch[]): string[] =>
  ms.map((m) => m.ranges.map((r) => text.slice(r.start, r.end)).join('|'));

describe('e-mail', () => {
  it.each([
    ['write to jean.dupont@example.fr today', 'jean.dupont@example.fr', 'e-mail j***@e***.fr'],
    ['amorin@remoteglobalconsulting.com', 'amorin@remoteglobalconsulting.com', 'e-mail a***@r***.com'],
    ['My email is aarav@presidio.site and', 'aarav@presidio.site', 'e-mail a***@p***.site'],
    ['OCR: john.smith @ mail.co.uk.', 'john.smith @ mail.co.uk', 'e-mail j***@m***.uk'],
    ['Contact omar _rossi@example.com', 'omar _rossi@example.com', 'e-mail o***@e***.com'],
  ])('finds %j', (text, value, summary) => {
    const ms = findEmails(text);
    expect(covered(text, ms)).toEqual([value]);
    expect(ms[0]?.summary).toBe(summary);
    expect(ms[0]?.summary).not.toContain(value);
    expect(`e-mail ${String(ms[0]?.details?.masked)}`).toBe(summary);
  });
  it.each(['<EMAIL_ADDRESS>', 'a @ b', 'user@localhost', 'price 3@5.00'])('ignores %j', (text) => {
    expect(findEmails(text)).toEqual([]);
  });
});

describe('phone', () => {
  it.each([
    ['Tél : 06 12 34 56 78', '06 12 34 56 78', 'FR'],
    ['tel 01.42.68.53.00', '01.42.68.53.00', 'FR'],
    ['+33 6 12 34 56 78', '+33 6 12 34 56 78', 'FR'],
    ['0033 1 42 68 53 00', '0033 1 42 68 53 00', 'FR'],
    ['+44 20 7946 0958', '+44 20 7946 0958', 'GB'],
    ['+49 30 901820', '+49 30 901820', 'DE'],
    ['call (401) 555-5555', '(401) 555-5555', 'US'],
    ['a 8 4015555555 mem', '4015555555', 'US'],
    ['+1 212 565 8770', '+1 212 565 8770', 'US'],
  ])('finds %j', (text, value, country) => {
    const ms = findPhones(text);
    expect(covered(text, ms)).toEqual([value]);
    expect(ms[0]?.details?.country).toBe(country);
    const tail = value.replace(/\D/g, '').slice(-2);
    expect(ms[0]?.summary).toBe(`phone number ****${tail}`);
    expect(ms[0]?.details?.masked).toBe(`****${tail}`);
  });
  it.each([
    'Notruf 112',
    '62-42 § 0-1',
    'Tavolo 30 Conto 01',
    '0080 13:37',
    'Total 1234',
    '13335 00040 08932891361 06',
  ])('ignores %j', (text) => expect(findPhones(text)).toEqual([]));
});

describe('payment card', () => {
  it.each([
    ['4095-2609-9393-4932', 'visa', '4932'],
    ['4242 4242 4242 4242', 'visa', '4242'],
    ['5555555555554444', 'mastercard', '4444'],
    ['3782 822463 10005', 'amex', '0005'],
  ])('confirms %j (Luhn)', (text, brand, last4) => {
    const ms = findCardNumbers(`card: ${text}.`);
    expect(ms).toHaveLength(1);
    expect(ms[0]).toMatchObject({
      certainty: 'confirmed',
      summary: `card number ****${last4}`,
      details: { brand, last4, masked: `****${last4}` },
    });
  });
  it.each(['4095-2609-9393-4933', '4242 4242 4242 4241', '1234 5678 9012 3456', '0000 0000 0000 0000'])(
    'rejects %j (not a card)',
    (text) => expect(findCardNumbers(text)).toEqual([]),
  );
  it('Luhn', () => {
    expect(isLuhnValid('79927398713')).toBe(true);
    expect(isLuhnValid('79927398710')).toBe(false);
  });
});

describe('IBAN', () => {
  it.each([
    [
      'IBAN FR76 1333 5000 4008 9328 9136 106 BIC CEPAFRPP333',
      'FR76 1333 5000 4008 9328 9136 106',
      'confirmed',
      'FR****6106',
    ],
    ['FRI6 1333 5000 4008 9328 9136 106', 'FRI6 1333 5000 4008 9328 9136 106', 'confirmed', 'FR****6106'],
    ['DE89 3704 0044 0532 0130 00', 'DE89 3704 0044 0532 0130 00', 'confirmed', 'DE****3000'],
    [
      '[ FR76 1333 5000 4008 9328 | 9136 [ 106 [',
      'FR76 1333 5000 4008 9328 | 9136 [ 106',
      'confirmed',
      'FR****6106',
    ],
    ['GB82WEST12345698765432', 'GB82WEST12345698765432', 'confirmed', 'GB****5432'],
    ['FR77 1333 5000 4008 9328 9136 106', 'FR77 1333 5000 4008 9328 9136 106', 'possible', 'FR****6106'],
  ])('reads %j', (text, value, certainty, masked) => {
    const ms = findIbans(text);
    expect(covered(text, ms)).toEqual([value]);
    expect(ms[0]?.certainty).toBe(certainty);
    expect(ms[0]?.summary).toBe(`IBAN ${masked}`);
    expect(ms[0]?.details?.masked).toBe(masked);
  });
  it('checks mod 97', () => {
    expect(isIbanValid('FR7613335000400893289136106')).toBe(true);
    expect(isIbanValid('FR7613335000400893289136107')).toBe(false);
    expect(isIbanValid('FR761333500040089328913610')).toBe(false); // wrong length
  });
  it.each(['ABCD EFGH IJKL MNOP', 'XX12 3456 7890 1234 5678', 'FRXX 1333 5000 4008 9328 9136 106'])(
    'ignores %j',
    (t) => expect(findIbans(t)).toEqual([]),
  );
});

describe('national ids', () => {
  it.each([
    [isNirValid, '1 85 01 75 123 456 09', true],
    [isNirValid, '1 85 01 75 123 456 08', false],
    [isNirValid, '2 69 05 2A 123 456 88', true],
    [isDniValid, '12345678Z', true],
    [isDniValid, '12345678A', false],
    [isDniValid, 'X1234567L', true],
    [isBelgianNationalNumberValid, '85.07.30-033.28', true],
    [isBelgianNationalNumberValid, '85.07.30-033.29', false],
    [isBalticPersonalCodeValid, '46411231034', true],
    [isBalticPersonalCodeValid, '46411231035', false],
  ] as const)('%o(%j) = %j', (fn, value, ok) => expect(fn(value)).toBe(ok));
  it('finds and masks a NIR', () => {
    const text = 'N° SS : 1 85 01 75 123 456 09';
    const ms = findNationalIds(text);
    expect(covered(text, ms)).toEqual(['1 85 01 75 123 456 09']);
    expect(ms[0]).toMatchObject({ certainty: 'confirmed', details: { country: 'FR', masked: '****09' } });
    expect(ms[0]?.summary).toMatch(/ \*\*\*\*09$/);
    expect(ms[0]?.summary).not.toContain('123 456');
  });
  it('ignores numbers whose key is wrong', () =>
    expect(findNationalIds('1 85 01 75 123 456 08')).toEqual([]));
});

// ICAO 9303 specimens (Part 4–6) and the two fixture documents.
const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const TD2 = ['I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'D231458907UTO7408122F1204159<<<<<<<6'];
const TD1 = [
  'I<UTOD231458907<<<<<<<<<<<<<<<',
  '7408122F1204159UTO<<<<<<<<<<<6',
  'ERIKSSON<<ANNA<MARIA<<<<<<<<<<',
];
const CANADA = [
  'P<CANMARTIN<<SARAH<<<<<<<<<<<<<<<<<<<<<<<<<<',
  'ZE000509<9CAN8501019F2301147<<<<<<<<<<<<<<08',
];
const LITHUANIA = [
  'I<LTU11810187<346411231034<<<<',
  '6411231F1901012LTU<<<<<<<<<<<9',
  'BASANAVICIENE<<BIRUTE<<<<<<<<<',
];
const corrupt = (lines: string[], line: number, col: number): string[] =>
  lines.map((l, i) => (i === line ? l.slice(0, col) + (l[col] === '1' ? '2' : '1') + l.slice(col + 1) : l));

describe('MRZ', () => {
  it.each([
    ['TD3', TD3, 'P', 'UTO'],
    ['TD2', TD2, 'I', 'UTO'],
    ['TD1', TD1, 'I', 'UTO'],
    ['TD3', CANADA, 'P', 'CAN'],
    ['TD1', LITHUANIA, 'I', 'LTU'],
  ])('parses %s %j with valid check digits', (format, lines, code, state) => {
    const text = ['Some header', ...lines, ''].join('\n');
    const ms = findMrz(text);
    expect(ms).toHaveLength(1);
    expect(ms[0]).toMatchObject({
      kind: 'mrz',
      certainty: 'confirmed',
      details: { format, documentCode: code, issuingState: state, checkDigitsValid: true },
    });
    // The whole band: every MRZ line is covered.
    expect(covered(text, ms)).toEqual([lines.join('|')]);
    expect(ms[0]?.summary).not.toMatch(/ERIKSSON|MARTIN|BASANAVICIENE/);
  });
  it.each([
    ['TD3 birth date check', TD3, 1, 19],
    ['TD2 document number', TD2, 1, 3],
    ['TD1 composite', TD1, 1, 29],
    ['TD3 expiry date', CANADA, 1, 22],
  ])('corrupted %s: still an MRZ, not confirmed', (_n, lines, line, col) => {
    const bad = corrupt(lines, line, col);
    const ms = findMrz(bad.join('\n'));
    expect(ms.length).toBeGreaterThan(0);
    expect(ms[0]?.certainty).not.toBe('confirmed');
    expect(ms[0]?.details?.checkDigitsValid).toBe(false);
  });
  it('undoes OCR misreads: «, spaces and K/C/L read for <', () => {
    expect(toMrzLine('P<CAN MARTIN«SARAH<<<<K<<<<')).toBe('P<CANMARTIN<<SARAH<<<<<<<<<');
    const ocr = [
      'P<CANMARTIN«SARAH<<<<<<<<<<<<<<<<<<<<<<<<<K<',
      'ZE000509<9CAN8501019F2301147<<<<<<<<<C<<<<<08',
    ];
    const reads = readMrz(ocr.join('\n'));
    expect(reads[0]).toMatchObject({
      format: 'TD3',
      valid: true,
      documentNumber: 'ZE000509',
      birthDate: '850101',
    });
  });
  it.each([
    ['6411231F1901012LTUCCCCCCCC<C<<H', '6411231F1901012LTU<<<<<<<<<<<<H'],
    ['PLEANMARTINCSSARAHCCCL<LLLLLLLLLLLLLLLLLLLLL', 'PLEANMARTINCSSARAH<<<<<<<<<<<<<<<<<<<<<<<<<<'],
    ['ERICK<<<<<<<<<<', 'ERICK<<<<<<<<<<'],
    ['RUSSELL<<MICHAEL<<<<<<<<', 'RUSSELL<<MICHAEL<<<<<<<<'],
  ])('reads filler runs in %j', (raw, line) => expect(toMrzLine(raw)).toBe(line));
  it('reads the OCR of the Canadian specimen (line 1 garbled, line 2 with D for 0)', () => {
    const ms = findMrz(
      'PLEANMARTINCSSARAHCCCL<LLLLLLLLLLLLLLLLLLLLL\nZEDOD509<9CAN8501019F2301147<<<<<<<<<<K<<<08',
    );
    expect(ms[0]).toMatchObject({ kind: 'mrz', details: { format: 'TD3', issuingState: 'CAN' } });
  });
  it('fixes one missing filler', () => {
    const short = [TD1[0]!.replace('<<<<<', '<<<<'), TD1[1]!, TD1[2]!];
    expect(readMrz(short.join('\n'))[0]?.valid).toBe(true);
  });
  it('covers an unreadable MRZ-like line as possible', () => {
    const ms = findMrz('ZEDODS509<9CANB5O1019F23O1147<<<<<<<<<LK<LL08');
    expect(ms[0]).toMatchObject({ kind: 'mrz', certainty: 'possible' });
  });
  it('ignores ordinary text', () => {
    expect(findMrz('Please cancel my credit card <CREDIT_CARD> and <EMAIL_ADDRESS>.')).toEqual([]);
  });
});

describe('id document', () => {
  it('from an MRZ: covers the MRZ band, the document number and the dates', () => {
    const text = [
      'PASSPORT PASSEPORT CANADA',
      'Passport No./N° de passeport ZE000509',
      'Date of birth 01 JAN /JAN 85',
      'Date of expiry 14 JAN /JAN 23',
      ...CANADA,
    ].join('\n');
    const ms = findIdDocuments(text);
    expect(ms).toHaveLength(1);
    expect(ms[0]).toMatchObject({
      certainty: 'confirmed',
      details: { documentType: 'passport', issuingState: 'CAN' },
    });
    const c = covered(text, ms)[0]!.split('|');
    expect(c).toEqual(expect.arrayContaining([...CANADA, 'ZE000509', '01 JAN /JAN 85', '14 JAN /JAN 23']));
  });
  it('from a title and field labels', () => {
    const text =
      "CARTE NATIONALE D'IDENTITÉ\nNom : DUPONT\nPrénom(s) : Jean\nNé(e) le : 12.03.1985\nSexe : M";
    const ms = findIdDocuments(text);
    expect(ms[0]).toMatchObject({
      kind: 'id_document',
      details: { documentType: 'identity card', mrz: false },
    });
    expect(covered(text, ms)[0]).toContain('12.03.1985');
  });
  it.each(['Passport control this way', 'Driver license renewal: see website', 'Tavolo 30 Conto 01'])(
    'ignores %j',
    (t) => expect(findIdDocuments(t)).toEqual([]),
  );
});

describe('date of birth', () => {
  it.each([
    ['Né le 12/03/1985 à Paris', '12/03/1985'],
    ['née le 1er janvier 1990', '1er janvier 1990'],
    ['Date of birth\n01 JAN /JAN 85', '01 JAN /JAN 85'],
    ['DOB: 1985-01-01', '1985-01-01'],
    ['Date de naissance : 23 11 1964', '23 11 1964'],
    ['Born on: 4 July 1976, DOB 04.07.1976', '04.07.1976'],
  ])('finds %j', (text, value) => expect(covered(text, findDatesOfBirth(text))).toEqual([value]));
  it.each(['Meeting on 12/03/2024', 'effective September 19th', 'Date of birth: <DATE_TIME>'])(
    'ignores %j',
    (t) => expect(findDatesOfBirth(t)).toEqual([]),
  );
});

describe('address', () => {
  it.each([
    ['178 Main Avenue\nProvidence, R1 02111', '178 Main Avenue|Providence, R1 02111', 'likely'],
    ['3 rue de la Paix\n75002 Paris', '3 rue de la Paix|75002 Paris', 'likely'],
    ['12 BOULEVARD ANTOINE GAUTIER 64480 USTARITZ', '12 BOULEVARD ANTOINE GAUTIER|64480 USTARITZ', 'likely'],
    ['Hauptstraße 12, Berlin', 'Hauptstraße 12', 'likely'],
    ['33000 BORDEAUX', '33000 BORDEAUX', 'possible'],
  ])('finds %j', (text, value, certainty) => {
    const ms = findAddresses(text);
    expect(covered(text, ms)).toEqual([value]);
    expect(ms[0]?.certainty).toBe(certainty);
  });
  it.each([
    'Alt Hammoor\n62-42 § 0-1',
    'Tavolo 30 Conto 01',
    'Notruf 112',
    'I live in Amherst.',
    'Page 2 of 10',
  ])('ignores %j', (t) => expect(findAddresses(t)).toEqual([]));
});

describe('person name', () => {
  it.each([
    ['My name is Aarav Navuluri and my', ['Aarav Navuluri'], ['A*** N***']],
    ['Nom : DUPONT\nPrénom : Jean', ['DUPONT', 'Jean'], ['D***', 'J***']],
    ['Surname/Nom\nMARTIN\nGiven names/Prénoms\nSARAH', ['MARTIN', 'SARAH'], ['M***', 'S***']],
    ['Name: John Smith', ['John Smith'], ['J*** S***']],
  ])('finds %j', (text, values, masked) => {
    const ms = findPersonNames(text);
    expect(covered(text, ms)).toEqual(values);
    expect(ms.map((m) => m.details?.masked)).toEqual(masked);
    expect(ms.map((m) => m.summary)).toEqual(masked.map((v) => `name ${v}`));
  });
  it.each([
    'My name is <PERSON> and my',
    'File name: report.pdf',
    'Intitulé du compte MME HEGALALDIA L ENVOL',
  ])('ignores %j', (t) => expect(findPersonNames(t)).toEqual([]));
});

describe('all recognizers together', () => {
  it('keeps the strongest reading of overlapping numbers', () => {
    const text = 'IBAN FR76 1333 5000 4008 9328 9136 106\ncard 4095-2609-9393-4932';
    const kinds = findSensitiveText(text).map((m) => m.kind);
    expect(kinds.sort()).toEqual(['card_number', 'iban']);
  });
  it('finds nothing in the placeholder panel of the screenshot', () => {
    const text =
      'Please cancel my credit card effective <DATE_TIME>. My name is <PERSON> and my credit\ncard number is <CREDIT_CARD>. My email is <EMAIL_ADDRESS> and | live in <LOCATION>.';
    expect(findSensitiveText(text)).toEqual([]);
  });
  it('severity follows DESIGN.md', () => {
    expect(
      ['id_document', 'mrz', 'national_id', 'card_number', 'iban'].map((k) => toTextSeverity(k as never)),
    ).toEqual(Array(5).fill('high'));
    expect(
      ['email', 'phone', 'address', 'date_of_birth', 'person_name', 'document', 'screen'].map((k) =>
        toTextSeverity(k as never),
      ),
    ).toEqual(Array(7).fill('medium'));
  });
});

describe('phone numbers on identity documents', () => {
  it('an unbroken digit run is a document number there, unless a phone label announces it', () => {
    const doc = 'PASSPORT\nSurname SPECIMEN\nDate of birth 25.12.1982\nNo 0612345678';
    expect(findSensitiveText(doc).filter((m) => m.kind === 'phone')).toEqual([]);
    const labelled = `${doc}\nTel 0612345678`;
    expect(findSensitiveText(labelled).filter((m) => m.kind === 'phone')).toHaveLength(1);
    // Off a document the same run is still a phone number.
    expect(findSensitiveText('call 0612345678 today').filter((m) => m.kind === 'phone')).toHaveLength(1);
  });
});
