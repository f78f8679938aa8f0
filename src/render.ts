// RiskReport → a platform-neutral view in the user's language. The CLI and both bots format this view.
import { isCheckFailureReason, type ErrorCode } from './errors.ts';
import { en, type Messages } from './i18n/en.ts';
import { fr } from './i18n/fr.ts';
import { groupFindingLines, numberLine, type FindingLine } from './finding-lines.ts';
import type { Finding, FindingKind, Locale, RiskReport, Verdict } from './types.ts';

export interface ReplyView {
  verdict: Verdict;
  /** "High risk", "Nothing found"... */
  verdictLabel: string;
  headline: string;
  /** One numbered line per finding group ("1. …"; faces grouped), the numbers of "Show where". */
  lines: string[];
  removed: string[];
  remains: string[];
  notChecked: string[];
  advice: string[];
  sections: Messages['sections'];
  /** ':' in English, ' :' in French typography. */
  colon: string;
}

const TABLES: Record<Locale, Messages> = { en, fr };

export function messagesFor(locale: Locale): Messages {
  return TABLES[locale];
}

/** Telegram's and Discord's locale strings → ours: French for fr*, English otherwise. */
export function toLocale(tag: string | undefined | null): Locale {
  return typeof tag === 'string' && tag.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

const num = (f: Finding, key: string): number | undefined => {
  const v = f.details?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
};
const text = (f: Finding, key: string): string | undefined => {
  const v = f.details?.[key];
  return typeof v === 'string' ? v : undefined;
};

/**
 * One line for one finding, in the locale. English uses the analyzer's own masked summary where it
 * has one; every language shows the same masked value (`details.masked`, made by src/mask.ts).
 */
export function renderFinding(f: Finding, m: Messages, locale: Locale): string {
  const certainty =
    f.certainty === 'confirmed' ? ` (${m.checked})` : f.certainty === 'possible' ? ` (${m.possibly})` : '';
  const masked = text(f, 'masked');
  /** "label: value" with the locale's colon, or the label alone. */
  const withValue = (label: string, value: string | undefined): string =>
    value ? `${label}${locale === 'fr' ? ' : ' : ': '}${value}` : label;
  switch (f.kind) {
    case 'gps': {
      if (f.details?.['empty'] === true) return m.gpsEmpty;
      const lat = num(f, 'latitude');
      const lon = num(f, 'longitude');
      return lat !== undefined && lon !== undefined ? m.gps(lat, lon, num(f, 'accuracyM')) : m.kind.gps;
    }
    case 'device': {
      if (f.details?.['serial'] === true) return withValue(m.serial, masked);
      const camera = text(f, 'camera');
      return camera ? m.camera(camera) : m.kind.device;
    }
    case 'timestamp': {
      const when = text(f, 'when');
      return when ? m.takenOn(when, text(f, 'timeZone')) : m.kind.timestamp;
    }
    case 'embedded_thumbnail':
      return m.thumbnail(f.details?.['differs'] === true);
    case 'person_name_metadata':
      return withValue(m.metaNames(f.details?.['tagged'] === true), masked);
    case 'other_metadata': {
      const what = text(f, 'what');
      return what === 'places'
        ? withValue(m.metaPlaces, masked)
        : what === 'text'
          ? m.metaText
          : what === 'software'
            ? m.metaSoftware
            : m.kind.other_metadata;
    }
    case 'id_document':
    case 'document': {
      if (f.details?.['work'] === true) return `${m.workDocument(text(f, 'workKind') ?? '')}${certainty}`;
      if (f.details?.['personal'] === true) return `${m.personalDocument}${certainty}`;
      const type = toDocumentType(f, m);
      if (!type) break;
      if (f.details?.['leftover'] === true) return m.documentLeftover(type, num(f, 'lines') ?? 1);
      return `${m.documentLine(type, text(f, 'side') ?? 'front')}${certainty}`;
    }
    case 'qr_code':
    case 'barcode': {
      if (locale === 'en' && f.summary) return `${capitalize(f.summary)}${certainty}`;
      const payload = m.codePayload[text(f, 'payload') ?? ''];
      const what = payload && masked ? `${payload}, ${masked}` : (payload ?? masked);
      return `${withValue(m.kind[f.kind], what)}${certainty}`;
    }
    case 'national_id':
      if (locale !== 'en' && f.details?.['documentNumber'] === true)
        return `${withValue(m.documentNumber, masked)}${certainty}`;
      break;
    default:
      break;
  }
  if (locale === 'en' && f.summary) return `${capitalize(f.summary)}${certainty}`;
  return `${withValue(m.kind[f.kind], masked)}${certainty}`;
}

/** The localized type of a document finding (identity document or payment card), if it has one. */
function toDocumentType(f: Finding, m: Messages): string | undefined {
  const t = text(f, 'documentType');
  if (t === undefined) return undefined;
  return m.documentType[t] ?? (f.kind === 'id_document' ? m.documentType['travel document'] : undefined);
}

/** Documents the copy covers whole (every line on them), not the re-scan's leftovers. */
const wholeDocuments = (findings: readonly Finding[]): Finding[] =>
  findings.filter((f) => f.details?.['whole'] === true && f.details['leftover'] !== true);

const capitalize = (s: string): string => (s.length > 0 ? s[0]!.toUpperCase() + s.slice(1) : s);

/** The findings' lines (see finding-lines.ts), keyed by their English text. */
export function findingGroups(findings: readonly Finding[]): FindingLine[] {
  return groupFindingLines(findings, (f) => renderFinding(f, en, 'en'));
}

/** One line per finding group, most serious first; faces and possible minors are one line each. */
function renderFindings(findings: readonly Finding[], m: Messages, locale: Locale): string[] {
  return findingGroups(findings).map((g) => {
    const f = g.findings[0]!;
    if (f.kind === 'possible_minor') {
      const ages = g.findings
        .map((x) => num(x, 'age'))
        .filter((a): a is number => a !== undefined)
        .map(Math.round);
      return m.minors(g.findings.length, ages);
    }
    if (f.kind === 'face') return m.faces(g.findings.length);
    return renderFinding(f, m, locale);
  });
}

export function renderReport(report: RiskReport, locale: Locale): ReplyView {
  const m = TABLES[locale];
  // Text the re-scan found still readable on a document and the second round covered is not news.
  const lines = renderFindings(
    report.findings.filter((f) => !(f.details?.['leftover'] === true && f.removed === true)),
    m,
    locale,
  ).map((l, i) => numberLine(i, l));

  const removed: string[] = [];
  for (const a of report.sanitized?.actions ?? []) {
    switch (a.action) {
      case 'metadata_removed':
        if (report.findings.some((f) => f.source === 'metadata')) removed.push(m.removed.metadata_removed);
        break;
      case 'face_obscured':
        removed.push(m.removed.face_obscured(a.count ?? 1));
        break;
      case 'text_covered':
        removed.push(m.removed.text_covered(a.count ?? 1));
        break;
      case 'code_covered':
        removed.push(m.removed.code_covered(a.count ?? 1));
        break;
      case 'converted': {
        const [from, to] = a.kinds ?? [];
        if (from && to) removed.push(m.removed.converted(from === 'heif' ? 'heic' : from, to));
        break;
      }
      case 'downscaled':
        removed.push(m.removed.downscaled);
        break;
      case 'orientation_applied':
        break;
    }
  }

  for (const f of wholeDocuments(report.findings)) {
    const type = toDocumentType(f, m);
    if (f.removed === true && type && !removed.includes(m.documentCovered(type)))
      removed.push(m.documentCovered(type));
  }

  const remains: string[] = [];
  if (report.sanitized) {
    // A document cut by the frame may show more than the lines we read: never "nothing we can detect".
    for (const f of wholeDocuments(report.findings)) {
      const type = toDocumentType(f, m);
      if (f.details?.['bounded'] === false && type && !remains.includes(m.documentUnbounded(type)))
        remains.push(m.documentUnbounded(type));
    }
    const residual = report.residual?.findings ?? [];
    remains.push(...renderFindings(residual, m, locale));
    const residualKinds = new Set(residual.map((f) => f.kind));
    const kept = report.findings.filter(
      (f) => f.removed === false && f.source !== 'metadata' && !residualKinds.has(f.kind),
    );
    for (const line of renderFindings(kept, m, locale)) {
      // "Name (possibly)" under "still visible": one bracket, "(possibly, still visible)".
      const note = [m.possibly, m.checked].find((n) => line.endsWith(` (${n})`));
      const l = note ? m.stillVisible(line.slice(0, -` (${note})`.length), note) : m.stillVisible(line);
      if (!remains.includes(l)) remains.push(l);
    }
    if (remains.length === 0) remains.push(m.nothingRemains);
  } else {
    remains.push(m.noCopy);
  }

  const notChecked = report.checks
    .filter((c) => c.status === 'failed' || c.status === 'timeout')
    .map((c) => (isCheckFailureReason(c.error) ? m.checkFailed[c.error] : m.notChecked[c.name]));
  if (report.input.recompressed) notChecked.unshift(m.recompressed);

  const kinds = new Set(report.findings.map((f) => f.kind));
  const advice: string[] = [];
  if (kinds.has('possible_minor')) advice.push(m.advice.child);
  if (kinds.has('id_document') || kinds.has('mrz') || kinds.has('national_id')) advice.push(m.advice.id);
  if (
    kinds.has('card_number') ||
    kinds.has('iban') ||
    report.findings.some((f) => f.details?.['documentType'] === 'payment card')
  )
    advice.push(m.advice.card);
  if (report.findings.some((f) => f.kind === 'gps' && f.details?.['empty'] !== true))
    advice.push(m.advice.gps);
  if (report.findings.some((f) => f.details?.['work'] === true)) advice.push(m.advice.work);
  if (kinds.has('qr_code')) advice.push(m.advice.code);
  if (report.verdict === 'review') advice.push(m.advice.review);
  if (report.verdict === 'none') advice.push(m.advice.none);
  else if (report.sanitized) advice.push(m.advice.shareCopy);
  // For what an AI service would receive of a person (a face, papers, personal text): not every reply.
  if (
    report.sanitized &&
    (report.verdict === 'high' || report.verdict === 'medium') &&
    hasPersonInPixels(report)
  )
    advice.push(m.advice.aiService);

  return {
    verdict: report.verdict,
    verdictLabel: m.verdict[report.verdict],
    headline: m.headline[report.verdict],
    lines,
    removed,
    remains,
    notChecked,
    advice,
    sections: m.sections,
    colon: locale === 'fr' ? ' :' : ':',
  };
}

const PERSONAL_PIXELS = new Set<FindingKind>([
  'face',
  'possible_minor',
  'id_document',
  'mrz',
  'national_id',
  'card_number',
  'iban',
  'email',
  'phone',
  'address',
  'person_name',
  'date_of_birth',
]);

/** Something about a person is in the pixels (what an AI service would receive of the photo). */
function hasPersonInPixels(report: RiskReport): boolean {
  return report.findings.some((f) => PERSONAL_PIXELS.has(f.kind));
}

/** Plain text, for the CLI and for platforms without markup. */
export function renderReplyText(view: ReplyView): string {
  const out: string[] = [view.headline];
  const section = (title: string, items: string[]): void => {
    if (items.length === 0) return;
    out.push('', `${title}${view.colon}`, ...items.map((i) => `  • ${i}`));
  };
  if (view.lines.length > 0)
    out.push('', `${view.sections.found}${view.colon}`, ...view.lines.map((l) => `  ${l}`));
  section(view.sections.notChecked, view.notChecked);
  section(view.sections.removed, view.removed);
  section(view.sections.remains, view.remains);
  section(view.sections.advice, view.advice);
  return out.join('\n');
}

export function renderError(code: ErrorCode, locale: Locale): string {
  return TABLES[locale].errors[code];
}
