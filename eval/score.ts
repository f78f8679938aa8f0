// Pure scoring: labels + what the engine reported → one row per label rule (found of expected, false alarms).
import type { Check, Finding } from '../src/types.ts';
import {
  hasInvalidMrz,
  hasValidMrz,
  PII_TEXT_KINDS,
  toExpectedIdType,
  toLabelledPayloads,
  type Labels,
  type PiiTextKind,
} from './labels.ts';
import {
  countPayloadMatches,
  isConfirmedMrz,
  isFaceCountRight,
  isPaymentCard,
  isWorkDocument,
  toCodeFamily,
  toFaceTally,
  toFoundIdType,
} from './match.ts';

/** What the engine said about one labelled image. `error` = the input was refused or the scan threw. */
export interface ImageOutcome {
  file: string;
  category?: string;
  labels: Labels;
  findings: Finding[];
  checks: Check[];
  /** Findings of the re-scan of the sanitized copy; undefined when no sanitized copy was made. */
  residual?: Finding[];
  error?: string;
  ms?: number;
}

/** One image's part in a row: units expected and found; whether it is clean for the row and flagged anyway. */
interface Tally {
  expected: number;
  found: number;
  clean: boolean;
  falseAlarm: boolean;
  /** Extra units (extra face boxes) counted as false alarms instead of images. */
  extra?: number;
}

export interface Rule {
  id: string;
  name: string;
  /** What a unit is, when not an image (faces, payloads). */
  unit?: string;
  /** What the false-alarm column counts over, for the rendered table. */
  cleanIs?: string;
  tally: (o: ImageOutcome) => Tally;
}

const has = (fs: readonly Finding[], kind: string): boolean => fs.some((f) => (f.kind as string) === kind);

/** A yes/no row: expected when `expected`, found when `found`, false alarm when found on a `clean` image. */
const yesNo = (
  expected: (o: ImageOutcome) => boolean,
  found: (fs: readonly Finding[], o: ImageOutcome) => boolean,
  clean: (o: ImageOutcome) => boolean = (o) => !expected(o),
): Rule['tally'] => {
  return (o) => {
    const e = expected(o);
    const f = found(o.findings, o);
    return { expected: e ? 1 : 0, found: e && f ? 1 : 0, clean: clean(o), falseAlarm: clean(o) && f };
  };
};

const TEXT_NAMES: Record<PiiTextKind, string> = {
  email: 'E-mails',
  phone: 'Phones',
  card_number: 'Card numbers',
  iban: 'IBANs',
  address: 'Addresses',
  person_name: 'Names',
  date_of_birth: 'Dates of birth',
  national_id: 'Document / national numbers',
};

const CLEAN_TEXT_KINDS = ['phone', 'address', 'date_of_birth'] as const;
const faceCount = (o: ImageOutcome): number => o.findings.filter((f) => f.kind === 'face').length;
const isNegative = (o: ImageOutcome): boolean => o.category === 'negatives';
const isWork = (o: ImageOutcome): boolean => o.labels.work_document === true;

/** Documents/screens (synthetic set): labelled, or derived from an ID document or personal text. */
export function isDocumentOrScreen(l: Labels): boolean {
  return l.document_or_screen ?? (l.id_document || l.pii_text.length > 0);
}

