// Phones, addresses, e-mails, SSNs, document numbers and IBANs on text as the OCR reads real
// fixtures: what a number printed under a barcode, a serial or a toll-free line is not, and the label
// and street variants (capitals, European word orders, labels in many languages) an address comes in.
import { describe, expect, it } from 'vitest';
import { findAddresses } from '../../src/analysis/text/recognizers/address.ts';
import { findDocumentNumbers } from '../../src/analysis/text/recognizers/document-number.ts';
import { findEmails } from '../../src/analysis/text/recognizers/email.ts';
import { findIbans } from '../../src/analysis/text/recognizers/iban.ts';
import {
  findLabelledAddresses,
  isAddressLabel,
} from '../../src/analysis/text/recognizers/labelled-address.ts';
import type { TextMatch } from '../../src/analysis/text/recognizers/match.ts';
import { findNationalIds, isSsnShapeValid } from '../../src/analysis/text/recognizers/national-id.ts';
import { findPhones } from '../../src/analysis/text/recognizers/phone.ts';
import { findSensitiveText } from '../../src/analysis/text/recognizers/sensitive-text.ts';

const covered = (text: string, ms: TextMatch[]): string[] =>
  ms.map((m) => m.ranges.map((r) => text.slice(r.start, r.end)).join('|'));
const kinds = (text: string): string[] => [...new Set(findSensitiveText(text).map((m) => m.kind))].sort();

describe('phone: a national number must be written as one, or labelled', () => {
  it.each([
    ['ISBN 0-8048-1663-8', 'the ISBN of a book (groups 1-4-4-1, after its label)'],
    ['45 631431967', 'UPC digits under a barcode (a French mobile would start with its trunk 0)'],
    ['8025000002 0123456789 0', 'a card serial: ten-digit runs side by side'],
    ['By phone: 1-800-342-5775', 'a toll-free line reaches a business, not a person'],
    ['Va-2 Falls Church RS 7 M 4-26 L 8122-64933L', 'a lot number glued to a letter'],
    ['121282-88882', 'a personal code in 6-5 groups'],
    ['ALLENTOWN, PA 18101-1175', 'a ZIP+4 code'],
    ['SSN: 12300-4567, phone: 215-555-2222.', 'the SSN before the label is not the phone'],
  ])('%j is not a phone (%s)', (text) => {
    expect(covered(text, findPhones(text)).filter((c) => !c.includes('215-555-2222'))).toEqual([]);
  });
  it.each([
    ['972-459-6142', '972-459-6142'],
    ['416-555-1212', '416-555-1212'],
    ['Tel: +(0)123-456-789', '(0)123-456-789'],
    ['Phone:\n0612345678', '0612345678'],
    ['Portable 6 12 34 56 78', '6 12 34 56 78'],
    ['He said phone 646-555-0123 are on fle.', '646-555-0123'],
  ])('%j is a phone', (text, value) => {
    expect(covered(text, findPhones(text))).toEqual([value]);
  });
  it('the NIR on a health card is a national number, and the card serial above it no phone', () => {
    expect(kinds("carte d'assurance maladie\n8025000002 0123456789 0\n2 69 05 49 588 157 80")).toEqual([
      'national_id',
    ]);
  });
});

describe('address: street forms', () => {
  it.each([
    ['8 1234 MAIN STREET\nSPRINGFIELD,IL 62723', '1234 MAIN STREET|SPRINGFIELD,IL 62723'],
    ['1906 LANA AVE NE\nSALEM,OR,97314', '1906 LANA AVE NE|SALEM,OR,97314'],
    ['Ljubljana,\nBeethovmova ulica 003', 'Beethovmova ulica 003'],
    ['John Doe Street 1234 Ff', 'John Doe Street 1234'],
    ['220\nTriq -8aa HKbira\nKemmuna', '220\nTriq -8aa HKbira'],
    ['UFERSTR.8', 'UFERSTR.8'],
    ['Via Roma 12, Milano', 'Via Roma 12'],
    ['AV. MARACANA, N.o 4', 'AV. MARACANA, N.o 4'],
    ['52 RUE DES FLEURS\n33500 LIBOURNE', '52 RUE DES FLEURS|33500 LIBOURNE'],
  ])('%j', (text, value) => {
    expect(covered(text, findAddresses(text))).toEqual([value]);
  });
  it.each([
    'Spring 2019 collection',
    'Chapter 12 Street life',
    'P<GBRPUDARSAN<<HENERT<<<<<<<<<<<<<<<<<<<<<<<',
    'Total 1234',
    'Tex-13 Houston RR 7 M 4-19 5-12 None IA None I 7078-€49343 CSF 40 cells',
  ])('%j is no address', (text) => expect(findAddresses(text)).toEqual([]));
});

