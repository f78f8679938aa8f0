// Dates, and dates of birth: a date next to (or on the line below) a birth label.
import { toLines } from './match.ts';
import type { TextMatch, TextRange } from './match.ts';

const MONTHS =
  'JAN(?:UARY|VIER)?|FEB(?:RUARY)?|F[ÉE]V(?:RIER)?|MAR(?:CH|S)?|APR(?:IL)?|AVR(?:IL)?|MAY|MAI|JUNE?|JUIN|JUL(?:Y)?|JUIL(?:LET)?|AUG(?:UST)?|AO[ÛU]T?|SEP(?:T(?:EMBER|EMBRE)?)?|OCT(?:OBER|OBRE)?|NOV(?:EMBER|EMBRE)?|DEC(?:EMBER)?|D[ÉE]C(?:EMBRE)?';

const DATE_PATTERNS: readonly RegExp[] = [
  // 23/11/1964, 23.11.64, 23-11-1964, 23 11 1964
  /(?<![\d])(?:0?[1-9]|[12]\d|3[01])([./-]|\s)(?:0?[1-9]|1[0-2])\1(?:(?:19|20)\d{2}|\d{2})(?!\d)/g,
  // 01 JAN 85, 01 JAN /JAN 85, 1er janvier 1985
  new RegExp(
    `(?<![\\d])(?:0?[1-9]|[12]\\d|3[01])(?:ER)?\\s*(?:${MONTHS})\\.?(?:\\s*/\\s*(?:${MONTHS})\\.?)?\\s*(?:(?:19|20)\\d{2}|\\d{2})(?!\\d)`,
    'gi',
  ),
  // January 1, 1985
  new RegExp(`(?:${MONTHS})\\.?\\s+(?:0?[1-9]|[12]\\d|3[01]),?\\s+(?:19|20)\\d{2}(?!\\d)`, 'gi'),
  // 1985-01-01
  /(?<!\d)(?:19|20)\d{2}([./-])(?:0[1-9]|1[0-2])\1(?:0[1-9]|[12]\d|3[01])(?!\d)/g,
];

const BIRTH_LABEL =
  /n[ée]\s*(?:\(e\)|e)?\s+le\b|date\s+(?:of\s+)?birth|date\s+de\s+naissance|\bD\.?O\.?B\b|birth\s*date|geburtsdatum|fecha\s+de\s+nacimiento|data\s+di\s+nascita|gimimo\s+data/gi;

/** Every date-like span in `text`, left to right, without overlaps. */
export function findDates(text: string): TextRange[] {
  const all: TextRange[] = [];
  for (const re of DATE_PATTERNS)
    for (const m of text.matchAll(new RegExp(re.source, re.flags)))
      all.push({ start: m.index, end: m.index + m[0].length });
  all.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: TextRange[] = [];
  for (const r of all) if (!out.some((o) => r.start < o.end && o.start < r.end)) out.push(r);
  return out;
}

export function findDatesOfBirth(text: string): TextMatch[] {
  const lines = toLines(text);
  const out: TextMatch[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    for (const label of line.text.matchAll(new RegExp(BIRTH_LABEL.source, BIRTH_LABEL.flags))) {
      // Same line after the label, else the next two lines (ID cards print the value below).
      const after = line.start + label.index + label[0].length;
      const windowEnd = lines[Math.min(lines.length - 1, i + 2)];
      const end = windowEnd ? windowEnd.start + windowEnd.text.length : line.start + line.text.length;
      const date = findDates(text.slice(after, end))[0];
      if (!date) continue;
      const range = { start: after + date.start, end: after + date.end };
      if (seen.has(range.start)) continue;
      seen.add(range.start);
      out.push({ kind: 'date_of_birth', certainty: 'likely', ranges: [range], summary: 'date of birth' });
    }
  }
  return out;
}
