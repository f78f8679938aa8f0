// Postal addresses announced by a label, in any of the languages of European and US documents
// ("Adresse du titulaire: …", "Anschrift" above "44227 DORTMUND", "Address (number, street…)"
// above the filled-in line). OCR-tolerant: one or two misread letters in a long label still count.
import { distance } from 'fastest-levenshtein';
import { toLines } from './match.ts';
import type { TextMatch, TextRange } from './match.ts';

/** Address labels, folded (capitals, no accents). */
const LABELS = [
  'ADDRESS',
  'ADRESSE',
  'ADRES',
  'ADRESA',
  'ADRESAS',
  'AADRESS',
  'ANSCHRIFT',
  'WOHNORT',
  'DOMICILIO',
  'DIRECCION',
  'INDIRIZZO',
  'RESIDENZA',
  'MORADA',
  'ENDERECO',
  'NASLOV',
  'LAKCIM',
  'OSOITE',
];
/** Words before "address" that make it something else than a postal address. */
const NOT_POSTAL = /^(?:E-?MAIL|MAIL|IP|IPV[46]|WEB|MAC|URL|WALLET|BITCOIN|EMAIL|SERVER|NETWORK)$/;

const fold = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase();

/** True when `word` reads as an address label (one edit allowed in a label of 6 letters, two in one of 9). */
export function isAddressLabel(word: string): boolean {
  const w = fold(word).replace(/[^A-Z]/g, '');
  if (w.length < 5) return false;
  return LABELS.some((l) => {
    const tol = l.length >= 9 ? 2 : l.length >= 6 ? 1 : 0;
    return Math.abs(l.length - w.length) <= tol && distance(l, w) <= tol;
  });
}

/** A line that can hold an address value: letters or digits, short, not an MRZ line, no label of its own. */
function isValueLine(s: string): boolean {
  const t = s.trim();
  if (t.length < 3 || t.length > 60 || /<{2,}/.test(t) || t.includes(':')) return false;
  if ((t.match(/[\p{L}]/gu) ?? []).length < 3) return false;
  return t.split(/\s+/).length <= 8;
}

/** The label's place in a line: its first or second word (after OCR specks), else undefined. */
function findLabelAt(line: string): { end: number } | undefined {
  const words = [...line.matchAll(/\S+/g)];
  let i = 0;
  while (
    i < words.length - 1 &&
    i < 2 &&
    (words[i]?.[0].length ?? 0) <= 2 &&
    !/\w{2}/.test(words[i]?.[0] ?? '')
  )
    i++;
  for (const k of [i, i + 1]) {
    const w = words[k];
    if (!w || !isAddressLabel(w[0])) continue;
    const prev = k > i ? fold(words[k - 1]?.[0] ?? '').replace(/[^A-Z0-9-]/g, '') : '';
    if (prev && NOT_POSTAL.test(prev)) return undefined;
    // A label is followed by its colon, a second-language label, a parenthesis, or nothing.
    return { end: w.index + w[0].length };
  }
  return undefined;
}

export function findLabelledAddresses(text: string): TextMatch[] {
  const lines = toLines(text);
  const out: TextMatch[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const at = findLabelAt(line.text);
    if (!at) continue;
    const rest = line.text.slice(at.end);
    const ranges: TextRange[] = [];
    let next = i + 1;
    const colon = /^[^:\n]{0,30}:[ ]*/.exec(rest);
    if (colon && rest.slice(colon[0].length).trim().length >= 3) {
      ranges.push({ start: line.start + at.end + colon[0].length, end: line.start + line.text.length });
    } else if (!colon && !/^[\s:]*(?:[/|-][^/|]{2,30})?\s*(?:\([^)]*\)?)?\s*$/.test(rest)) continue;
    // The value below the label (or the rest of it): up to three short lines.
    while (next < lines.length && next <= i + 3) {
      const l = lines[next]!;
      if (!isValueLine(l.text)) break;
      ranges.push({ start: l.start, end: l.start + l.text.length });
      next++;
    }
    if (ranges.length === 0) continue;
    out.push({
      kind: 'address',
      certainty: 'likely',
      ranges,
      summary: 'postal address',
      details: { street: false, postcode: false, labelled: true },
    });
    i = next - 1;
  }
  return out;
}
