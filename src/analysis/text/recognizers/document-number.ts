// Licence and document numbers after their label ("4d LIC No:P142-4558-7924", "DL# A1234567"),
// printed in dashed or spaced groups the generic number fields do not read. Never a phone number.
import { maskTail } from '../../../mask.ts';
import type { TextMatch } from './match.ts';

const LABELLED_NUMBER =
  /(?<![\p{L}])(?:LIC(?:EN[CS]E)?|DL|DLN|PASSPORT|DOCUMENT)[ ]?(?:NO\.?|NUMBER|#|N°)?[ ]?[:#]?[ ]?([A-Z]{0,2}\d{2,5}(?:[- ]\d{2,5}){1,3}|[A-Z]{0,2}\d{6,12}[A-Z]?)(?![\p{L}\d])/giu;

/** Document numbers beside their label, with at least six digits. */
export function findDocumentNumbers(text: string): TextMatch[] {
  const out: TextMatch[] = [];
  for (const m of text.matchAll(LABELLED_NUMBER)) {
    const value = m[1] ?? '';
    if ((value.match(/\d/g) ?? []).length < 6) continue;
    // "DL", "PASSPORT" and "DOCUMENT" need their "No", "#" or colon: a bare word is not a label.
    if (/^(?:DL|PASSPORT|DOCUMENT)[ ]?$/i.test(m[0].slice(0, m[0].length - value.length))) continue;
    const start = m.index + m[0].length - value.length;
    const masked = maskTail(value.replace(/[- ]/g, ''), 2);
    out.push({
      kind: 'national_id',
      certainty: 'likely',
      ranges: [{ start, end: start + value.length }],
      summary: `document number ${masked}`,
      details: { checksum: false, masked },
    });
  }
  return out;
}
