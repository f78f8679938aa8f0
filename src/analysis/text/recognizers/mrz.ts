// Machine-readable zones (ICAO 9303 TD1 3×30, TD2 2×36, TD3 2×44) in OCR text, parsed and
// check-digit validated with the `mrz` package after undoing the usual OCR misreads.
import { parse } from 'mrz';
import type { ParseResult } from 'mrz';
import { toLines } from './match.ts';
import { toLicenceMrz } from './mrz-licence.ts';
import type { TextMatch, TextRange } from './match.ts';

export type MrzFormat = 'TD1' | 'TD2' | 'TD3';

const LAYOUTS: readonly { format: MrzFormat; lines: number; length: number }[] = [
  { format: 'TD3', lines: 2, length: 44 },
  { format: 'TD2', lines: 2, length: 36 },
  { format: 'TD1', lines: 3, length: 30 },
];

export interface MrzRead {
  format: MrzFormat;
  /** True when every check digit verifies. */
  valid: boolean;
  documentCode: string;
  issuingState?: string;
  documentNumber?: string;
  /** YYMMDD as printed in the MRZ. */
  birthDate?: string;
  expirationDate?: string;
  /** True when the name field holds letters (the holder's name). */
  hasName?: boolean;
  /** Indexes (in `text.split('\n')`) of the MRZ lines. */
  lineIndexes: number[];
  ranges: TextRange[];
}

/**
 * The MRZ alphabet is A–Z, 0–9 and "<". OCR turns "<<" into "«", drops spaces between fillers, and
 * reads a lone "<" as K, C or L; a run of those letters between fillers (or at the end) is filler.
 */
