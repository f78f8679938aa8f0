// Is this page an identity document, which type, which side: the MRZ's document code, the printed
// title, the field labels, the numbered fields of a licence ("1. 2. 3. 4a 4b 4d 5 8") and the US
// short labels (DL, DOB, EXP, ISS, CLASS), combined.
import { toLines } from '../recognizers/match.ts';
import { findMrzLikeLines, readMrz, toMrzLine } from '../recognizers/mrz.ts';
import {
  findFieldLabels,
  findTitle,
  foldText,
  toTokens,
  type FieldName,
  type IdDocumentType,
} from './labels.ts';

export interface IdClassification {
  type: IdDocumentType;
  /** 'both': a card's two sides in one picture (the back's MRZ and the front's title, labels or name). */
  side: 'front' | 'back' | 'both';
  certainty: 'confirmed' | 'likely' | 'possible';
  mrz: boolean;
  /** A driving licence (numbered fields and US labels are read as fields). */
  licence: boolean;
  /** Indexes of the lines that told (title, labels, MRZ): the anchors of the document's region. */
  anchors: number[];
  /** The signals that decided, for the report details (no text). */
  signals: string[];
}

/** Labels only identity documents print; name, address and signature appear on any form. */
const ID_FIELDS: ReadonlySet<FieldName> = new Set([
  'surname',
  'given',
  'birth',
  'nationality',
  'sex',
  'expiry',
  'issue',
  'birthplace',
  'authority',
  'number',
  'height',
]);

const NUMBERED = new Set(['1', '2', '3', '4A', '4B', '4C', '4D', '5', '7', '8', '9', '9A', '10', '11', '12']);
const US_SHORT = new Set([
  'DL',
  'DLN',
  'DOB',
  'EXP',
  'ISS',
  'CLASS',
  'END',
  'REST',
  'RSTR',
  'HGT',
  'WGT',
  'EYES',
  'HAIR',
  'LN',
  'FN',
  'DD',
  'SEX',
  'DONOR',
]);

/** The MRZ document code's type: P passport, V visa, I/A/C card, a card coded ?R (AR, IR) a residence permit. */
export function typeOfCode(code: string): IdDocumentType {
  const c = code.charAt(0);
  if ('IAC'.includes(c) && c !== '' && code.charAt(1) === 'R') return 'residence permit';
  if (c === 'P') return 'passport';
  if (c === 'V') return 'visa';
  if (c === 'D') return 'driving licence';
  if (c === 'I' || c === 'A' || c === 'C') return 'identity card';
  return 'travel document';
}

/** The type an unread MRZ's line length tells: 30 characters TD1 (cards), 44 TD3 (passports). */
function toTypeOfLength(lengths: readonly number[]): IdDocumentType | undefined {
  if (lengths.some((n) => Math.abs(n - 30) <= 1)) return 'identity card';
  if (lengths.some((n) => Math.abs(n - 44) <= 1)) return 'passport';
  return undefined;
}

/** The MRZ's surname printed again outside the MRZ: the front of the card is in the picture. */
function isSurnamePrinted(lines: readonly { text: string }[], reads: ReturnType<typeof readMrz>): boolean {
  for (const r of reads) {
    const nameLine = r.format === 'TD1' ? r.lineIndexes[2] : r.lineIndexes[0];
    const raw = nameLine === undefined ? '' : toMrzLine(lines[nameLine]?.text ?? '');
    const surname = (r.format === 'TD1' ? raw : raw.slice(5)).split('<')[0] ?? '';
    if (surname.length < 4) continue;
    if (
      lines.some((l, i) => !r.lineIndexes.includes(i) && foldText(l.text).replace(/ /g, '').includes(surname))
    )
      return true;
  }
  return false;
}

