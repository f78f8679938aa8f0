// Payment cards: a 13–19 digit number in the printed groups (4-4-4-4, 4-6-5) beside a card's words
// (VALID THRU, GOOD THRU, EXPIRES, a network name). Luhn valid → confirmed; a number that fails Luhn
// on a card is still reported as likely (specimens use invalid numbers, one misread digit breaks it).
import { maskTail, toTail } from '../../../mask.ts';
import { isLuhnValid, toCardBrand } from '../recognizers/card.ts';
import type { TextMatch } from '../recognizers/match.ts';
import { findPhrase, foldText, toTokens } from './labels.ts';

/** Words printed on payment cards, folded. */
export const CARD_WORDS: readonly string[] = [
  'VALID THRU',
  'VALID THROUGH',
  'GOOD THRU',
  'VALID FROM',
  'EXPIRES',
  'EXPIRES END',
  'MONTH YEAR',
  'MEMBER SINCE',
  'CARDHOLDER',
  'VISA',
  'MASTERCARD',
  'MAESTRO',
  'AMERICAN EXPRESS',
  'AMEX',
  'DISCOVER',
  'DINERS CLUB',
  'UNIONPAY',
  'JCB',
  'DEBIT',
  'CREDIT',
  'PLATINUM',
  'WORLD ELITE',
  'SIGNATURE',
  'CONTACTLESS',
  'CARDMEMBER',
  'CARD MEMBER',
];

/** A card's expiry as printed: "12/23", "00/00", "09/2027". */
const EXPIRY = /(?<![\d/])(?:0\d|1[0-2])\/(?:\d{2}|20\d{2})(?![\d/])/;

/** Letters OCR reads in place of digits inside a card number group. */
const LOOKALIKE: Readonly<Record<string, string>> = {
  O: '0',
  o: '0',
  D: '0',
  Q: '0',
  I: '1',
  L: '1',
  l: '1',
  '[': '1',
  '|': '1',
  S: '5',
  B: '8',
  '&': '8',
  Z: '2',
  G: '6',
  T: '7',
};
const C = '[\\dODQILlSBZGTo[|&E]';

// Groups of 4 (the last 1–4 long) or 4-6-5, each mostly digits; separators are spaces, dots or dashes.
const GROUPED = new RegExp(
  `(?<![\\dA-Za-z])(?:[3-6]${C}{3}(?:[ .-]{1,3}${C}{4,5}){2}[ .-]{1,3}${C}{1,4}(?:[ .-]{1,3}${C}{3})?|3${C}{3}[ .-]{1,3}${C}{6}[ .-]{1,3}${C}{4,5})(?![\\dA-Za-z])`,
  'g',
);

/** How many card words the text prints (each counted once). */
export function countCardWords(text: string): number {
  const tokens = toTokens(foldText(text));
  return CARD_WORDS.filter((w) => findPhrase(tokens, w) !== undefined).length + (EXPIRY.test(text) ? 1 : 0);
}

/** Card numbers in `text`; `onCard` when the page prints card words (Luhn failures are then kept). */
export function findPaymentCardNumbers(text: string, onCard: boolean): TextMatch[] {
  const out: TextMatch[] = [];
  for (const m of text.matchAll(GROUPED)) {
    const raw = m[0];
    // Misread characters only on a card (at most five, with ten real digits); none elsewhere.
    const letters = (raw.match(/[^\d .-]/g) ?? []).length;
    if (letters > (onCard ? 5 : 0) || (raw.match(/\d/g) ?? []).length < (letters > 0 ? 10 : 13)) continue;
    const digits = [...raw]
      .map((c) => LOOKALIKE[c] ?? c)
      .join('')
      .replace(/\D/g, '');
    if (digits.length < 13 || digits.length > 19 || /^(\d)\1+$/.test(digits)) continue;
    const luhn = letters === 0 && isLuhnValid(digits);
    if (!luhn && !onCard) continue;
    const brand = toCardBrand(digits);
    const masked = maskTail(digits, 4);
    out.push({
      kind: 'card_number',
      certainty: luhn ? 'confirmed' : 'likely',
      ranges: [{ start: m.index, end: m.index + raw.length }],
      summary: `card number ${masked}${luhn ? '' : ' (printed on a card; the check digit does not verify)'}`,
      // The last four digits only when read without a misread character.
      details: {
        ...(brand ? { brand } : {}),
        ...(letters === 0 ? { last4: toTail(digits, 4) } : {}),
        luhn,
        masked,
        onCard,
      },
    });
  }
  return out;
}
