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
];

/** Letters OCR reads in place of digits inside a card number group. */
const LOOKALIKE: Readonly<Record<string, string>> = {
  O: '0',
  D: '0',
  Q: '0',
  I: '1',
  L: '1',
  l: '1',
  S: '5',
  B: '8',
  Z: '2',
  G: '6',
  T: '7',
};

// Groups of 4 (the last 1–4 long) or 4-6-5, each mostly digits; separators are spaces, dots or dashes.
const GROUPED =
  /(?<![\dA-Za-z])(?:[\dODQILlSBZGT]{4}(?:[ .-]{1,3}[\dODQILlSBZGT]{4}){2}[ .-]{1,3}[\dODQILlSBZGT]{1,4}(?:[ .-]{1,3}[\dODQILlSBZGT]{3})?|[\dODQILlSBZGT]{4}[ .-]{1,3}[\dODQILlSBZGT]{6}[ .-]{1,3}[\dODQILlSBZGT]{4,5})(?![\dA-Za-z])/g;

/** How many card words the text prints (each counted once). */
export function countCardWords(text: string): number {
  const tokens = toTokens(foldText(text));
  return CARD_WORDS.filter((w) => findPhrase(tokens, w) !== undefined).length;
}

/** Card numbers in `text`; `onCard` when the page prints card words (Luhn failures are then kept). */
export function findPaymentCardNumbers(text: string, onCard: boolean): TextMatch[] {
  const out: TextMatch[] = [];
  for (const m of text.matchAll(GROUPED)) {
    const raw = m[0];
    // At most two misread characters, and at least 12 real digits.
    const letters = (raw.match(/[^\d .-]/g) ?? []).length;
    if (letters > 2 || (raw.match(/\d/g) ?? []).length < 12) continue;
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
      details: { ...(brand ? { brand } : {}), last4: toTail(digits, 4), luhn, masked, onCard },
    });
  }
  return out;
}
