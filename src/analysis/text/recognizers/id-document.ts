// Identity documents: an MRZ, or the title of a document (PASSPORT, CARTE NATIONALE D'IDENTITÉ,
// DRIVER LICENSE …) together with the field labels such documents print. On a document, the MRZ band,
// the document number and every date are covered.
import { findDates } from './date-of-birth.ts';
import { isOverlapping } from './match.ts';
import type { TextMatch, TextRange } from './match.ts';
import { findMrzLikeLines, readMrz, toDocumentTypeName } from './mrz.ts';

const TITLES: readonly { re: RegExp; type: string }[] = [
  { re: /\bPASS(?:E)?PORT\b|\bPASAPORTE\b|\bREISEPASS\b|\bPASSAPORTO\b/i, type: 'passport' },
  {
    re: /CARTE\s+NATIONALE\s+D['’ ]?\s*IDENTIT[ÉE]|IDENTITY\s+CARD|NATIONAL\s+ID(?:ENTITY)?\s+CARD|PERSONALAUSWEIS|DOCUMENTO\s+NACIONAL\s+DE\s+IDENTIDAD|CARTA\s+D['’ ]IDENTIT[ÀA]|ASMENS\s+TAPATYB[ĖE]S\s+KORTEL[ĖE]|IDENTITEITSKAART/i,
    type: 'identity card',
  },
  {
    re: /PERMIS\s+DE\s+CONDUIRE|DRIVER['’]?S?\s+LICEN[CS]E|DRIVING\s+LICEN[CS]E|F[ÜU]HRERSCHEIN|PERMISO\s+DE\s+CONDUCCI[ÓO]N|PATENTE\s+DI\s+GUIDA/i,
    type: 'driving licence',
  },
  {
    re: /RESIDENCE\s+PERMIT|TITRE\s+DE\s+S[ÉE]JOUR|AUFENTHALTSTITEL|PERMISO\s+DE\s+RESIDENCIA/i,
    type: 'residence permit',
  },
];

// Labels a document prints next to its fields; two or more make a title "document-like".
const FIELD_LABELS: readonly RegExp[] = [
  /\bsurname\b|\bnom\b/i,
  /given\s+names?|pr[ée]noms?/i,
  /date\s+of\s+birth|date\s+de\s+naissance|n[ée]e?\s+le\b/i,
  /nationality|nationalit[ée]/i,
  /\bsex\b|\bsexe\b/i,
  /date\s+of\s+expiry|expiry|expiration|valable\s+jusqu|date\s+d['’]expiration/i,
  /date\s+of\s+issue|d[ée]livr[ée]e?\s+le|issued/i,
  /place\s+of\s+birth|lieu\s+de\s+naissance/i,
  /document\s+n(?:o|umber|°)|passport\s+n(?:o|°)|n°\s+du\s+document|card\s+n(?:o|umber)/i,
  /\bsignature\b/i,
  /issuing\s+(?:country|authority)|autorit[ée]/i,
];

// A document number beside its label: 6–12 letters/digits with at least 4 digits.
const DOC_NUMBER =
  /(?:document\s+n(?:o|umber|°)\.?|passport\s+n(?:o|°)\.?|card\s+n(?:o|umber)\.?|n°)\s*[:.]?\s*([A-Z0-9]{6,12})(?![A-Za-z0-9])/gi;

function findAll(text: string, needle: string): TextRange[] {
  const out: TextRange[] = [];
  if (needle.length < 5) return out;
  // Tolerate spaces OCR inserts inside a number.
  const re = new RegExp(needle.split('').join('[ ]?'), 'g');
  for (const m of text.toUpperCase().matchAll(re)) out.push({ start: m.index, end: m.index + m[0].length });
  return out;
}

function toSensitiveRanges(text: string, documentNumber?: string): TextRange[] {
  const ranges = [...findDates(text)];
  if (documentNumber) ranges.push(...findAll(text, documentNumber.replace(/</g, '')));
  for (const m of text.matchAll(DOC_NUMBER)) {
    const v = m[1] ?? '';
    if ((v.match(/\d/g) ?? []).length < 4) continue;
    const start = m.index + m[0].lastIndexOf(v);
    ranges.push({ start, end: start + v.length });
  }
  return ranges;
}

export function findIdDocuments(text: string): TextMatch[] {
  const out: TextMatch[] = [];
  const reads = readMrz(text);
  for (const r of reads) {
    const type = toDocumentTypeName(r.documentCode);
    const extra = toSensitiveRanges(text, r.documentNumber).filter(
      (x) => !r.ranges.some((m) => isOverlapping(m, x)),
    );
    out.push({
      kind: 'id_document',
      certainty: r.valid ? 'confirmed' : 'likely',
      ranges: [...r.ranges, ...extra],
      summary: `${type}${r.issuingState ? ` (${r.issuingState})` : ''} with a machine-readable zone`,
      details: { documentType: type, ...(r.issuingState ? { issuingState: r.issuingState } : {}), mrz: true },
    });
  }
  if (reads.length > 0) return out;

  // An MRZ band that did not parse (two or three filler-padded lines) is still an identity document.
  const band = findMrzLikeLines(text);
  if (band.length >= 2) {
    out.push({
      kind: 'id_document',
      certainty: 'likely',
      ranges: [...band, ...toSensitiveRanges(text).filter((x) => !band.some((m) => isOverlapping(m, x)))],
      summary: 'identity document with a machine-readable zone',
      details: { documentType: 'travel document', mrz: true },
    });
    return out;
  }

  // No MRZ: a document title plus at least two field labels.
  const title = TITLES.map((t) => ({ t, m: t.re.exec(text) })).find((x) => x.m !== null);
  if (!title?.m) return out;
  const labels = FIELD_LABELS.filter((re) => re.test(text)).length;
  if (labels < 2) return out;
  const titleRange = { start: title.m.index, end: title.m.index + title.m[0].length };
  out.push({
    kind: 'id_document',
    certainty: labels >= 3 ? 'likely' : 'possible',
    ranges: [titleRange, ...toSensitiveRanges(text)],
    summary: `${title.t.type} (printed title and field labels)`,
    details: { documentType: title.t.type, mrz: false, labels },
  });
  return out;
}
