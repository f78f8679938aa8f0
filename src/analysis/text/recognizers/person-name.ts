// Person names next to a label (Nom, Name, Surname, Prénom, Given names) or after "my name is".
import { maskName } from '../../../mask.ts';
import { toLines } from './match.ts';
import type { TextMatch, TextRange } from './match.ts';

const LABEL =
  /(?<![A-Za-zÀ-ÿ])(?:nom(?:\s+d['’]usage)?|pr[ée]noms?|surname|last\s+name|first\s+names?|given\s+names?|full\s+name|name|vardas|pavard[ėe]|nachname|vorname|apellidos?|nombre)(?:\s*\/\s*[A-Za-zÀ-ÿ' ]{2,20}?)?\s*[:.]?(?=\s|$)/gi;
const INTRO = /\b(?:my\s+name\s+is|je\s+m['’]appelle|I\s+am\s+called)\s+/gi;
// 1–4 capitalised words (or all-caps words), no digits, no placeholders like <PERSON>.
const NAME =
  /^\s*((?:[A-ZÀ-Ý][A-Za-zÀ-ÿ'’-]{1,30})(?:[ ](?:[A-ZÀ-Ý][A-Za-zÀ-ÿ'’-]{0,30})){0,3})(?![A-Za-zÀ-ÿ<>])/;
const NOT_NAMES = new Set([
  'THE',
  'AND',
  'OF',
  'DATE',
  'NAME',
  'NOM',
  'SEX',
  'SEXE',
  'TYPE',
  'CODE',
  'NATIONALITY',
  'NATIONALITÉ',
  'PASSPORT',
  'PASSEPORT',
  'CARD',
  'CARTE',
  'SIGNATURE',
  'BIRTH',
  'NAISSANCE',
  'PRÉNOM',
  'PRENOM',
  'PRÉNOMS',
  'GIVEN',
  'SURNAME',
  'EMAIL',
  'E-MAIL',
  'PHONE',
  'TEL',
  'ADDRESS',
  'ADRESSE',
  'USER',
  'USERNAME',
  'FILE',
]);

function toNameRange(text: string, from: number): TextRange | undefined {
  const m = NAME.exec(text.slice(from));
  if (!m?.[1]) return undefined;
  const words = m[1].split(' ');
  // Cut at the first stop word ("Aarav Navuluri and" never reaches "and": lowercase stops the match).
  const kept: string[] = [];
  for (const w of words) {
    if (NOT_NAMES.has(w.toUpperCase())) break;
    kept.push(w);
  }
  if (kept.length === 0 || kept.join('').length < 2) return undefined;
  const start = from + m[0].indexOf(m[1]);
  return { start, end: start + kept.join(' ').length };
}

export function findPersonNames(text: string): TextMatch[] {
  const out: TextMatch[] = [];
  const push = (r: TextRange | undefined): void => {
    if (!r || out.some((o) => o.ranges[0]?.start === r.start)) return;
    const masked = maskName(text.slice(r.start, r.end));
    out.push({
      kind: 'person_name',
      certainty: 'likely',
      ranges: [r],
      summary: `name ${masked}`,
      details: { masked },
    });
  };
  for (const m of text.matchAll(INTRO)) push(toNameRange(text, m.index + m[0].length));
  const lines = toLines(text);
  lines.forEach((line, i) => {
    for (const m of line.text.matchAll(new RegExp(LABEL.source, LABEL.flags))) {
      const after = m.index + m[0].length;
      const rest = line.text.slice(after);
      if (rest.trim().length > 0) push(toNameRange(text, line.start + after));
      else {
        // The label ends its line: ID cards print the value on the next line.
        const next = lines[i + 1];
        if (next) push(toNameRange(text, next.start));
      }
    }
  });
  return out;
}