/** Every row, in the order the tables show them; each row's rule is written here once. */
export const RULES: readonly Rule[] = [
  {
    id: 'gps',
    name: 'GPS',
    tally: yesNo(
      (o) => o.labels.has_gps,
      (fs) => has(fs, 'gps'),
    ),
  },
  {
    id: 'device',
    name: 'Device metadata (make/model)',
    tally: yesNo(
      (o) => o.labels.has_exif_camera,
      (fs) => has(fs, 'device'),
    ),
  },
  {
    id: 'id_document',
    name: 'ID documents',
    tally: yesNo(
      (o) => o.labels.id_document,
      (fs) => has(fs, 'id_document'),
    ),
  },
  {
    id: 'id_document_type',
    name: 'ID documents, right type',
    tally: yesNo(
      (o) => toExpectedIdType(o) !== undefined,
      (fs, o) => fs.some((f) => f.kind === 'id_document' && toFoundIdType(f) === toExpectedIdType(o)),
      () => false,
    ),
  },
  {
    id: 'id_document_negatives',
    name: 'ID documents on hard negatives',
    cleanIs: 'the hard negatives (signs, book pages, packaging…)',
    tally: yesNo(
      () => false,
      (fs) => has(fs, 'id_document'),
      isNegative,
    ),
  },
  {
    id: 'mrz',
    name: 'MRZ found',
    tally: yesNo(
      (o) => o.labels.mrz,
      (fs) => has(fs, 'mrz'),
    ),
  },
  {
    id: 'mrz_parsed',
    name: 'MRZ parsed, all check digits valid',
    cleanIs: 'images without an MRZ whose printed digits verify',
    tally: yesNo(
      (o) => hasValidMrz(o.labels),
      (fs) => fs.some(isConfirmedMrz),
    ),
  },
  {
    id: 'mrz_unconfirmed',
    name: 'MRZ with wrong printed digits: found, not confirmed',
    tally: yesNo(
      (o) => hasInvalidMrz(o.labels),
      (fs) => has(fs, 'mrz') && !fs.some(isConfirmedMrz),
      () => false,
    ),
  },
  {
    id: 'payment_card',
    name: 'Payment cards (photos)',
    tally: yesNo(
      (o) => o.category === 'payment_cards',
      (fs) => fs.some(isPaymentCard),
    ),
  },
  ...PII_TEXT_KINDS.map((k): Rule => ({
    id: k,
    name: TEXT_NAMES[k],
    tally: yesNo(
      (o) => o.labels.pii_text.includes(k),
      (fs) => has(fs, k),
    ),
  })),
  {
    id: 'clean_text',
    name: 'Phone, address or date of birth on images without one',
    cleanIs: 'images labelled with none of the three',
    tally: yesNo(
      () => false,
      (fs) => CLEAN_TEXT_KINDS.some((k) => has(fs, k)),
      (o) => !CLEAN_TEXT_KINDS.some((k) => o.labels.pii_text.includes(k)),
    ),
  },
  {
    id: 'work_document',
    name: 'Work documents',
    tally: yesNo(isWork, (fs) => fs.some(isWorkDocument)),
  },
  {
    id: 'work_document_negatives',
    name: 'Work documents on hard negatives',
    cleanIs: 'the hard negatives',
    tally: yesNo(
      () => false,
      (fs) => fs.some(isWorkDocument),
      isNegative,
    ),
  },
  {
    id: 'faces',
    name: 'Photos with faces',
    cleanIs: 'photos without people',
    tally: yesNo(
      (o) => o.labels.faces > 0,
      (fs) => has(fs, 'face'),
    ),
  },
  {
    id: 'face_count',
    name: 'Photos with the right face count',
    tally: yesNo(
      (o) => o.labels.faces > 0,
      (_, o) => isFaceCountRight(faceCount(o), o.labels.faces, o.labels.faces_approx === true),
      () => false,
    ),
  },
  {
    id: 'faces_counted',
    name: 'Faces counted (false alarms: extra boxes)',
    unit: 'faces',
    tally: (o) => {
      const t = toFaceTally(faceCount(o), o.labels.faces, o.labels.faces_approx === true);
      return { expected: o.labels.faces, found: t.matched, clean: false, falseAlarm: false, extra: t.extra };
    },
  },
  {
    id: 'possible_minor',
    name: 'Possible minors',
    cleanIs: 'photos of adults only',
    tally: yesNo(
      (o) => o.labels.child_present,
      (fs) => has(fs, 'possible_minor'),
      (o) => o.labels.faces > 0 && !o.labels.child_present,
    ),
  },
  {
    id: 'qr',
    name: 'QR codes',
    tally: yesNo(
      (o) => o.labels.qr,
      (fs) => fs.some((f) => toCodeFamily(f) === 'qr'),
    ),
  },
  {
    id: 'barcode',
    name: 'Barcodes (1-D, PDF417, Data Matrix, Aztec)',
    tally: yesNo(
      (o) => o.labels.barcode,
      (fs) => fs.some((f) => toCodeFamily(f) === 'barcode'),
    ),
  },
  {
    id: 'payloads',
    name: 'Code payloads read (by value)',
    unit: 'payloads',
    tally: (o) => {
      const ps = toLabelledPayloads(o.labels);
      return {
        expected: ps.length,
        found: countPayloadMatches(ps, o.findings),
        clean: false,
        falseAlarm: false,
      };
    },
  },
  {
    id: 'document_or_screen',
    name: 'Documents / screens',
    tally: yesNo(
      (o) => isDocumentOrScreen(o.labels),
      (fs) => has(fs, 'document') || has(fs, 'screen'),
    ),
  },
];

export type RowId = string;