/** `known`: the type another reading of the same photo found from its MRZ, if any. */
export function classifyId(text: string, known?: IdDocumentType): IdClassification | undefined {
  const lines = toLines(text);
  const anchors = new Set<number>();
  const fields = new Set<FieldName>();
  const numbered = new Set<string>();
  const us = new Set<string>();
  let title: IdDocumentType | undefined;
  lines.forEach((line, i) => {
    const tokens = toTokens(foldText(line.text));
    const t = findTitle(tokens);
    // A title is printed on its own: it makes up a good part of its line, not a word in a table cell.
    const letters = line.text.replace(/[^A-Za-z0-9]/g, '').length;
    if (t && t.at.text.length >= 0.4 * letters) {
      title ??= t.type;
      anchors.add(i);
    }
    for (const l of findFieldLabels(tokens))
      if (ID_FIELDS.has(l.field)) {
        fields.add(l.field);
        anchors.add(i);
      }
    for (const tok of tokens) {
      const after = line.text.charAt(tok.end);
      // "4d." is a field number; "9,30" or "3.5" a decimal number.
      const decimal = /\d/.test(line.text.charAt(tok.end + 1));
      if (NUMBERED.has(tok.text) && (after === '.' || after === ',') && !decimal) {
        numbered.add(tok.text);
        anchors.add(i);
      }
      if (US_SHORT.has(tok.text)) {
        us.add(tok.text);
        anchors.add(i);
      }
    }
  });
  const reads = readMrz(text);
  // An MRZ is printed as one word per line: OCR splits it a few times at most (a table of codes is not one).
  const band = findMrzLikeLines(text).filter(
    (b) => text.slice(b.start, b.end).trim().split(/\s+/).length <= 4,
  );
  for (const r of reads) for (const i of r.lineIndexes) anchors.add(i);
  lines.forEach((l, i) => {
    if (band.some((b) => b.start === l.start)) anchors.add(i);
  });
  const signals: string[] = [];
  let type: IdDocumentType | undefined;
  let certainty: IdClassification['certainty'] = 'possible';
  // One long MRZ line alone (its partner unread) with the digits of a number or dates.
  const lone =
    band.length === 1 &&
    toLines(text).some(
      (l) =>
        toMrzLine(l.text).length >= 28 && /\d{6}/.test(toMrzLine(l.text)) && /<{3,}/.test(toMrzLine(l.text)),
    );
  const mrz = reads.length > 0 || band.length >= 2 || lone;
  const fourX = [...numbered].some((n) => n.startsWith('4'));
  const licenceFields = (numbered.size >= 3 && fourX) || numbered.size >= 5;
  const usLicence = us.size >= 3 && (us.has('DL') || us.has('DLN') || us.has('DOB'));
  // A US licence's back: class, endorsements and restrictions, and the word licence.
  const usBack =
    us.has('CLASS') && (us.has('END') || us.has('REST') || us.has('RSTR')) && /\blicen[cs]e\b/i.test(text);
  // Issue, expiry and birth: a titled document with two full dates on it.
  const dated = (text.match(/(?<!\d)\d{1,2}[./-]\d{1,2}[./-](?:19|20)\d{2}(?!\d)/g) ?? []).length;
  const read = reads[0];
  if (read) {
    signals.push('mrz');
    type = typeOfCode(read.documentCode);
    certainty = read.valid ? 'confirmed' : 'likely';
    // A permit or a licence says so in its title; the MRZ code of a permit often reads as a card.
    if (title === 'residence permit' && type === 'identity card') type = title;
  } else if (band.length >= 2 || lone) {
    signals.push('mrz');
    const first = toMrzLine(text.slice(band[0]?.start ?? 0, band[0]?.end ?? 0));
    const coded = /^[PVIAC][A-Z<]/.test(first)
      ? typeOfCode(first.slice(0, 2))
      : band.length === 3
        ? 'identity card'
        : toTypeOfLength(band.map((b) => toMrzLine(text.slice(b.start, b.end)).length));
    type = title ?? coded ?? 'travel document';
    certainty = lone ? 'possible' : 'likely';
  }
  if (!type && known) {
    signals.push('mrz');
    type = known === 'travel document' || (known === 'identity card' && title) ? (title ?? known) : known;
    certainty = 'likely';
  }
  if (title) signals.push('title');
  if (fields.size > 0) signals.push('labels');
  if (licenceFields) signals.push('numbered fields');
  if (usLicence || usBack) signals.push('us labels');
  if (!type) {
    if (title && (fields.size >= 1 || licenceFields || usLicence || us.size >= 2)) {
      type = title;
      certainty = fields.size + (licenceFields ? 2 : 0) + (usLicence ? 2 : 0) >= 2 ? 'likely' : 'possible';
    } else if (licenceFields || usLicence || usBack) {
      type = title ?? 'driving licence';
      certainty = 'likely';
    } else if (title && dated >= 2) {
      type = title;
      signals.push('dates');
    } else if (fields.size >= 3) {
      type = title ?? 'identity card';
      certainty = fields.size >= 4 ? 'likely' : 'possible';
    } else return undefined;
  }
  if (type === 'travel document' && title) type = title;
  if (type === 'identity card' && (licenceFields || usLicence || usBack) && !read) type = 'driving licence';
  const td1 = read?.format === 'TD1' || (!read && band.length === 3);
  // The back of a card: its MRZ (TD1), or a licence's back (class and restrictions, no birth date or name).
  // With the front's title, labels or the holder's surname printed outside the MRZ, both sides show.
  const front = fields.size > 1 || title !== undefined || isSurnamePrinted(lines, reads);
  const licenceBack = usBack && !usLicence && !fields.has('birth') && !fields.has('surname');
  const side = td1 ? (front ? 'both' : 'back') : licenceBack ? 'back' : 'front';
  return {
    type,
    side,
    certainty,
    mrz,
    licence: type === 'driving licence' || licenceFields || usLicence || usBack,
    anchors: [...anchors].sort((a, b) => a - b),
    signals,
  };
}
