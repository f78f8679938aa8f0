// The personal values an identity document prints: the MRZ's name, birth date and document number,
// and the values beside printed labels (multilingual, OCR-tolerant), numbered licence fields
// ("1." surname, "2." given names, "3." birth date, "4d." number, "8." address) and US short labels.
import { maskName, maskTail } from '../../../mask.ts';
import { findDates } from '../recognizers/date-of-birth.ts';
import { toLines } from '../recognizers/match.ts';
import type { TextMatch, TextRange } from '../recognizers/match.ts';
import { findMrzLikeLines, readMrz, toMrzLine } from '../recognizers/mrz.ts';
import { isAdultOn } from './holder-age.ts';
import { findFieldLabels, findTitle, foldText, toTokens, type FieldName, type Token } from './labels.ts';

/** US month-first dates (08/31/1977), which the day-first patterns do not read. */
const US_DATE = /(?<!\d)(?:0?[1-9]|1[0-2])[/-](?:0?[1-9]|[12]\d|3[01])[/-](?:19|20)?\d{2}(?!\d)/g;

/** Every date in `text`: the shared day-first patterns, then US dates not already covered. */
export function findAnyDates(text: string): TextRange[] {
  const out = findDates(text);
  for (const m of text.matchAll(US_DATE)) {
    const r = { start: m.index, end: m.index + m[0].length };
    if (!out.some((o) => o.start < r.end && r.start < o.end)) out.push(r);
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Numbered fields of the EU licence model and the US AAMVA card, by what they hold. */
const NUMBERED: Readonly<Record<string, FieldName>> = {
  '1': 'surname',
  '2': 'given',
  '3': 'birth',
  '4D': 'number',
  '5': 'number',
  '8': 'address',
};
/** US short labels (AAMVA card design) by what they hold. */
const US_LABELS: Readonly<Record<string, FieldName>> = {
  LN: 'surname',
  FN: 'given',
  DOB: 'birth',
  DL: 'number',
  DLN: 'number',
  LIC: 'number',
};

interface Label {
  field: FieldName;
  line: number;
  /** Offset in `text` just after the label. */
  after: number;
}

/** Labels of every line: printed ones, numbered fields (on a licence) and US short labels. */
export function findLabels(text: string, licence: boolean): Label[] {
  const out: Label[] = [];
  toLines(text).forEach((line, i) => {
    const tokens = toTokens(foldText(line.text));
    for (const l of findFieldLabels(tokens))
      out.push({ field: l.field, line: i, after: line.start + l.at.end });
    if (!licence) return;
    tokens.forEach((t: Token) => {
      const field = NUMBERED[t.text] ?? US_LABELS[t.text];
      if (!field) return;
      // A numbered field starts its line or follows a value ("4d. 123 5. 456"); it carries its dot.
      if (NUMBERED[t.text] && !/^[.,]/.test(line.text.slice(t.end, t.end + 1))) return;
      out.push({ field, line: i, after: line.start + t.end + (NUMBERED[t.text] ? 1 : 0) });
    });
  });
  return out.sort((a, b) => a.after - b.after);
}

const NAME_VALUE = /^[\s:.,/|-]*((?:[A-ZÀ-Ý][A-Za-zÀ-ÿ'’-]{1,30})(?:[ ,]+[A-ZÀ-Ý][A-Za-zÀ-ÿ'’-]{0,30}){0,3})/;
const NUMBER_VALUE = /^[\s:.#№°/|-]*(?:NO\.?\s*)?([A-Z0-9]{5,15}|\d{3,4}(?: \d{3,4}){1,3})(?![A-Za-z0-9])/i;

/** Words that follow a label but are labels or layout, not values. */
function isLabelWord(s: string): boolean {
  return findFieldLabels(toTokens(foldText(s))).length > 0 || /^(?:USA)$/i.test(s);
}

function valueAfter(text: string, from: number, field: FieldName): TextRange | undefined {
  const lineEnd = text.indexOf('\n', from);
  const rest = text.slice(from, lineEnd < 0 ? undefined : lineEnd);
  if (field === 'birth' || field === 'expiry' || field === 'issue') {
    const d = findAnyDates(rest)[0];
    return d && d.start <= 24 ? { start: from + d.start, end: from + d.end } : undefined;
  }
  if (field === 'number') {
    const m = NUMBER_VALUE.exec(rest);
    const v = m?.[1]?.trim();
    if (!m || !v || (v.match(/\d/g) ?? []).length < 4 || findAnyDates(v).length > 0) return undefined;
    const start = from + m[0].indexOf(v);
    return { start, end: start + v.length };
  }
  if (field === 'surname' || field === 'given' || field === 'name') {
    const m = NAME_VALUE.exec(rest);
    const v = m?.[1];
    if (!m || !v) return undefined;
    // The value ends where the next label starts ("DUPONT Prénoms : Jean").
    const words: string[] = [];
    for (const w of v.split(/(?=[ ,])/)) {
      if (isLabelWord(w.replace(/^[ ,]+/, ''))) break;
      words.push(w);
    }
    const kept = words.join('').trim();
    if (kept.replace(/[^A-Za-zÀ-ÿ]/g, '').length < 2) return undefined;
    const start = from + m[0].indexOf(v);
    return { start, end: start + kept.length };
  }
  return undefined;
}

const toMatch = (
  kind: TextMatch['kind'],
  r: TextRange,
  text: string,
  certainty: TextMatch['certainty'],
  where: string,
): TextMatch => {
  const value = text.slice(r.start, r.end);
  if (kind === 'person_name' && where !== '') {
    // An MRZ line holds more than the name: no initials from it.
    return { kind, certainty, ranges: [r], summary: `holder's name${where}`, details: { onDocument: true } };
  }
  if (kind === 'person_name') {
    const masked = maskName(value);
    return {
      kind,
      certainty,
      ranges: [r],
      summary: `name ${masked}${where}`,
      details: { masked, onDocument: true },
    };
  }
  if (kind === 'national_id') {
    const masked = maskTail(value.replace(/[\s<]/g, ''), 2);
    return {
      kind,
      certainty,
      ranges: [r],
      summary: `document number ${masked}${where}`,
      details: { masked, documentNumber: true, checksum: false },
    };
  }
  return { kind, certainty, ranges: [r], summary: `date of birth${where}`, details: { onDocument: true } };
};

/** The holder's name, birth date and document number in a parsed MRZ (each covered with its line). */
export function findMrzFields(text: string): TextMatch[] {
  const out: TextMatch[] = [];
  for (const r of readMrz(text)) {
    const certainty = r.valid ? 'confirmed' : 'likely';
    // TD1 prints the number on its first line, the dates on the second, the name on the third;
    // TD2/TD3 the name first, then number and dates.
    const [nameLine, numberLine, birthLine] = r.format === 'TD1' ? [2, 0, 1] : [0, 1, 1];
    const line = (i: number): TextRange | undefined => r.ranges[i];
    const where = ' (machine-readable zone)';
    const name = line(nameLine);
    if (r.hasName && name) out.push(toMatch('person_name', name, text, certainty, where));
    const birth = line(birthLine);
    if (r.birthDate && /^\d{6}$/.test(r.birthDate) && birth) {
      const m = toMatch('date_of_birth', birth, text, certainty, where);
      // Only a birth date whose check digits verify says whose portrait this is (pipeline/documents.ts).
      const adult = r.valid ? isAdultOn(r.birthDate, new Date()) : undefined;
      if (adult !== undefined) m.details = { ...m.details, holderAdult: adult };
      out.push(m);
    }
    const num = line(numberLine);
    if (r.documentNumber && /\d/.test(r.documentNumber) && num) {
      const m = toMatch('national_id', num, text, certainty, where);
      m.summary = `document number ${maskTail(r.documentNumber.replace(/</g, ''), 2)}${where}`;
      m.details = { ...m.details, masked: maskTail(r.documentNumber.replace(/</g, ''), 2) };
      out.push(m);
    }
  }
  return out;
}

/**
 * MRZ lines that did not parse still hold their fields at known places: the birth date before the
 * check digit, sex and expiry ("6612315F0905264"), the name on a line of letters and fillers, the
 * document number at the start of the number line.
 */
export function findLooseMrzFields(text: string): TextMatch[] {
  const used = new Set(readMrz(text).flatMap((r) => r.lineIndexes));
  const out: TextMatch[] = [];
  const where = ' (machine-readable zone)';
  for (const r of findMrzLikeLines(text, used)) {
    const s = toMrzLine(text.slice(r.start, r.end));
    if (/\d{6}[\dO][MF<]\d{6}/.test(s)) {
      out.push(toMatch('date_of_birth', r, text, 'likely', where));
      // A passport's name line sits just above its number line, even when it reads too badly to count.
      const lines = toLines(text);
      const k = lines.findIndex((l) => l.start === r.start);
      const above = k > 0 ? lines[k - 1] : undefined;
      if (
        above &&
        /^[PV][A-Z<][A-Z<]{3}[A-Z]{3,}/.test(toMrzLine(above.text)) &&
        !out.some((m) => m.kind === 'person_name')
      )
        out.push(
          toMatch(
            'person_name',
            { start: above.start, end: above.start + above.text.length },
            text,
            'likely',
            where,
          ),
        );
      const num = s.slice(0, 9).replace(/O/g, '0');
      if ((num.match(/\d/g) ?? []).length >= 3) {
        const m = toMatch('national_id', r, text, 'possible', where);
        m.summary = `document number ${maskTail(num.replace(/</g, ''), 2)}${where}`;
        m.details = { ...m.details, masked: maskTail(num.replace(/</g, ''), 2) };
        out.push(m);
      }
    } else if (/^(?:[PIACV][A-Z<][A-Z<]{3})?[A-Z]{2,}<{1,2}[A-Z]{2,}/.test(s) && !/\d{3}/.test(s))
      out.push(toMatch('person_name', r, text, 'likely', where));
  }
  return out;
}

const KIND_OF: Partial<Record<FieldName, TextMatch['kind']>> = {
  surname: 'person_name',
  given: 'person_name',
  name: 'person_name',
  birth: 'date_of_birth',
  number: 'national_id',
};

/** Values beside the labels of a document (same line, else the next line when the label ends its line). */
export function findLabelledFields(text: string, licence: boolean): TextMatch[] {
  const lines = toLines(text);
  const out: TextMatch[] = [];
  const taken: TextRange[] = [];
  for (const l of findLabels(text, licence)) {
    const kind = KIND_OF[l.field];
    if (!kind) continue;
    let r = valueAfter(text, l.after, l.field);
    const next = lines[l.line + 1];
    // The value printed under its label: the next line, when nothing but other labels follow.
    if (!r && next) r = valueAfter(text, next.start, l.field);
    if (!r || taken.some((t) => t.start < r.end && r.start < t.end)) continue;
    taken.push(r);
    out.push(toMatch(kind, r, text, 'likely', ''));
  }
  return out;
}

/**
 * Values an identity document prints without a label the OCR kept: the oldest full date is the
 * birth date (the others are issue and expiry), a letter-and-digits token the document number, a
 * street line ("123 MAIN STREET") followed by "CITY, ST 12345" the address.
 */
export function findUnlabelledFields(text: string, found: readonly TextMatch[]): TextMatch[] {
  const out: TextMatch[] = [];
  const has = (k: TextMatch['kind']): boolean => found.some((m) => m.kind === k);
  if (!has('person_name')) {
    // The holder's name in capitals on a line of its own (its label unread): 2–4 words of letters.
    for (const line of toLines(text)) {
      const m = /^\s*([A-Z][A-Z'-]+(?: [A-Z][A-Z'-]+){1,3})\s*$/.exec(line.text);
      const words = m?.[1]?.split(' ') ?? [];
      if (!m?.[1] || words.some((w) => w.length < 2 || DOCUMENT_WORDS.has(w))) continue;
      if (isLabelWord(m[1]) || findTitle(toTokens(foldText(m[1])))) continue;
      const start = line.start + m[0].indexOf(m[1]);
      out.push(toMatch('person_name', { start, end: start + m[1].length }, text, 'possible', ''));
      break;
    }
  }
  if (!has('date_of_birth')) {
    const dated = findAnyDates(text)
      .map((r) => ({ r, year: toYear(text.slice(r.start, r.end)) }))
      .filter((d): d is { r: TextRange; year: number } => d.year !== undefined);
    const oldest = [...dated].sort((a, b) => a.year - b.year)[0];
    const newest = Math.max(...dated.map((d) => d.year));
    if (oldest && newest - oldest.year >= 12)
      out.push(toMatch('date_of_birth', oldest.r, text, 'likely', ''));
  }
  if (!has('national_id'))
    for (const m of text.matchAll(/(?<![A-Za-z0-9/.-])([A-Z]{0,2}\d{6,12}[A-Z]?)(?![A-Za-z0-9/.-])/g)) {
      const r = { start: m.index, end: m.index + m[0].length };
      if (findAnyDates(m[0]).length > 0 || /^(\d)\1+$/.test(m[0].replace(/\D/g, '').slice(1))) continue;
      out.push(toMatch('national_id', r, text, 'possible', ''));
      break;
    }
  if (!has('address')) {
    const street = STREET_LINE.exec(text);
    if (street) {
      const r = { start: street.index, end: street.index + street[0].length };
      const city = CITY_LINE.exec(text.slice(r.end, r.end + 80));
      const ranges = city
        ? [r, { start: r.end + city.index, end: r.end + city.index + city[0].length }]
        : [r];
      out.push({
        kind: 'address',
        certainty: 'likely',
        ranges,
        summary: 'postal address',
        details: { street: true, postcode: city !== null, onDocument: true },
      });
    }
  }
  return out;
}

/** Capitals a document prints that are not a holder's name (country, document and card words). */
const DOCUMENT_WORDS = new Set([
  'OF',
  'THE',
  'REPUBLIC',
  'KINGDOM',
  'STATE',
  'UNITED',
  'CARD',
  'LICENSE',
  'LICENCE',
  'DRIVER',
  'DRIVERS',
  'IDENTITY',
  'NATIONAL',
  'ORGAN',
  'DONOR',
  'VETERAN',
  'SPECIMEN',
  'SAMPLE',
  'USA',
  'CLASS',
  'LIMITED',
  'FEDERAL',
  'NONE',
  'VOID',
  'PERMIT',
  'RESIDENCE',
  'EUROPEAN',
  'UNION',
]);

// "123 MAIN STREET", "123m MAIN ST" (OCR glues a letter to the number), any case.
const STREET_LINE =
  /(?<![A-Za-z0-9])\d{1,5}[a-z]?\s*(?:[A-Za-z]+\s+){0,3}(?:STREET|ST|AVENUE|AVE|ROAD|RD|DRIVE|DR|LANE|LN|BOULEVARD|BLVD|WAY|COURT|CT|PLACE|PL|RUE|AVENUE|STRASSE|STR)\b\.?/i;
const CITY_LINE = /[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+){0,2},?\s+[A-Z]{2}\s+\d{5}(?:-\d{4})?/;

function toYear(date: string): number | undefined {
  const four = /(?:19|20)\d{2}(?!\d)/.exec(date);
  if (four) return Number(four[0]);
  const two = /(\d{2})$/.exec(date.trim());
  if (!two) return undefined;
  const y = Number(two[1]);
  return y > 40 ? 1900 + y : 2000 + y;
}
