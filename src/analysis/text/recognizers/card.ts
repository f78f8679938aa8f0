// Payment card numbers: 13–19 digits in the usual groupings, validated with Luhn. A number that
// fails Luhn (a sample card, one misread digit, a partly covered card) is reported only as printed on
// a card: 4-digit groups with a network's prefix and card wording on the same text (VALID THRU…).
import { maskTail, toTail } from '../../../mask.ts';
import type { TextMatch } from './match.ts';

// 4-4-4-4(-3), 4-6-5 (Amex), or an unbroken run; separators are one space, dash or dot.
const CARD =
  /(?<![\dA-Za-z])(?:\d{4}(?:[ .-]?\d{4}){2}[ .-]?\d{1,7}|\d{4}[ .-]?\d{6}[ .-]?\d{4,5})(?![\dA-Za-z])/g;

export function isLuhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

export type CardBrand =
  'visa' | 'mastercard' | 'amex' | 'discover' | 'diners' | 'jcb' | 'unionpay' | 'maestro';

/** The card network from the issuer prefix, or undefined when no network uses that prefix/length. */
export function toCardBrand(digits: string): CardBrand | undefined {
  const n = digits.length;
  const p2 = Number(digits.slice(0, 2));
  const p4 = Number(digits.slice(0, 4));
  const p6 = Number(digits.slice(0, 6));
  if (digits.startsWith('4') && (n === 13 || n === 16 || n === 19)) return 'visa';
  if (((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) && n === 16) return 'mastercard';
  if ((p2 === 34 || p2 === 37) && n === 15) return 'amex';
  if ((digits.startsWith('6011') || digits.startsWith('65') || (p6 >= 622126 && p6 <= 622925)) && n >= 16)
    return 'discover';
  if ((p2 === 36 || p2 === 38 || p2 === 39 || (p4 >= 3000 && p4 <= 3059)) && n >= 14) return 'diners';
  if (p4 >= 3528 && p4 <= 3589 && n >= 16) return 'jcb';
  if (p2 === 62 && n >= 16) return 'unionpay';
  if ((p2 === 50 || (p2 >= 56 && p2 <= 69)) && n >= 12) return 'maestro';
  return undefined;
}

export function findCardNumbers(text: string): TextMatch[] {
  const out: TextMatch[] = [];
  for (const m of text.matchAll(CARD)) {
    const digits = m[0].replace(/\D/g, '');
    if (digits.length < 13 || digits.length > 19) continue;
    if (!isLuhnValid(digits)) continue;
    const brand = toCardBrand(digits);
    if (!brand) continue;
    if (/^(\d)\1+$/.test(digits)) continue;
    const masked = maskTail(digits, 4);
    out.push({
      kind: 'card_number',
      certainty: 'confirmed',
      ranges: [{ start: m.index, end: m.index + m[0].length }],
      summary: `card number ${masked}`,
      details: { brand, last4: toTail(digits, 4), luhn: true, masked },
    });
  }
  // Numbers printed on a card that fail Luhn are the documents step's (documents/payment-card.ts).
  return out;
}
