// Phone numbers with libphonenumber-js (full metadata): international "+" numbers anywhere,
// national numbers read as French first, then as North American.
import { findPhoneNumbersInText } from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/max';
import { maskPhone } from '../../../mask.ts';
import { isOverlapping, toLines } from './match.ts';
import type { TextMatch, TextRange } from './match.ts';

/** Words that announce a phone number. */
export const PHONE_LABEL =
  /(?<![\p{L}])(?:t[ée]l[ée]?(?:phone)?|phone|mobile|portable|cell|fax|gsm)(?![\p{L}])/iu;

export const DEFAULT_PHONE_COUNTRIES: readonly CountryCode[] = ['FR', 'US'];

export function findPhones(
  text: string,
  countries: readonly CountryCode[] = DEFAULT_PHONE_COUNTRIES,
): TextMatch[] {
  const out: TextMatch[] = [];
  const taken: TextRange[] = [];
  // Line by line, so a number never joins digits from two lines.
  for (const line of toLines(text)) {
    if (!/\d{2}/.test(line.text)) continue;
    for (const country of countries) {
      for (const found of findPhoneNumbersInText(line.text, { defaultCountry: country })) {
        const range = { start: line.start + found.startsAt, end: line.start + found.endsAt };
        if (taken.some((t) => isOverlapping(t, range))) continue;
        const n = found.number;
        if (!n.isValid()) continue;
        const raw = line.text.slice(found.startsAt, found.endsAt);
        // At least 8 digits as written: short codes and house-number ranges are not phones.
        if ((raw.match(/\d/g) ?? []).length < 8) continue;
        taken.push(range);
        const type = n.getType();
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
            international: raw.trimStart().startsWith('+') || raw.trimStart().startsWith('00'),
          },
        });
      }
    }
  }
  return out.sort((a, b) => (a.ranges[0]?.start ?? 0) - (b.ranges[0]?.start ?? 0));
}
