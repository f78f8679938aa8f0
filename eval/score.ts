// Pure scoring for the evaluation harness: labels (tests/fixtures/manifest.json format) + what the
// engine reported → per-category counts (labelled, found, missed, false alarms on clean images) and
// residual findings on the sanitized copies. No I/O here; eval/run.ts feeds it.
import { z } from 'zod';
import type { Check, Finding, FindingKind } from '../src/types.ts';

export const PII_TEXT_KINDS = [
  'email',
  'phone',
  'card_number',
  'iban',
  'address',
  'person_name',
  'date_of_birth',
  'national_id',
] as const;
export type PiiTextKind = (typeof PII_TEXT_KINDS)[number];

const labelsSchema = z.looseObject({
  has_gps: z.boolean(),
  has_exif_camera: z.boolean(),
  faces: z.number().int().min(0),
  child_present: z.boolean(),
  id_document: z.boolean(),
  mrz: z.boolean(),
  pii_text: z.array(z.enum(PII_TEXT_KINDS)),
  qr: z.boolean(),
  barcode: z.boolean(),
  /** Optional (synthetic set): the picture is a document or a screen. Derived when absent. */
  document_or_screen: z.boolean().optional(),
});
export type Labels = z.infer<typeof labelsSchema>;

const entrySchema = z.looseObject({ file: z.string().min(1), labels: labelsSchema });
export type ManifestEntry = z.infer<typeof entrySchema>;

/** Parses a labels file: an array of { file, labels } records (extra fields are kept and ignored). */
export function parseManifest(json: unknown): ManifestEntry[] {
  return z.array(entrySchema).min(1).parse(json);
}

/** What the engine said about one labelled image. `error` = the input was refused or the scan threw. */
export interface ImageOutcome {
  file: string;
  labels: Labels;
  findings: Finding[];
  checks: Check[];
  /** Findings of the re-scan of the sanitized copy; undefined when no sanitized copy was made. */
  residual?: Finding[];
  error?: string;
  ms?: number;
}

export const CATEGORY_IDS = [
  'gps',
  'device',
  'faces',
  'possible_minor',
  'id_document',
  'mrz',
  'mrz_parsed',
  ...PII_TEXT_KINDS,
  'qr',
  'barcode',
  'document_or_screen',
] as const;
export type CategoryId = (typeof CATEGORY_IDS)[number];

export const CATEGORY_NAMES: Record<CategoryId, string> = {
  gps: 'GPS',
  device: 'Device metadata (make/model)',
  faces: 'Faces (image has any)',
  possible_minor: 'Possible minors',
  id_document: 'ID documents',
  mrz: 'MRZ detected',
  mrz_parsed: 'MRZ parsed (check digits valid)',
  email: 'Text: e-mail',
  phone: 'Text: phone',
  card_number: 'Text: card number',
  iban: 'Text: IBAN',
  address: 'Text: address',
  person_name: 'Text: person name',
  date_of_birth: 'Text: date of birth',
  national_id: 'Text: national id',
  qr: 'QR codes (2-D)',
  barcode: 'Barcodes (1-D)',
  document_or_screen: 'Documents / screens',
};

const has = (findings: readonly Finding[], kind: FindingKind): boolean =>
  findings.some((f) => f.kind === kind);

/**
 * Documents/screens are not labelled in the dev manifest: an image counts as one when it is an ID
 * document or shows personal text (a card, a bank form, a screenshot), unless labelled explicitly.
 */
export function isDocumentOrScreen(l: Labels): boolean {
  return l.document_or_screen ?? (l.id_document || l.pii_text.length > 0);
}

