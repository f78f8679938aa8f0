// Phone numbers with libphonenumber-js (full metadata): international "+" numbers anywhere,
// national numbers read as French first, then as North American. A national number must be
// written the way that country writes phones (its trunk prefix, its digit groups) unless a phone
// label stands beside it: the digits under a barcode, a serial or an account number are not phones.
import { findPhoneNumbersInText } from 'libphonenumber-js/max';
import type { CountryCode, PhoneNumber } from 'libphonenumber-js/max';
import { maskPhone } from '../../../mask.ts';
import { isOverlapping, toLines } from './match.ts';
import type { TextMatch, TextRange } from './match.ts';

/** Words that announce a phone number. */
export const PHONE_LABEL =
  /(?<![\p{L}])(?:t[ée]l[ée]?(?:phone)?|phone|mobile|portable|cell|fax|gsm|call|appel(?:ez)?|handy|telefon[o]?)(?![\p{L}])/iu;

/** Labels of product codes: the digits after them are an ISBN, an EAN or a UPC, never a phone. */
const PRODUCT_CODE_LABEL = /(?<![\p{L}])(?:ISBN|ISSN|EAN|UPC|GTIN)(?:-?1[03])?(?![\p{L}])/iu;

/** Numbers that reach a business or a service, never a person: not reported. */
const SERVICE_TYPES = new Set(['TOLL_FREE', 'PREMIUM_RATE', 'SHARED_COST', 'UAN']);

export const DEFAULT_PHONE_COUNTRIES: readonly CountryCode[] = ['FR', 'US'];

/** Where the digit groups of `s` end, counted in digits from the end of the number. */
function toGroupEnds(s: string): Set<number> {
  const groups = s.match(/\d+/g) ?? [];
  const out = new Set<number>();
  let fromEnd = 0;
  for (let i = groups.length - 1; i > 0; i--) {
    fromEnd += groups[i]?.length ?? 0;
    out.add(fromEnd);
  }
  return out;
}

/**
 * A national number written as its country writes it: every digit of the national format (the
 * trunk "0" of a French number, all ten digits of a North American one, or a "1" before them in
 * its own group), and digit groups that fall where the national format puts them (or none at all).
 */
export function isNationallyWritten(raw: string, n: PhoneNumber): boolean {
  const national = n.formatNational();
  const want = national.replace(/\D/g, '');
  const groups = raw.match(/\d+/g) ?? [];
  let digits = groups.join('');
  let written = raw;
  if (digits !== want && groups.length > 1 && groups[0] === '1' && digits === `1${want}`) {
    digits = want;
    written = raw.replace(/^\D*1/, '');
  }
  if (digits !== want) return false;
  const allowed = toGroupEnds(national);
  return [...toGroupEnds(written)].every((e) => allowed.has(e));
}

/** True when the number touches a letter or sits between other long digit groups (a serial, a code). */
function isPartOfLongerCode(line: string, start: number, end: number): boolean {
  const before = line.slice(0, start);
  const after = line.slice(end);
  if (/[\p{L}]$/u.test(before) || /^[\p{L}]/u.test(after)) return true;
  return /\d{3,}[ ]?$/.test(before) || /^[ ]?\d{3,}/.test(after);
}

/** A phone label in `before`, after the last number in it (a label belongs to the value it precedes). */
function isLabelledBefore(before: string): boolean {
  const m = /\d(?!.*\d)/su.exec(before);
  return PHONE_LABEL.test(m ? before.slice(m.index + 1) : before);
}

export function findPhones(
  text: string,
  countries: readonly CountryCode[] = DEFAULT_PHONE_COUNTRIES,
): TextMatch[] {
  const out: TextMatch[] = [];
  const taken: TextRange[] = [];
  const lines = toLines(text);
  // Line by line, so a number never joins digits from two lines.
  lines.forEach((line, li) => {
    if (!/\d{2}/.test(line.text)) return;
    // A label on the line above (ending it, the value below), or before the number on its line.
    const labelAbove = new RegExp(`${PHONE_LABEL.source}\\s*[:.]?\\s*$`, 'iu').test(
      lines[li - 1]?.text ?? '',
    );
    for (const country of countries) {
      for (const found of findPhoneNumbersInText(line.text, { defaultCountry: country })) {
        const range = { start: line.start + found.startsAt, end: line.start + found.endsAt };
        if (taken.some((t) => isOverlapping(t, range))) continue;
        const n = found.number;
        if (!n.isValid()) continue;
        const raw = line.text.slice(found.startsAt, found.endsAt);
        // At least 8 digits as written: short codes and house-number ranges are not phones.
        if ((raw.match(/\d/g) ?? []).length < 8) continue;
        const type = n.getType();
        if (type && SERVICE_TYPES.has(type)) continue;
        if (PRODUCT_CODE_LABEL.test(line.text.slice(0, found.startsAt))) continue;
        const international = /^\s*(?:\+|00)/.test(raw);
        const labelled = labelAbove || isLabelledBefore(line.text.slice(0, found.startsAt));
        if (!international && !labelled) {
          if (!isNationallyWritten(raw, n)) continue;
          if (isPartOfLongerCode(line.text, found.startsAt, found.endsAt)) continue;
        }
        taken.push(range);
        const masked = maskPhone(n.nationalNumber);
        out.push({
          kind: 'phone',
          certainty: 'likely',
          ranges: [range],
          summary: `phone number ${masked}`,
          details: {
            masked,
            ...(n.country ? { country: n.country } : {}),
            ...(type ? { type } : {}),
            international,
          },
        });
      }
    }
  });
  return out.sort((a, b) => (a.ranges[0]?.start ?? 0) - (b.ranges[0]?.start ?? 0));
}
