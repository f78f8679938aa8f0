// Payment cards: a 13–19 digit number in the printed groups (4-4-4-4, 4-6-5) beside a card's words
// (VALID THRU, GOOD THRU, EXPIRES, a network name). Luhn valid → confirmed; a number that fails Luhn
// on a card is still reported as likely (specimens use invalid numbers, one misread digit breaks it).
import { maskTail, toTail } from '../../../mask.ts';
import { isLuhnValid, toCardBrand } from '../recognizers/card.ts';
import type { TextMatch } from '../recognizers/match.ts';
import { findPhrase, foldText, toTokens } from './labels.ts';

/** Network names and validity words: what makes a few grouped digits a card's, not a reference's. */
const CARD_MARKS: readonly string[] = [
  'VALID THRU',
  'VALID THROUGH',
  'GOOD THRU',
  'VALID FROM',
  'EXPIRES',
  'VISA',
  'MASTERCARD',
  'MAESTRO',
  'AMERICAN EXPRESS',
  'AMEX',
  'DISCOVER',
  'DINERS CLUB',
  'UNIONPAY',
  'JCB',
];

/** Words printed on payment cards, folded: the marks and the other card words. */
export const CARD_WORDS: readonly string[] = [
  ...CARD_MARKS,
  'EXPIRES END',
  'MONTH YEAR',
  'MEMBER SINCE',
  'CARDHOLDER',
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

// Groups of 4 (the last 1–4 long) or 4-6-5, each mostly digits; separators are spaces, dots or dashes,
// or none where the reader left out the space between two groups ("54127512 34123456"). A trailing
// group may be masked (*, •, x, #) or the number may stop after three groups (a covered end).
const MASK = '[*•·xX#]';
const GROUPED = new RegExp(
  `(?<![\\dA-Za-z])(?:[3-6]${C}{3}(?:[ .-]{0,3}${C}{4,5}){2}(?:[ .-]{0,3}(?:${C}{1,4}|${MASK}{4})(?:[ .-]{0,3}${C}{3})?)?|3${C}{3}[ .-]{0,3}${C}{6}[ .-]{0,3}(?:${C}{4,5}|${MASK}{4,5}))(?![\\dA-Za-z*•·#])`,
  'g',
);

/** How many card words the text prints (each counted once). */
export function countCardWords(text: string): number {
  const tokens = toTokens(foldText(text));
  return CARD_WORDS.filter((w) => findPhrase(tokens, w) !== undefined).length + (EXPIRY.test(text) ? 1 : 0);
}

/** The text prints a network name, a validity label or an expiry (not only "debit" or "platinum"). */
export function hasCardMarks(text: string): boolean {
  const tokens = toTokens(foldText(text));
  return CARD_MARKS.some((w) => findPhrase(tokens, w) !== undefined) || EXPIRY.test(text);
}

/** Where the number was found: `onCard` when the page prints card words; `cardPhoto` when it shows a card (few lines, a network or validity mark). */
export interface CardContext {
  onCard: boolean;
  cardPhoto?: boolean;
}

/**
 * The one certainty rule: a full number that verifies (Luhn, read without a misread character) is
 * confirmed; on a card, one that fails, was misread or is partly hidden is likely; elsewhere nothing.
 */
export function toCardCertainty(
  full: boolean,
  luhn: boolean,
  onCard: boolean,
): 'confirmed' | 'likely' | undefined {
  if (full && luhn) return 'confirmed';
  return onCard ? 'likely' : undefined;
}

/** The printed layout of a number: its group lengths once a masked group is set aside. */
function toLayout(body: string): { full: boolean; partial: boolean; joined: boolean } {
  const lengths = body
    .split(/[ .-]+/)
    .filter((g) => g.length > 0)
    .map((g) => g.length);
  const amex = lengths.length === 3 && lengths[0] === 4 && lengths[1] === 6;
  // Fewer than three groups: a run the reader joined (the spaces between groups lost).
  const joined = lengths.length < 3;
  return {
    full: lengths.length >= 4 || amex || joined,
    partial: lengths.length === 3 && lengths.every((l) => l === 4),
    joined,
  };
}

/** Card numbers in `text` (full, or partly hidden on a card photo); Luhn failures are kept on a card. */
export function findPaymentCardNumbers(text: string, where: boolean | CardContext): TextMatch[] {
  const { onCard, cardPhoto = false } = typeof where === 'boolean' ? { onCard: where } : where;
  const out: TextMatch[] = [];
  for (const m of text.matchAll(GROUPED)) {
    const raw = m[0];
    const masked = new RegExp(`${MASK}{4}`).test(raw);
    const body = raw.replace(new RegExp(`[ .-]*${MASK}+$`), '');
    const layout = toLayout(body);
    // Partly hidden (a masked last group, or three groups of four and no more): a card photo's only.
    const partial = masked || layout.partial;
    if (partial ? !cardPhoto : !layout.full) continue;
    // Misread characters only in a grouped number on a card (at most five, with ten real digits).
    const letters = (body.match(/[^\d .-]/g) ?? []).length;
    if (letters > (onCard && !layout.joined ? 5 : 0)) continue;
    if ((body.match(/\d/g) ?? []).length < (letters > 0 || masked ? 10 : 12)) continue;
    const digits = [...body]
      .map((c) => LOOKALIKE[c] ?? c)
      .join('')
      .replace(/\D/g, '');
    if (digits.length < (partial ? 10 : 13) || digits.length > 19 || /^(\d)\1+$/.test(digits)) continue;
    const brand = toCardBrand(partial ? digits.padEnd(16, '0') : digits);
    // A joined run or a partly hidden number is a card's only with a network's prefix.
    if ((layout.joined || partial) && !brand) continue;
    const luhn = !partial && letters === 0 && isLuhnValid(digits);
    const certainty = toCardCertainty(!partial, luhn, onCard);
    if (!certainty) continue;
    const shown = partial ? '****' : maskTail(digits, 4);
    const why = partial
      ? ' (partly hidden, printed on a card)'
      : luhn
        ? ''
        : ' (printed on a card; the check digit does not verify)';
    out.push({
      kind: 'card_number',
      certainty,
      ranges: [{ start: m.index, end: m.index + raw.length }],
      summary: `card number ${shown}${why}`,
      // The last four digits only when the whole number was read without a misread character.
      details: {
        ...(brand ? { brand } : {}),
        ...(letters === 0 && !partial ? { last4: toTail(digits, 4) } : {}),
        luhn,
        masked: shown,
        onCard,
        ...(partial ? { partial: true } : {}),
      },
    });
  }
  return out;
}