describe('address: labelled', () => {
  it.each(['Adresse', 'ADDRESS', 'Anschrt', 'ANSCHRIFT', 'Domicilio', 'MORADA', 'Naslov', 'Wohnort'])(
    '%j is an address label',
    (w) => expect(isAddressLabel(w)).toBe(true),
  );
  it.each(['Dress', 'Addressed', 'Morning', 'Adam'])('%j is not', (w) =>
    expect(isAddressLabel(w)).toBe(false),
  );
  it.each([
    [
      'Adresse du titoluire: Le Specimen\nRUE DU SPECIMEN\nOOOOO SPECIMEN (SPE)\nI<M00029067<<<0<<<<<<<<<<<<<<<',
      'Le Specimen|RUE DU SPECIMEN|OOOOO SPECIMEN (SPE)',
    ],
    ['Anschrt\n44227 D0RTMUND', '44227 D0RTMUND'],
    ['Address (number, street, and apt. or suite no.)\nSomewhere In Milky Way', 'Somewhere In Milky Way'],
    ['Adresse / Address\n12 chemin des Vignes', '12 chemin des Vignes'],
  ])('%j', (text, value) => {
    expect(covered(text, findLabelledAddresses(text))).toEqual([value]);
  });
  it.each([
    'E-mail address: jean@example.fr',
    'Requester’s name and address (optional)',
    'Address the envelope before you post it and stamp it twice.',
    'ADRESSE\nP<FRAMARTIN<<PAUL<<<<<<<<<<<<<<<<<<<<<<<<<<<',
  ])('%j is no labelled address', (text) => expect(findLabelledAddresses(text)).toEqual([]));
});

describe('e-mail cut short by a table column', () => {
  it('"grcelee@..." is an e-mail, masked, possible', () => {
    const ms = findEmails('grcelee@... | 2020 Palmst');
    expect(covered('grcelee@... | 2020 Palmst', ms)).toEqual(['grcelee@...']);
    expect(ms[0]).toMatchObject({ certainty: 'possible', details: { truncated: true, masked: 'g***@…' } });
  });
  it.each(['@...', 'see @… below', 'price 3@...'])('%j is not', (t) =>
    expect(findEmails(t).filter((m) => m.details?.['truncated'] === true)).toEqual([]),
  );
});

describe('French social security number after its label', () => {
  it("a payslip's labelled number, its key unverified, is a national number, not a phone", () => {
    const text = 'N Sécurité Sociale 12345678901 2345 NAF 1234A SIRET 12345678901234';
    const ms = findSensitiveText(text);
    const ids = ms.filter((m) => m.kind === 'national_id');
    expect(ids.map((m) => [text.slice(m.ranges[0]!.start, m.ranges[0]!.end), m.certainty])).toEqual([
      ['12345678901 2345', 'likely'],
    ]);
    expect(ms.filter((m) => m.kind === 'phone')).toEqual([]);
  });
  it.each([
    'Sécurité Sociale - Maladie Maternité 7184.27 13,000 % -933,96',
    'Sécurité Sociale plafonnée 3 666,00 6,900 % 252,95',
    'N° Sécurité Sociale 1234567',
  ])('%j has no labelled number', (t) => {
    expect(findNationalIds(t)).toEqual([]);
  });
});

describe('US social security numbers and labelled document numbers', () => {
  it.each([
    ['PA9876543SSN222334444 PERSO', '222334444', 'likely'],
    ['SSN: 123-45-6789', '123-45-6789', 'likely'],
    ['Social security number 078-05-1120', '078-05-1120', 'likely'],
    ['ref 123-45-6789 on file', '123-45-6789', 'possible'],
  ])('%j', (text, value, certainty) => {
    const ms = findNationalIds(text).filter((m) => m.details?.['country'] === 'US');
    expect(covered(text, ms)).toEqual([value]);
    expect(ms[0]?.certainty).toBe(certainty);
    expect(ms[0]?.summary).not.toContain(value);
  });
  it.each(['666-12-3456', '912-34-5678', '123-00-4567', '2024-01-15'])('%j is no SSN', (t) => {
    expect(findNationalIds(t).filter((m) => m.details?.['country'] === 'US')).toEqual([]);
  });
  it('the issued shape', () => {
    expect(isSsnShapeValid('123-45-6789')).toBe(true);
    expect(isSsnShapeValid('000-45-6789')).toBe(false);
  });
  it.each([
    ['4d LIC No:P142-4558-7924', 'P142-4558-7924'],
    ['DL# A1234567', 'A1234567'],
    ['DLN: D12345678', 'D12345678'],
  ])('%j: a document number, never a phone', (text, value) => {
    expect(covered(text, findDocumentNumbers(text))).toEqual([value]);
    expect(findSensitiveText(text).map((m) => m.kind)).not.toContain('phone');
  });
  it.each(['CARD 12345678', 'Card # 4444-4444-4444-4444', 'DL 1234'])('%j is not', (t) =>
    expect(findDocumentNumbers(t)).toEqual([]),
  );
});

describe('IBAN: a candidate failing its check must be printed as one', () => {
  it('a spreadsheet cell run together is no IBAN', () => {
    expect(findIbans('7 EC 555AB MA 02 PA9876543SSN222334444 PERSO')).toEqual([]);
  });
  it('four-character groups or an IBAN label keep a misread one as possible', () => {
    expect(findIbans('FR77 1333 5000 4008 9328 9136 106')[0]?.certainty).toBe('possible');
    expect(findIbans('IBAN: FR7713335000400893289136106')[0]?.certainty).toBe('possible');
  });
});
