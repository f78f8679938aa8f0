// IBANs: country code, two check digits, the national part; validated with ISO 7064 mod 97-10.
// OCR misreads check digits as letters ("FR76" -> "FRI6"); a letter in a digit position is tried
// as the digits it is commonly confused with, and only a candidate that validates is confirmed.
import { maskIban } from '../../../mask.ts';
import type { TextMatch } from './match.ts';

/** IBAN length per country (SEPA and common others). */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MA: 28,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
};

const DIGIT_LOOKALIKES: Readonly<Record<string, string[]>> = {
  O: ['0'],
  Q: ['0'],
  D: ['0'],
  I: ['1', '7'],
  L: ['1'],
  T: ['7'],
  Z: ['2'],
  S: ['5'],
  B: ['8'],
  G: ['6'],
};

// Country code + 2 check characters + groups; OCR may put single spaces anywhere between groups.
// Groups may be separated by table borders that OCR reads as "|", "[" or "]" (blanked below).
const IBAN_CANDIDATE =
  /(?<![A-Za-z0-9])([A-Z]{2})[ ]{0,3}([0-9A-Z]{2})((?:[ ]{0,3}[0-9A-Z]){11,30})(?![A-Za-z0-9])/g;

export function isIbanValid(iban: string): boolean {
  const s = iban.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(s)) return false;
  const expected = IBAN_LENGTHS[s.slice(0, 2)];
  if (expected !== undefined && s.length !== expected) return false;
  const rearranged = s.slice(4) + s.slice(0, 4);
  let rem = 0;
  for (const ch of rearranged) {
    const v = ch >= 'A' && ch <= 'Z' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) rem = (rem * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return rem === 1;
}

/** The check-digit variants to try when OCR put letters where digits belong. */
function toCheckCandidates(check: string): string[] {
  let out = [''];
  for (const ch of check) {
    const options = /\d/.test(ch) ? [ch] : (DIGIT_LOOKALIKES[ch] ?? []);
    out = out.flatMap((prefix) => options.map((o) => prefix + o));
  }
  return out;
}

/** An IBAN's print form ("FR77 1333 5000 …", the last group shorter) or an "IBAN" label on its line. */
function isPrintedAsIban(upper: string, at: number, value: string): boolean {
  const lineStart = upper.lastIndexOf('\n', at - 1) + 1;
  if (/IBAN/.test(upper.slice(lineStart, at))) return true;
  const groups = value.trim().split(/ +/);
  return (
    groups.length >= 3 &&
    groups.slice(0, -1).every((g) => g.length === 4) &&
    (groups.at(-1)?.length ?? 0) <= 4
  );
}

export function findIbans(text: string): TextMatch[] {
  const out: TextMatch[] = [];
  // Same length, so offsets still index `text`.
  const upper = text.toUpperCase().replace(/[|[\]]/g, ' ');
  const re = new RegExp(IBAN_CANDIDATE.source, 'g');
  for (let m = re.exec(upper); m !== null; m = re.exec(upper)) {
    // A rejected candidate ("IBAN FR76 …" read from "IB") must not swallow the real one.
    re.lastIndex = m.index + 1;
    const country = m[1] ?? '';
    const expected = IBAN_LENGTHS[country];
    if (expected === undefined) continue;
    let rest = (m[3] ?? '').replace(/ /g, '');
    let matchText = m[0];
    // A run of groups may continue into the next word (a BIC, a key): keep the country's length.
    if (4 + rest.length > expected) {
      let seen = 0;
      let cut = m[0].length;
      for (let i = 0; i < m[0].length; i++) {
        if (m[0][i] !== ' ') seen++;
        if (seen === expected) {
          cut = i + 1;
          break;
        }
      }
      matchText = m[0].slice(0, cut);
      rest = rest.slice(0, expected - 4);
    }
    if (4 + rest.length !== expected) continue;
    // The national part of most countries is mostly digits; require at least half.
    if ((rest.match(/\d/g) ?? []).length < rest.length / 2) continue;
    const check = m[2] ?? '';
    const candidates = toCheckCandidates(check);
    const valid = candidates.find((c) => isIbanValid(country + c + rest));
    const digitsOnly = /^\d{2}$/.test(check);
    if (!valid && !digitsOnly) continue;
    // One that fails its check is still an IBAN when printed as one: groups of four, or labelled.
    if (!valid && !isPrintedAsIban(upper, m.index, matchText)) continue;
    const masked = maskIban(country + check + rest);
    out.push({
      kind: 'iban',
      certainty: valid ? 'confirmed' : 'possible',
      ranges: [{ start: m.index, end: m.index + matchText.trimEnd().length }],
      summary: `IBAN ${masked}`,
      details: { country, checksum: valid !== undefined, masked },
    });
    re.lastIndex = m.index + matchText.length;
  }
  return out;
}
