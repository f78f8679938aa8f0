// One masking style per kind of value (src/mask.ts), shared by the text recognizers, the metadata
// analyzer and the code payloads; the renderers show the same masked value in every language.
import { describe, expect, it } from 'vitest';
import { maskEmail, maskIban, maskName, maskPhone, maskTail, toTail } from '../../src/mask.ts';

describe('maskName (people, places, network names)', () => {
  it.each([
    ['Jane Doe', 'J*** D***'],
    ['  Jane   Doe ', 'J*** D***'],
    ['DUPONT', 'D***'],
    ['jean-pierre', 'j***'],
    ['HomeNet-42', 'H***'],
    ['Émilie Zoé', 'É*** Z***'],
    ['😀 Party', '😀*** P***'],
    ['Maria de la Cruz Fernández', 'M*** d*** l*** C***'], // four words at most
    ['', '***'],
    ['   ', '***'],
  ])('%j -> %j', (value, masked) => expect(maskName(value)).toBe(masked));
});

describe('maskEmail', () => {
  it.each([
    ['jean.dupont@example.com', 'j***@e***.com'],
    ['jane.doe@example.com', 'j***@e***.com'],
    ['alice@mail.example.org', 'a***@m***.org'],
    ['john.smith @ mail.co.uk', 'j***@m***.uk'],
    ['x@localhost', 'x***@l***'],
    ['élodie@exemple.fr', 'é***@e***.fr'],
    ['@example.com', '***'],
    ['no-at-sign', '***'],
  ])('%j -> %j', (value, masked) => expect(maskEmail(value)).toBe(masked));
});

describe('maskTail (card, national id and serial numbers)', () => {
  it.each([
    ['4242 4242 4242 4242', 4, '****4242'],
    ['4095-2609-9393-4932', 4, '****4932'],
    ['F2LX81Q9ABCD', 4, '****ABCD'],
    ['1 85 01 75 123 456 09', 2, '****09'],
    ['12345678', 4, '****5678'], // half shown, half hidden: the shortest value with a tail
    ['1234567', 4, '****'], // shorter: nothing shown
    ['ABCD', 4, '****'],
    ['', 4, '****'],
  ] as const)('%j keeping %i -> %j', (value, keep, masked) => expect(maskTail(value, keep)).toBe(masked));
  it('keeps 4 by default', () => expect(maskTail('ABC123456789')).toBe('****6789'));
  it('toTail gives the raw tail (letters and digits only)', () => {
    expect(toTail('4242 4242 4242 4242', 4)).toBe('4242');
    expect(toTail('12-3', 4)).toBe('123');
  });
});

describe('maskPhone', () => {
  it.each([
    ['+33 6 12 34 56 78', '****78'],
    ['06.12.34.56.78', '****78'],
    ['+1 (212) 565-8770', '****70'],
    ['612345678', '****78'],
    ['1234', '****34'],
    ['123', '****'], // too short to show a tail
    ['', '****'],
  ])('%j -> %j', (value, masked) => expect(maskPhone(value)).toBe(masked));
});

describe('maskIban', () => {
  it.each([
    ['DE89 3704 0044 0532 0130 00', 'DE****3000'],
    ['de89370400440532013000', 'DE****3000'],
    ['FR76 1333 5000 4008 9328 9136 106', 'FR****6106'],
    ['CH4431999123000889012', 'CH****9012'],
    ['GB82 WEST 1234 5698 7654 32', 'GB****5432'],
    ['1234', '****'],
    ['', '****'],
  ])('%j -> %j', (value, masked) => expect(maskIban(value)).toBe(masked));
});
