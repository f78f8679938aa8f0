// Person names: next to a label (Nom, Name, Surname, Prénom, Given names, Bill to, Pay to the order
// of), after "my name is" / "I'm", a greeting ("Dear Anna,") or a title (Mme, Mr); and by layout: the
// recipient line right above a street line, the holder's line beside a card's number, the line an
// e-mail address spells ("Andrew Morin" beside "amorin@…").
import { maskName } from '../../../mask.ts';
import { findAddresses } from './address.ts';
import { toLines } from './match.ts';
import type { TextMatch, TextRange } from './match.ts';

const LABEL =
  /(?<![A-Za-zÀ-ÿ])(?:nom(?:\s+d['’]usage)?|pr[ée]noms?|surname|last\s+name|first\s+names?|given\s+names?|full\s+name|name|vardas|pavard[ėe]|nachname|vorname|apellidos?|nombre|bill\s*to|ship\s*to|order\s+of)(?:\s*\/\s*[A-Za-zÀ-ÿ' ]{2,20}?)?(?:\s*\([^)\n]{0,60}\))?\s*[:.]?(?=\s|$)/gi;
const INTRO = /\b(?:name[ \t]+is|je[ \t]+m['’]appelle|I[ \t]+am[ \t]+called)[ \t]+/gi;
/** "I'm Alice," — the name followed by punctuation, not "I'm Happy to…". */
const IAM = /\bI['’]m[ \t]+([A-Z][a-zà-ÿ'-]{1,30})(?=\s*[,.!;]|\s+and\b|$)/gm;
/** A greeting or a sign-off line opening a letter or a message: "Dear Anna,", "Hi Karolina,". */
const GREETING =
  /(?<![A-Za-zÀ-ÿ'])(?:Dear|Hi|Hello|Hey|Bonjour|Bonsoir|Cher|Chère|Hallo|Liebe|Lieber|Hola|Querid[oa]|Ciao|Caro|Cara|Beste)[ \t]+([A-ZÀ-Ý][a-zà-ÿ'-]{1,30})(?=\s*[,!])/gm;
/** A title before a name: "Mme Karine Plume", "Mr. John Smith". */
const HONORIFIC =
  /(?<![A-Za-zÀ-ÿ])(?:Mr|Mrs|Ms|Mme|Mmes|Mlle|Mr\.|Mrs\.|Ms\.|Herr|Frau|Sr\.|Sra\.|Dr\.?|Monsieur|Madame|Mademoiselle)[ \t]+(?=[A-ZÀ-Ý][a-zà-ÿ'-]+[ \t]+[A-ZÀ-Ý])/g;
// 1–4 capitalised words (or all-caps words), no digits, no placeholders like <PERSON>.
const NAME =
  /^[ \t]*((?:[A-ZÀ-Ý][A-Za-zÀ-ÿ'’-]{1,30})(?:[ ](?:[A-ZÀ-Ý][A-Za-zÀ-ÿ'’-]{0,30})){0,3})(?![A-Za-zÀ-ÿ<>])/;
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
  'SPECIMEN',
  'SAMPLE HERE',
  'YOUR',
  'HERE',
  'VALID',
  'THRU',
  'GOOD',
  'FROM',
  'MEMBER',
  'SINCE',
  'EXPIRES',
  'DEBIT',
  'CREDIT',
  'PLATINUM',
  'GOLD',
  'WORLD',
  'BUSINESS',
  'ELECTRONIC',
  'BANK',
  'VISA',
  'MASTERCARD',
  'DONOR',
  'ORGAN',
  'VETERAN',
  'USA',
  'STREET',
  'CITY',
  'COUNTY',
  'INC',
  'LTD',
  'LLC',
  'CO',
  'CORP',
  'GMBH',
  'SARL',
  'PLC',
  'COMPANY',
  'INVOICE',
  'BILLTO',
  'BILL',
  'TO',
  'RECEIPT',
  'SIR',
  'MADAM',
  'MADAME',
  'MONSIEUR',
  'ALL',
  'TEAM',
  'EVERYONE',
  'THERE',
  // Roles a form or a bill prints where a name goes.
  'CUSTOMER',
  'CLIENT',
  'ACCOUNT',
  'RESIDENT',
  'OCCUPANT',
  'TENANT',
  'OWNER',
  'HOLDER',
  'SERVICE',
  'MAILING',
  'SHIP',
  'INPUT',
  'OUTPUT',
  'AGENT',
]);

