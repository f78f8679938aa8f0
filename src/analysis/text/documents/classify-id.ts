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
  side: 'front' | 'back';
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
      if (NUMBERED.has(tok.text) && (after === '.' || after === ',')) {
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
        : undefined;
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
  if (usLicence) signals.push('us labels');
  if (!type) {
    if (title && (fields.size >= 1 || licenceFields || usLicence || us.size >= 2)) {
      type = title;
      certainty = fields.size + (licenceFields ? 2 : 0) + (usLicence ? 2 : 0) >= 2 ? 'likely' : 'possible';
    } else if (licenceFields || usLicence) {
      type = title ?? 'driving licence';
      certainty = 'likely';
    } else if (fields.size >= 3) {
      type = title ?? 'identity card';
      certainty = fields.size >= 4 ? 'likely' : 'possible';
    } else return undefined;
  }
  if (type === 'travel document' && title) type = title;
  if (type === 'identity card' && (licenceFields || usLicence) && !read) type = 'driving licence';
  const td1 = read?.format === 'TD1' || (!read && band.length === 3);
  // The back of a card: its MRZ (TD1) or a licence's back without its fields, and no printed title.
  const side = td1 && fields.size <= 1 && !title ? 'back' : 'front';
  return {
    type,
    side,
    certainty,
    mrz,
    licence: type === 'driving licence' || licenceFields || usLicence,
    anchors: [...anchors].sort((a, b) => a - b),
    signals,
  };
}
