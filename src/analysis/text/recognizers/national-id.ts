// National identity numbers that carry a check we can verify:
// France (NIR, key mod 97), Spain (DNI/NIE, letter mod 23), Belgium (national number, mod 97),
// Lithuania and Estonia (personal code, weighted mod 11). Unverifiable formats are not reported, but
// for the US SSN (no check digit): after its label, or in its dashed form with an issued area.
import { maskTail } from '../../../mask.ts';
import type { TextMatch } from './match.ts';

// 1 85 01 75 123 456 78 — sex, year, month, department (2A/2B for Corsica), commune, order, key.
const NIR =
  /(?<![\dA-Za-z])([12378])[ .]?(\d{2})[ .]?(0[1-9]|1[0-2]|[2-9]\d)[ .]?(\d{2}|2[AB])[ .]?(\d{3})[ .]?(\d{3})[ .]?(\d{2})(?![\dA-Za-z])/gi;
const DNI = /(?<![\dA-Za-z])([XYZ]?)[ -]?(\d{7,8})[ -]?([A-Z])(?![\dA-Za-z])/g;
const BE_NN = /(?<![\dA-Za-z])(\d{2})[ .]?(\d{2})[ .]?(\d{2})[ .-]?(\d{3})[ .-]?(\d{2})(?![\dA-Za-z])/g;
// US social security number: after its label (OCR may glue it to the text before and drop a digit of a
// repeated run), or on its own in the dashed 3-2-4 form.
const SSN_LABELLED =
  /(?<![\p{Ll}])(?:SSN|SOCIAL SECURITY (?:NO\.?|NUMBER|#))[ ]?[:#]?[ ]?(\d{2,5}[- ]?\d{2,5}[- ]?\d{2,5})(?!\d)/giu;
// French social security number after its label ("N° Sécurité Sociale", "N° SS", "NIR"): 13 digits and
// a 2-digit key in any grouping; a key that does not verify is still the holder's number (a specimen or
// one misread digit), so likely rather than confirmed.
const NIR_LABELLED =
  /(?<![\p{L}])(?:N[°o]?\.?[ ]?(?:de[ ])?S[ée]curit[ée][ ]Sociale|N[°o]\.?[ ]?SS|NIR)[ ]?[:.]?[ ]?((?:\d[ .]?){14}\d)(?![\d])/giu;
const SSN_DASHED = /(?<![\d-])(\d{3})-(\d{2})-(\d{4})(?![\d-])/g;
const BALTIC = /(?<![\dA-Za-z])([1-6]\d{10})(?![\dA-Za-z])/g;

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';

function mod97(digits: string): number {
  let rem = 0;
  for (const d of digits) rem = (rem * 10 + (d.charCodeAt(0) - 48)) % 97;
  return rem;
}

/** French NIR (numéro de sécurité sociale): 13 characters + a 2-digit key. */
export function isNirValid(nir: string): boolean {
  const s = nir.replace(/[\s.]/g, '').toUpperCase();
  if (!/^[12378]\d{4}(\d{2}|2[AB])\d{6}\d{2}$/.test(s)) return false;
  const body = s.slice(0, 13).replace('2A', '19').replace('2B', '18');
  const key = Number(s.slice(13));
  return 97 - mod97(body) === key;
}

/** Spanish DNI (8 digits + letter) or NIE (X/Y/Z + 7 digits + letter). */
export function isDniValid(id: string): boolean {
  const s = id.replace(/[\s-]/g, '').toUpperCase();
  const m = /^([XYZ]?)(\d{7,8})([A-Z])$/.exec(s);
  if (!m) return false;
  const prefix = m[1] ?? '';
  const digits = m[2] ?? '';
  if (prefix === '' ? digits.length !== 8 : digits.length !== 7) return false;
  const n = Number((prefix === '' ? '' : String('XYZ'.indexOf(prefix))) + digits);
  return DNI_LETTERS[n % 23] === m[3];
}

function isDate(yy: string, mm: string, dd: string): boolean {
  const m = Number(mm);
  const d = Number(dd);
  return Number.isInteger(Number(yy)) && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/** Belgian national register number: YYMMDD + 3-digit order + 2-digit mod-97 check (1900s or 2000s). */
export function isBelgianNationalNumberValid(id: string): boolean {
  const s = id.replace(/[\s.-]/g, '');
  if (!/^\d{11}$/.test(s)) return false;
  if (!isDate(s.slice(0, 2), s.slice(2, 4), s.slice(4, 6))) return false;
  const body = s.slice(0, 9);
  const check = Number(s.slice(9));
  return 97 - mod97(body) === check || 97 - mod97(`2${body}`) === check;
}

/** Lithuanian / Estonian personal code: G YYMMDD NNN C with the two-pass weighted mod-11 check. */
export function isBalticPersonalCodeValid(id: string): boolean {
  const s = id.replace(/\s/g, '');
  if (!/^[1-6]\d{10}$/.test(s)) return false;
  if (!isDate(s.slice(1, 3), s.slice(3, 5), s.slice(5, 7))) return false;
  const d = [...s].map(Number);
  const sum = (w: number[]): number => w.reduce((acc, wi, i) => acc + wi * (d[i] ?? 0), 0);
  let c = sum([1, 2, 3, 4, 5, 6, 7, 8, 9, 1]) % 11;
  if (c === 10) {
    c = sum([3, 4, 5, 6, 7, 8, 9, 1, 2, 3]) % 11;
    if (c === 10) c = 0;
  }
  return c === d[10];
}

/** A US SSN as issued: area not 000, 666 or 9xx, group not 00, serial not 0000. */
export function isSsnShapeValid(ssn: string): boolean {
  const m = /^(\d{3})-?(\d{2})-?(\d{4})$/.exec(ssn.replace(/ /g, '-'));
  if (!m) return false;
  const [area, group, serial] = [m[1] ?? '', m[2] ?? '', m[3] ?? ''];
  return area !== '000' && area !== '666' && !area.startsWith('9') && group !== '00' && serial !== '0000';
}

function toMatch(
  start: number,
  text: string,
  country: string,
  label: string,
  certainty: TextMatch['certainty'],
  checksum = true,
): TextMatch {
  const masked = maskTail(text, 2);
  return {
    kind: 'national_id',
    certainty,
    ranges: [{ start, end: start + text.length }],
    summary: `${label} ${masked}`,
    details: { country, checksum, masked },
  };
}

export function findNationalIds(text: string): TextMatch[] {
  const out: TextMatch[] = [];
  for (const m of text.matchAll(NIR))
    if (isNirValid(m[0]))
      out.push(toMatch(m.index, m[0], 'FR', 'French social security number (NIR)', 'confirmed'));
  for (const m of text.matchAll(NIR_LABELLED)) {
    const value = m[1] ?? '';
    const start = m.index + m[0].length - value.length;
    if (!out.some((o) => o.ranges[0]?.start === start))
      out.push(toMatch(start, value, 'FR', 'French social security number (NIR)', 'likely'));
  }
  for (const m of text.matchAll(DNI))
    if (isDniValid(m[0])) out.push(toMatch(m.index, m[0], 'ES', 'Spanish identity number', 'confirmed'));
  for (const m of text.matchAll(BE_NN))
    if (isBelgianNationalNumberValid(m[0]))
      out.push(toMatch(m.index, m[0], 'BE', 'Belgian national number', 'likely'));
  for (const m of text.matchAll(BALTIC))
    if (isBalticPersonalCodeValid(m[0])) out.push(toMatch(m.index, m[0], 'LT', 'personal code', 'likely'));
  for (const m of text.matchAll(SSN_LABELLED)) {
    const value = m[1] ?? '';
    const digits = value.replace(/\D/g, '').length;
    if (digits < 8 || digits > 9) continue;
    const start = m.index + m[0].length - value.length;
    out.push(toMatch(start, value, 'US', 'US social security number', 'likely', false));
  }
  for (const m of text.matchAll(SSN_DASHED))
    if (isSsnShapeValid(m[0]) && !out.some((o) => o.ranges[0]?.start === m.index))
      out.push(toMatch(m.index, m[0], 'US', 'US social security number', 'possible', false));
  return out;
}