/** A line opening with a house number and a street word, any case ("123 MAIN STREET", "8 1234 Main St"). */
const STREET_START =
  /^\s*(?<col>[A-Za-zÀ-ÿ]{2,20}\s+)?(?:\d{1,2}[.,]?\s+)?\d{1,5}[a-z]?,?\s+(?:[A-Za-zÀ-ÿ'-]+\s+){0,3}(?:street|st|avenue|ave|road|rd|drive|dr|lane|ln|boulevard|blvd|way|court|ct|place|pl|terrace|highway|hwy|rue|all[ée]e|chemin|bd|impasse|quai|route)\b/i;

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

/** A whole line that is a name: 1–4 words of letters (the first capitalised), an optional field number. */
const NAME_LINE =
  /^\s*(?:[12][.,]?\s*)?([A-ZÀ-Ý][A-Za-zÀ-ÿ'’-]+(?:(?:,\s?|\s)[A-ZÀ-Ý][A-Za-zÀ-ÿ'’.-]*){0,3})\s*$/;

/** The name range of a line that is only a name (or undefined); one all-caps word alone counts. */
function toNameLine(line: { text: string; start: number }, single: boolean): TextRange | undefined {
  const m = NAME_LINE.exec(line.text);
  const v = m?.[1];
  if (!m || !v) return undefined;
  const words = v.split(/[ ,]+/).filter(Boolean);
  if (words.some((w) => NOT_NAMES.has(w.toUpperCase().replace(/[.,]/g, '')))) return undefined;
  if (words.length === 1 && !(single && /^[A-ZÀ-Ý'-]{3,}$/.test(v))) return undefined;
  if (words.join('').replace(/[^A-Za-zÀ-ÿ]/g, '').length < 3) return undefined;
  const start = line.start + m[0].indexOf(v);
  return { start, end: start + v.length };
}

/** The recipient block: the name line right above a street line (two lines on a licence: surname, given names). */
function findRecipients(text: string, lines: { text: string; start: number }[]): TextRange[] {
  const out: TextRange[] = [];
  const streets = new Set<number>();
  lines.forEach((l, i) => {
    const m = STREET_START.exec(l.text);
    if (!m) return;
    if (!m.groups?.['col']) streets.add(i);
    else {
      // Two columns read as one line ("Cadre 52 RUE DES FLEURS"): the name ends the line above.
      const above = lines[i - 1];
      const t = above
        ? /((?:[A-ZÀ-Ý][A-Za-zÀ-ÿ'’-]+\s){1,3}[A-ZÀ-Ý][A-Za-zÀ-ÿ'’-]+)\s*$/.exec(above.text)
        : null;
      if (!above || !t?.[1] || t[1].split(/\s+/).some((w) => NOT_NAMES.has(w.toUpperCase()))) return;
      const start = above.start + t.index;
      out.push({ start, end: start + t[1].length });
    }
  });
  // German streets put the number last ("Musterstraße 12"): the address recognizer knows them.
  for (const a of findAddresses(text)) {
    const r = a.ranges[0];
    if (a.details?.['street'] !== true || !r) continue;
    const k = lines.findIndex((l, i) => l.start <= r.start && (lines[i + 1]?.start ?? Infinity) > r.start);
    // The street starts its line: not a street named in a sentence.
    if (k >= 0 && text.slice(lines[k]!.start, r.start).trim() === '') streets.add(k);
  }
  for (const k of streets) {
    const above = lines[k - 1] ? toNameLine(lines[k - 1]!, true) : undefined;
    if (!above) continue;
    out.push(above);
    // A licence prints the surname and the given names on two capitalised lines.
    const value = text.slice(above.start, above.end);
    const second = lines[k - 2] ? toNameLine(lines[k - 2]!, true) : undefined;
    if (second && value === value.toUpperCase()) out.push(second);
  }
  return out;
}

/** On a card (a few lines, one holding a long grouped number), the name lines near the number. */
function findCardHolders(lines: { text: string; start: number }[]): TextRange[] {
  if (lines.length > 12) return [];
  const k = lines.findIndex(
    (l) => (l.text.match(/\d/g) ?? []).length >= 12 && /\d{2,}\s+\d{2,}/.test(l.text),
  );
  if (k < 0) return [];
  const out: TextRange[] = [];
  for (let i = Math.max(0, k - 3); i <= Math.min(lines.length - 1, k + 4); i++) {
    const n = i === k ? undefined : toNameLine(lines[i]!, true);
    if (n) out.push(n);
  }
  return out;
}

/** A name line an e-mail address on the page spells: its surname or first name in the local part. */
function findEmailNames(text: string, lines: { text: string; start: number }[]): TextRange[] {
  const locals = [...text.matchAll(/([A-Za-z][A-Za-z._-]{2,40})\s?@\s?[A-Za-z0-9-]+\./g)].map((m) =>
    m[1]!.toLowerCase().replace(/[._-]/g, ''),
  );
  if (locals.length === 0) return [];
  const out: TextRange[] = [];
  for (const l of lines) {
    const n = toNameLine(l, false);
    if (!n) continue;
    const words = text.slice(n.start, n.end).toLowerCase().split(/[ ,]+/);
    const last = words[words.length - 1] ?? '';
    if (
      words.length >= 2 &&
      words.length <= 3 &&
      locals.some(
        (x) => (last.length >= 3 && x.includes(last)) || (words[0]!.length >= 3 && x.startsWith(words[0]!)),
      )
    )
      out.push(n);
  }
  return out;
}

export function findPersonNames(text: string): TextMatch[] {
  const out: TextMatch[] = [];
  const push = (r: TextRange | undefined): void => {
    if (!r || out.some((o) => o.ranges.some((q) => q.start < r.end && r.start < q.end))) return;
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
  for (const m of text.matchAll(HONORIFIC)) push(toNameRange(text, m.index + m[0].length));
  for (const re of [IAM, GREETING])
    for (const m of text.matchAll(re)) {
      const v = m[1]!;
      if (NOT_NAMES.has(v.toUpperCase())) continue;
      const start = m.index + m[0].lastIndexOf(v);
      push({ start, end: start + v.length });
    }
  const lines = toLines(text);
  for (const r of [...findRecipients(text, lines), ...findCardHolders(lines), ...findEmailNames(text, lines)])
    push(r);
  lines.forEach((line, i) => {
    for (const m of line.text.matchAll(new RegExp(LABEL.source, LABEL.flags))) {
      const after = m.index + m[0].length;
      const rest = line.text.slice(after);
      const same = rest.trim().length > 0 ? toNameRange(text, line.start + after) : undefined;
      if (same) push(same);
      else if (rest.trim().length === 0 || m.index === 0) {
        // The label ends its line (ID cards print the value on the next line), or two columns read as
        // one line ("BILL TO  Invoice Number: 14"): the value is under its label.
        const next = lines[i + 1];
        if (next) push(toNameRange(text, next.start));
      }
    }
  });
  return out;
}