/** Is the category present according to the labels? */
export function isLabelled(id: CategoryId, l: Labels): boolean {
  switch (id) {
    case 'gps':
      return l.has_gps;
    case 'device':
      return l.has_exif_camera;
    case 'faces':
      return l.faces > 0;
    case 'possible_minor':
      return l.child_present;
    case 'id_document':
      return l.id_document;
    case 'mrz':
    case 'mrz_parsed':
      return l.mrz;
    case 'qr':
      return l.qr;
    case 'barcode':
      return l.barcode;
    case 'document_or_screen':
      return isDocumentOrScreen(l);
    case 'email':
    case 'phone':
    case 'card_number':
    case 'iban':
    case 'address':
    case 'person_name':
    case 'date_of_birth':
    case 'national_id':
      return l.pii_text.includes(id);
  }
}

/** Did the engine report the category? */
export function isFound(id: CategoryId, findings: readonly Finding[]): boolean {
  switch (id) {
    case 'gps':
      return has(findings, 'gps');
    case 'device':
      return has(findings, 'device');
    case 'faces':
      return has(findings, 'face');
    case 'possible_minor':
      return has(findings, 'possible_minor');
    case 'id_document':
      return has(findings, 'id_document');
    case 'mrz':
      return has(findings, 'mrz');
    case 'mrz_parsed':
      return findings.some((f) => f.kind === 'mrz' && f.details?.['checkDigitsValid'] === true);
    case 'qr':
      return has(findings, 'qr_code');
    case 'barcode':
      return has(findings, 'barcode');
    case 'document_or_screen':
      return has(findings, 'document') || has(findings, 'screen');
    case 'email':
    case 'phone':
    case 'card_number':
    case 'iban':
    case 'address':
    case 'person_name':
    case 'date_of_birth':
    case 'national_id':
      return has(findings, id);
  }
}

export interface CategoryScore {
  id: CategoryId;
  name: string;
  /** Images labelled with the category. */
  labelled: number;
  found: number;
  missed: number;
  /** Images labelled clean for the category. */
  clean: number;
  falseAlarms: number;
  /** found / labelled, or null when nothing is labelled. */
  recall: number | null;
  /** found / (found + falseAlarms), or null when nothing was reported. */
  precision: number | null;
  missedFiles: string[];
  falseAlarmFiles: string[];
}

export interface FaceCountScore {
  /** Sum of labelled faces over all images. */
  labelled: number;
  /** Sum over images of min(detected, labelled). */
  matched: number;
  /** Sum over images of max(0, detected − labelled). */
  extra: number;
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
  /** Images refused or failed as a whole. */
  errors: { file: string; error: string }[];
  /** Per analyzer: how many scans reported it failed or timed out. */
  checkFailures: Record<string, { failed: number; timeout: number }>;
  categories: CategoryScore[];
  faceCount: FaceCountScore;
  residual: ResidualScore;
}

const RESIDUAL_KINDS: Record<ResidualGroup, readonly FindingKind[]> = {
  face: ['face', 'possible_minor'],
  text: [...PII_TEXT_KINDS, 'mrz'],
  code: ['qr_code', 'barcode'],
};

/**
 * A residual finding counts when the sanitizer was meant to cover it: faces always (the eval runs
 * with faces 'all'), text PII and MRZ, and codes the sanitizer covers (those with `redact` set —
 * product barcodes are left visible by default, by design).
 */