export interface Row {
  id: RowId;
  name: string;
  unit: string;
  expected: number;
  found: number;
  /** Images the false-alarm column counts over (0 when the row has none). */
  clean: number;
  /** Images flagged among the clean ones, or extra units (faces) for a count row. */
  falseAlarms: number;
  cleanIs?: string;
  missedFiles: string[];
  falseAlarmFiles: string[];
}

/** Scores one rule over every image. A refused image finds nothing: its positives are misses, it raises no false alarm. */
export function scoreRule(rule: Rule, outcomes: readonly ImageOutcome[]): Row {
  const row: Row = {
    id: rule.id,
    name: rule.name,
    unit: rule.unit ?? 'images',
    expected: 0,
    found: 0,
    clean: 0,
    falseAlarms: 0,
    ...(rule.cleanIs ? { cleanIs: rule.cleanIs } : {}),
    missedFiles: [],
    falseAlarmFiles: [],
  };
  for (const o of outcomes) {
    const t = rule.tally(o.error === undefined ? o : { ...o, findings: [] });
    row.expected += t.expected;
    row.found += t.found;
    if (t.found < t.expected) row.missedFiles.push(o.file);
    if (t.clean) row.clean++;
    if (t.falseAlarm || (t.extra ?? 0) > 0) {
      row.falseAlarms += t.extra ?? 1;
      row.falseAlarmFiles.push(o.file);
    }
  }
  return row;
}

export type ResidualGroup = 'face' | 'text' | 'code';

export interface ResidualScore {
  /** Images that got a sanitized copy (and a re-scan). */
  sanitized: number;
  /** Per group: originals where the engine found something of that group, and copies still showing it. */
  groups: Record<ResidualGroup, { inOriginal: number; stillDetected: number; files: string[] }>;
}

export interface EvalScore {
  images: number;
  errors: { file: string; error: string }[];
  /** Per check name: how many images it failed or timed out on. */
  checkFailures: Record<string, { failed: number; timeout: number }>;
  rows: Row[];
  residual: ResidualScore;
}

const RESIDUAL_KINDS: Record<ResidualGroup, readonly string[]> = {
  face: ['face', 'possible_minor'],
  text: [...PII_TEXT_KINDS, 'mrz'],
  code: ['qr_code', 'barcode'],
};

/**
 * A residual finding counts when the sanitizer was meant to cover it: faces always (the eval runs
 * with faces 'all'), text PII, MRZ and text left readable on a covered document, and codes the sanitizer covers (those with `redact` set —
 * product barcodes are left visible by default, by design).
 */
export function isResidualLeak(group: ResidualGroup, f: Finding): boolean {
  // Lines still readable inside a document covered whole (the re-scan's `leftover` findings).
  if (group === 'text' && f.details?.['leftover'] === true) return true;
  if (!RESIDUAL_KINDS[group].includes(f.kind)) return false;
  if (group === 'code') return f.redact !== undefined;
  return true;
}

/** After cleaning: per group, the copies whose re-scan still finds something the sanitizer covers. */
export function scoreResidual(outcomes: readonly ImageOutcome[]): ResidualScore {
  const groups = {
    face: { inOriginal: 0, stillDetected: 0, files: [] as string[] },
    text: { inOriginal: 0, stillDetected: 0, files: [] as string[] },
    code: { inOriginal: 0, stillDetected: 0, files: [] as string[] },
  };
  let sanitized = 0;
  for (const o of outcomes) {
    if (o.error !== undefined || o.residual === undefined) continue;
    sanitized++;
    for (const g of ['face', 'text', 'code'] as const) {
      if (o.findings.some((f) => isResidualLeak(g, f))) groups[g].inOriginal++;
      if (o.residual.some((f) => isResidualLeak(g, f))) {
        groups[g].stillDetected++;
        groups[g].files.push(o.file);
      }
    }
  }
  return { sanitized, groups };
}

/** Every row, the residual table, refused images and checks that did not complete. */
export function scoreEvaluation(outcomes: readonly ImageOutcome[]): EvalScore {
  const checkFailures: Record<string, { failed: number; timeout: number }> = {};
  for (const o of outcomes)
    for (const c of o.checks) {
      if (c.status !== 'failed' && c.status !== 'timeout') continue;
      const e = (checkFailures[c.name] ??= { failed: 0, timeout: 0 });
      if (c.status === 'failed') e.failed++;
      else e.timeout++;
    }
  return {
    images: outcomes.length,
    errors: outcomes.flatMap((o) => (o.error !== undefined ? [{ file: o.file, error: o.error }] : [])),
    checkFailures,
    rows: RULES.map((r) => scoreRule(r, outcomes)),
    residual: scoreResidual(outcomes),
  };
}