export function toMrzLine(raw: string): string {
  let s = raw
    .toUpperCase()
    .replace(/«/g, '<<')
    .replace(/[‹〈＜([{]/g, '<')
    .replace(/\s+/g, '')
    .replace(/[^A-Z0-9<]/g, '');
  // A filler run read as a mix of "<", C, K and L ("LTUCCCCCCCC<C<<9"): a long run that ends the
  // line (but for check digits) and has a C/K/L after a real "<" is filler. Names ending in
  // C/K/L ("ERICK<<<", "RUSSELL<<<") have no C/K/L after a "<" and are kept.
  s = s.replace(/[<CKL]{6,}(?=[0-9A-Z]{0,2}$)/g, (run) =>
    /<[CKL]/.test(run) ? '<'.repeat(run.length) : run,
  );
  for (let i = 0; i < 4; i++) {
    const next = s.replace(/(?<=<)[KCLE]{1,3}(?=<|$)/g, (run) => '<'.repeat(run.length));
    if (next === s) break;
    s = next;
  }
  return s;
}

/** Pads or trims the longest filler run so the line has the layout's length (±3 characters). */
export function toMrzLength(line: string, length: number): string | undefined {
  const diff = length - line.length;
  if (diff === 0) return line;
  let best: { start: number; len: number } | undefined;
  for (const m of line.matchAll(/<+/g))
    if (!best || m[0].length > best.len) best = { start: m.index, len: m[0].length };
  if (!best || best.len + diff < 1) return undefined;
  // A trailing filler run may be off by several "<"; anything else by at most three characters. A
  // run of two or more may also be short by any number: a line reader collapses long "<<<<" runs.
  const trailing = best.start + best.len === line.length;
  const collapsed = diff > 0 && best.len >= 2;
  if (!collapsed && Math.abs(diff) > (trailing && diff < 0 ? 8 : 3)) return undefined;
  const run = '<'.repeat(best.len + diff);
  return line.slice(0, best.start) + run + line.slice(best.start + best.len);
}

/** Candidate fixes of one line's length: filler adjusted, or one stray character dropped / one "<" added. */
function toLengthCandidates(line: string, length: number): string[] {
  const out = new Set<string>();
  const filler = toMrzLength(line, length);
  if (filler) out.add(filler);
  const base = line.length === length + 2 ? toMrzLength(line, length + 1) : line;
  if (base?.length === length + 1)
    for (let i = 0; i < base.length; i++) out.add(base.slice(0, i) + base.slice(i + 1));
  if (line.length === length - 1)
    for (let i = 0; i <= line.length; i++) out.add(`${line.slice(0, i)}<${line.slice(i)}`);
  return [...out];
}

function toParseScore(lines: string[]): number {
  const r = tryParse(lines);
  if (!r) return -1;
  return (
    (isCheckDigitsValid(r, lines) ? 2 : 0) +
    r.details.filter((d) => d.valid).length / Math.max(1, r.details.length)
  );
}

/** Line by line, the length fix that parses best (OCR drops or adds a character now and then). */
function toBestLines(lines: string[], length: number): string[] | undefined {
  const options = lines.map((l) => toLengthCandidates(l, length));
  if (options.some((o) => o.length === 0)) return undefined;
  const chosen = options.map((o) => o[0] ?? '');
  options.forEach((opts, i) => {
    if (opts.length < 2) return;
    let bestScore = -Infinity;
    for (const candidate of opts) {
      const trial = chosen.map((c, k) => (k === i ? candidate : c));
      const score = toParseScore(trial);
      if (score > bestScore) {
        bestScore = score;
        chosen[i] = candidate;
      }
    }
  });
  return chosen;
}

function isMrzLike(line: string): boolean {
  return line.length >= 26 && line.length <= 48 && (line.match(/</g) ?? []).length >= 2;
}

function tryParse(lines: string[]): ParseResult | undefined {
  try {
    return parse(lines, { autocorrect: true });
  } catch {
    return undefined;
  }
}

/**
 * Check digits a visa does not print: an MRV (ICAO 9303 part 7) ends its second line with optional
 * data, without the passport's personal-number and composite digits.
 */
const NOT_ON_VISAS: ReadonlySet<string> = new Set(['personalNumberCheckDigit', 'compositeCheckDigit']);

/**
 * Every check digit verifies (the package's own `valid` also rejects unknown state codes); on a
 * visa, the digits it prints (document number, birth and expiry dates).
 */
function isCheckDigitsValid(result: ParseResult, lines: readonly string[]): boolean {
  // The package reads TD3 codes as passports only ("VN" is an invalid code to it, its field null).
  const visa = lines[0]?.startsWith('V') ?? false;
  const checks = result.details.filter(
    (d) => d.field?.endsWith('CheckDigit') && !(visa && NOT_ON_VISAS.has(d.field)),
  );
  return checks.length > 0 && checks.every((d) => d.valid);
}

function toRead(
  result: ParseResult,
  format: MrzFormat,
  lines: string[],
  lineIndexes: number[],
  ranges: TextRange[],
): MrzRead {
  const f = result.fields;
  const stateOk = result.details.find((d) => d.field === 'issuingState')?.valid ?? false;
  const state =
    (stateOk ? f.issuingState : undefined) ?? f.nationality ?? lines[0]?.slice(2, 5).replace(/</g, '');
  const read: MrzRead = {
    format,
    valid: isCheckDigitsValid(result, lines),
    documentCode:
      (f.documentCode ?? (lines[0]?.startsWith('V') ? lines[0].slice(0, 2) : '')).replace(/</g, '') || '?',
    lineIndexes,
    ranges,
  };
  if (state && /^[A-Z]{1,3}$/.test(state)) read.issuingState = state;
  if (f.documentNumber) read.documentNumber = f.documentNumber;
  if (f.birthDate) read.birthDate = f.birthDate;
  if (f.expirationDate) read.expirationDate = f.expirationDate;
  if (/[A-Z]{2}/.test(`${f.lastName ?? ''}${f.firstName ?? ''}`)) read.hasName = true;
  return read;
}

/** Every MRZ in `text` (one OCR line per "\n"), parsed; unparsable MRZ-like lines are left out. */
export function readMrz(text: string): MrzRead[] {
  const lines = toLines(text).map((l) => ({ ...l, mrz: toMrzLine(l.text) }));
  const used = new Set<number>();
  const out: MrzRead[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (used.has(i) || !isMrzLike(lines[i]?.mrz ?? '')) continue;
    let best: { read: MrzRead; score: number } | undefined;
    for (const layout of LAYOUTS) {
      const group = lines.slice(i, i + layout.lines);
      if (group.length < layout.lines) continue;
      const fixed = toBestLines(
        group.map((l) => l.mrz),
        layout.length,
      );
      if (!fixed) continue;
      const result = tryParse(fixed);
      if (!result) continue;
      const okFields = result.details.filter((d) => d.valid).length / Math.max(1, result.details.length);
      const score = (isCheckDigitsValid(result, fixed) ? 2 : 0) + okFields;
      if (okFields < 0.6) continue;
      const indexes = group.map((_, k) => i + k);
      const ranges = group.map((l) => ({ start: l.start, end: l.start + l.text.length }));
      if (!best || score > best.score)
        best = { read: toRead(result, layout.format, fixed, indexes, ranges), score };
    }
    if (best) {
      out.push(best.read);
      for (const k of best.read.lineIndexes) used.add(k);
      i = Math.max(...best.read.lineIndexes);
    }
  }
  return out;
}

/** Lines that look like MRZ (fillers, MRZ alphabet) but did not parse: still worth covering. */
export function findMrzLikeLines(text: string, exclude: ReadonlySet<number> = new Set()): TextRange[] {
  return toLines(text)
    .map((l, i) => ({ ...l, i, mrz: toMrzLine(l.text) }))
    .filter((l) => !exclude.has(l.i) && isMrzLike(l.mrz) && /<{3,}/.test(l.mrz))
    .filter((l) => l.mrz.length / Math.max(1, l.text.replace(/\s/g, '').length) > 0.8)
    .map((l) => ({ start: l.start, end: l.start + l.text.length }));
}

/**
 * One-line driving-licence MRZs (see mrz-licence.ts) among the lines not in `exclude`: printed in
 * capitals, digits and fillers only (a sentence squeezed to 30 letters is not one).
 */
export function readLicenceMrz(
  text: string,
  exclude: ReadonlySet<number> = new Set(),
): { valid: boolean; issuingState: string; lineIndex: number; range: TextRange }[] {
  const out: { valid: boolean; issuingState: string; lineIndex: number; range: TextRange }[] = [];
  toLines(text).forEach((l, i) => {
    if (exclude.has(i) || /[a-z]/.test(l.text) || !l.text.includes('<')) return;
    const raw = toMrzLine(l.text);
    if (raw.length < 28 || raw.length > 32 || raw.length < 0.9 * l.text.replace(/\s/g, '').length) return;
    const line = toMrzLength(raw, 30);
    const read = line ? toLicenceMrz(line) : undefined;
    if (read) out.push({ ...read, lineIndex: i, range: { start: l.start, end: l.start + l.text.length } });
  });
  return out;
}

export function toDocumentTypeName(documentCode: string): string {
  const c = documentCode.charAt(0);
  if (c === 'P') return 'passport';
  if (c === 'V') return 'visa';
  if (c === 'I' || c === 'A' || c === 'C') return 'identity card';
  return 'travel document';
}

export function findMrz(text: string): TextMatch[] {
  const reads = readMrz(text);
  const out: TextMatch[] = reads.map((r) => ({
    kind: 'mrz',
    certainty: r.valid ? 'confirmed' : 'likely',
    ranges: r.ranges,
    summary:
      `${toDocumentTypeName(r.documentCode)} machine-readable zone${r.issuingState ? ` (${r.issuingState})` : ''}, ` +
      (r.valid ? 'check digits valid' : 'check digits do not all verify'),
    details: {
      format: r.format,
      documentCode: r.documentCode,
      ...(r.issuingState ? { issuingState: r.issuingState } : {}),
      checkDigitsValid: r.valid,
    },
  }));
  const used = new Set(reads.flatMap((r) => r.lineIndexes));
  for (const r of readLicenceMrz(text, used)) {
    used.add(r.lineIndex);
    out.push({
      kind: 'mrz',
      certainty: r.valid ? 'confirmed' : 'likely',
      ranges: [r.range],
      summary: `driving licence machine-readable zone (${r.issuingState}), check digit ${r.valid ? 'valid' : 'does not verify'}`,
      details: { format: 'DL1', documentCode: 'D', issuingState: r.issuingState, checkDigitsValid: r.valid },
    });
  }
  const loose = findMrzLikeLines(text, used);
  if (loose.length > 0)
    out.push({
      kind: 'mrz',
      certainty: 'possible',
      ranges: loose,
      summary: 'machine-readable zone (not fully readable)',
      details: { checkDigitsValid: false },
    });
  return out;
}
