// E-mail addresses, including the usual OCR spacing around "@" and ".".
import { maskEmail } from '../../../mask.ts';
import type { TextMatch } from './match.ts';

// Local part, "@", domain labels and a letter TLD. OCR sometimes puts a space around "@", and before
// a "_", "." or "-" inside the local part ("omar _rossi@example.com").
const EMAIL =
  /(?<![\w.%+-])([A-Za-z0-9][A-Za-z0-9._%+-]{0,63}(?: [._-][A-Za-z0-9._%+-]{1,63})?)[ ]?@[ ]?((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24})(?![\w@-])/g;

// An address cut short by a narrow column or a preview: "grcelee@...", "paula@…".
const TRUNCATED = /(?<![\w.%+-])([A-Za-z0-9][A-Za-z0-9._%+-]{1,63})@(?:\.{2,}|…)/g;

/** E-mail addresses in `text`, full ones and ones a table or a preview cut after the "@". */
export function findEmails(text: string): TextMatch[] {
  const out: TextMatch[] = [];
  for (const m of text.matchAll(TRUNCATED)) {
    const local = (m[1] ?? '').replace(/\.+$/, '');
    const masked = maskEmail(`${local}@x.x`).replace(/@.*$/, '@…');
    out.push({
      kind: 'email',
      certainty: 'possible',
      ranges: [{ start: m.index, end: m.index + m[0].length }],
      summary: `e-mail ${masked} (cut short)`,
      details: { masked, truncated: true },
    });
  }
  for (const m of text.matchAll(EMAIL)) {
    const local = (m[1] ?? '').replace(/ /g, '').replace(/\.+$/, '');
    const domain = (m[2] ?? '').toLowerCase();
    if (local.length === 0 || local.startsWith('.')) continue;
    const masked = maskEmail(`${local}@${domain}`);
    out.push({
      kind: 'email',
      certainty: 'likely',
      ranges: [{ start: m.index, end: m.index + m[0].length }],
      summary: `e-mail ${masked}`,
      details: { domainTld: domain.slice(domain.lastIndexOf('.') + 1), masked },
    });
  }
  return out;
}