export function isResidualLeak(group: ResidualGroup, f: Finding): boolean {
  if (!RESIDUAL_KINDS[group].includes(f.kind)) return false;
  if (group === 'code') return f.redact !== undefined;
  return true;
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

export function scoreCategory(id: CategoryId, outcomes: readonly ImageOutcome[]): CategoryScore {
  const s: CategoryScore = {
    id,
    name: CATEGORY_NAMES[id],
    labelled: 0,
    found: 0,
    missed: 0,
    clean: 0,
    falseAlarms: 0,
    recall: null,
    precision: null,
    missedFiles: [],
    falseAlarmFiles: [],
  };
  for (const o of outcomes) {
    const labelled = isLabelled(id, o.labels);
    // A refused image found nothing: its positives count as missed, and it raises no false alarm.
    const found = o.error === undefined && isFound(id, o.findings);
    if (labelled) {
      s.labelled++;
      if (found) s.found++;
      else {
        s.missed++;
        s.missedFiles.push(o.file);
      }
    } else {
      s.clean++;
      if (found) {
        s.falseAlarms++;
        s.falseAlarmFiles.push(o.file);
      }
    }
  }
  s.recall = ratio(s.found, s.labelled);
  s.precision = ratio(s.found, s.found + s.falseAlarms);
  return s;
}

export function scoreFaceCount(outcomes: readonly ImageOutcome[]): FaceCountScore {
  let labelled = 0;
  let matched = 0;
  let extra = 0;
  for (const o of outcomes) {
    const detected = o.error === undefined ? o.findings.filter((f) => f.kind === 'face').length : 0;
    labelled += o.labels.faces;
    matched += Math.min(detected, o.labels.faces);
    extra += Math.max(0, detected - o.labels.faces);
  }
  return { labelled, matched, extra };
}

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
    categories: CATEGORY_IDS.map((id) => scoreCategory(id, outcomes)),
    faceCount: scoreFaceCount(outcomes),
    residual: scoreResidual(outcomes),
  };
}

const pct = (r: number | null): string => (r === null ? '—' : `${Math.round(r * 100)}%`);

/** A plain-text table of the score (Markdown-compatible), for the terminal and docs/EVAL.md. */
export function renderScoreTable(s: EvalScore): string {
  const rows: string[][] = [
    ['Category', 'Labelled', 'Found', 'Missed', 'Clean', 'False alarms', 'Recall', 'Precision'],
    ...s.categories.map((c) => [
      c.name,
      String(c.labelled),
      String(c.found),
      String(c.missed),
      String(c.clean),
      String(c.falseAlarms),
      pct(c.recall),
      pct(c.precision),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string =>
    `| ${r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | ')} |`;
  const sep = `| ${widths.map((w, i) => (i === 0 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`;
  const out = [line(rows[0]!), sep, ...rows.slice(1).map(line)];
  const fc = s.faceCount;
  out.push(
    '',
    `Faces counted: ${fc.matched} of ${fc.labelled} labelled faces found, ${fc.extra} extra detections.`,
  );
  const r = s.residual;
  out.push(
    '',
    `Residual (re-scan of ${r.sanitized} sanitized copies; what the engine still detects after redaction):`,
    `| Group | Originals with findings | Copies still detected |`,
    `| ----- | ----------------------: | --------------------: |`,
    ...(['face', 'text', 'code'] as const).map(
      (g) =>
        `| ${g === 'face' ? 'Faces' : g === 'text' ? 'Text PII / MRZ' : 'Codes (covered kinds)'} | ${r.groups[g].inOriginal} | ${r.groups[g].stillDetected} |`,
    ),
  );
  const failures = Object.entries(s.checkFailures);
  if (failures.length > 0)
    out.push(
      '',
      `Checks that did not complete: ${failures.map(([n, c]) => `${n} failed ${c.failed}, timed out ${c.timeout}`).join('; ')}.`,
    );
  if (s.errors.length > 0)
    out.push('', `Refused or failed images: ${s.errors.map((e) => `${e.file} (${e.error})`).join(', ')}.`);
  return out.join('\n');
}

/** Per-category lists of missed and falsely flagged files, for the detailed report. */
export function renderMisses(s: EvalScore): string {
  const out: string[] = [];
  for (const c of s.categories) {
    if (c.missedFiles.length > 0) out.push(`${c.name}: missed ${c.missedFiles.join(', ')}`);
    if (c.falseAlarmFiles.length > 0) out.push(`${c.name}: false alarm ${c.falseAlarmFiles.join(', ')}`);
  }
  for (const g of ['face', 'text', 'code'] as const)
    if (s.residual.groups[g].files.length > 0)
      out.push(`Residual ${g}: ${s.residual.groups[g].files.join(', ')}`);
  return out.join('\n');
}
