// The numbered lines of a reply's "found" section: which findings share a line, in which order, and
// the "1. …" numbering the "Show where" picture repeats on each finding's outline.
import type { Finding, FindingKind } from './types.ts';

export interface FindingLine {
  /** What makes two findings one line (locale-independent). */
  key: string;
  findings: Finding[];
}

const ORDER: FindingKind[] = [
  'possible_minor',
  'id_document',
  'mrz',
  'national_id',
  'card_number',
  'iban',
  'gps',
  'qr_code',
  'face',
  'email',
  'phone',
  'address',
  'date_of_birth',
  'person_name',
  'document',
  'screen',
  'location_clue',
  'embedded_thumbnail',
  'device',
  'person_name_metadata',
  'other_metadata',
  'timestamp',
  'barcode',
];

const rankOf = (f: Finding): number => {
  const sev = f.severity === 'high' ? 0 : f.severity === 'medium' ? 100 : 200;
  const i = ORDER.indexOf(f.kind);
  return sev + (i < 0 ? 99 : i);
};

/**
 * The findings grouped into lines, most serious first: every face is one line, every possible minor
 * another, and findings with the same `keyOf` share a line. Pure; the same order in every language.
 */
export function groupFindingLines(
  findings: readonly Finding[],
  keyOf: (f: Finding) => string,
): FindingLine[] {
  const sorted = [...findings].sort((a, b) => rankOf(a) - rankOf(b));
  const lines = new Map<string, FindingLine>();
  for (const f of sorted) {
    const key = f.kind === 'face' || f.kind === 'possible_minor' ? `:${f.kind}` : keyOf(f);
    const line = lines.get(key);
    if (line) line.findings.push(f);
    else lines.set(key, { key, findings: [f] });
  }
  return [...lines.values()];
}

/** "3. text": line `index` (0-based) as every reply and the "Show where" picture number it. */
export function numberLine(index: number, text: string): string {
  return `${index + 1}. ${text}`;
}
