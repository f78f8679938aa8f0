// Work and personal documents. Work: a confidentiality mark (seven languages), code or a terminal,
// a slide editor, a data table. Personal: a name with an address or a birth date, or an account
// number, on a page of text; its lines next to personal values and its unsure lines are covered.
import type { Finding, Region } from '../../../types.ts';
import { intersectionArea, unionRegions } from '../../image/regions.ts';
import type { OcrPage } from '../page.ts';
import { findPhrase, foldText, toTokens } from './labels.ts';

/** Confidentiality marks, folded. Single common words (DRAFT, INTERNAL) count only on a short line. */
export const CONFIDENTIAL_MARKS: readonly string[] = [
  'CONFIDENTIAL',
  'STRICTLY CONFIDENTIAL',
  'INTERNAL USE ONLY',
  'FOR INTERNAL USE',
  'FOR OFFICIAL USE ONLY',
  'NOT FOR PUBLICATION',
  'NOT FOR DISTRIBUTION',
  'PROPRIETARY',
  'RESTRICTED',
  'TOP SECRET',
  'CONFIDENTIEL',
  'DIFFUSION RESTREINTE',
  'USAGE INTERNE',
  'VERTRAULICH',
  'STRENG VERTRAULICH',
  'NUR FUR DEN DIENSTGEBRAUCH',
  'CONFIDENCIAL',
  'USO INTERNO',
  'RISERVATO',
  'VERTROUWELIJK',
  'DRAFT',
  'INTERNAL',
  'BROUILLON',
  'ENTWURF',
];

const SHORT_ONLY = new Set(['DRAFT', 'INTERNAL', 'RESTRICTED', 'PROPRIETARY', 'BROUILLON', 'ENTWURF']);

/** Lines of code or a shell: a prompt, a definition, a statement ending in a bracket or colon. */
const CODE_LINE =
  /^\s*(?:\d{1,4}\s+)?(?:def |class |import |from \S+ import|return\b|yield\b|try:|except\b|for \S+ in |if .+:$|const |let |function |public |private |#include|\}|[\w.]+\s*=\s*\S)|\w+@[\w.-]+:[~/][^\s]*\s*[$#]|[;{]\s*$/;
/** Words of a slide editor's or spreadsheet's window. */
const EDITOR_WORDS: readonly string[] = [
  'INSERT',
  'DESIGN',
  'TRANSITIONS',
  'ANIMATIONS',
  'SLIDE SHOW',
  'FORMULAS',
  'CLICK TO ADD NOTES',
  'TABLE VIEW',
  'COLUMNS',
  'ROWS',
  'SHEET1',
];

/** Words of data, cloud and developer consoles (a work tool on screen). */
const CONSOLE_WORDS: readonly string[] = [
  'PIPELINE',
  'PIPELINES',
  'DATASET',
  'DATASETS',
  'NOTEBOOK',
  'DATABRICKS',
  'AZURE',
  'AWS',
  'STORAGE',
  'TEMPLATE',
  'DEPLOY',
  'DEPLOYMENT',
  'REPOSITORY',
  'WORKSPACE',
  'CLUSTER',
  'DASHBOARD',
  'DELIMITEDTEXT',
];
/** Action buttons of an application window. */
const ACTION_WORDS: readonly string[] = [
  'CANCEL',
  'DELETE',
  'EXPORT',
  'PUBLISH',
  'SAVE',
  'RUN',
  'DEBUG',
  'VALIDATE',
];

type WorkKind = 'confidential' | 'code' | 'slides' | 'spreadsheet' | 'app';

/** What kind of work document the page is, if one. */
export function toWorkKind(page: OcrPage): WorkKind | undefined {
  for (const line of page.lines) {
    const tokens = toTokens(foldText(line.words.map((w) => w.text).join(' ')));
    for (const mark of CONFIDENTIAL_MARKS) {
      // A single common word is a mark when it stands alone ("DRAFT", "INTERNAL 2"), not in a name
      // ("Internal Revenue Service"), and spelt as itself: OCR's tolerance would take a mail
      // client's "Drafts" folder for one.
      if (SHORT_ONLY.has(mark)) {
        if (tokens.length <= 2 && tokens.some((t) => t.text === mark)) return 'confidential';
        continue;
      }
      if (findPhrase(tokens, mark)) return 'confidential';
    }
  }
  const texts = page.lines.map((l) => l.words.map((w) => w.text).join(' '));
  if (texts.filter((t) => CODE_LINE.test(t)).length >= 5) return 'code';
  const tokens = toTokens(foldText(texts.join(' ')));
  const editor = EDITOR_WORDS.filter((w) => findPhrase(tokens, w)).length;
  if (editor >= 3 && /slide/i.test(texts.join(' '))) return 'slides';
  // A data table: many rows mixing words and numbers, in a window that names its table.
  const rows = texts.filter((t) => t.split(' ').length >= 5 && /\d/.test(t) && /[A-Za-z]{2}/.test(t)).length;
  if (editor >= 2 && rows >= 6) return 'spreadsheet';
  // A work application: several console words and its action buttons, each a short line of its own.
  const words = new Set(tokens.map((t) => t.text));
  const shortLines = new Set(
    texts.filter((t) => t.split(' ').length <= 3).flatMap((t) => toTokens(foldText(t)).map((k) => k.text)),
  );
  const consoleWords = CONSOLE_WORDS.filter((w) => words.has(w)).length;
  const actions = ACTION_WORDS.filter((w) => shortLines.has(w)).length;
  if (consoleWords >= 4 && actions >= 2) return 'app';
  return undefined;
}

const PERSONAL = new Set(['person_name', 'address', 'date_of_birth', 'iban', 'card_number', 'national_id']);

/** The page's findings with a work or personal document finding added when the page is one. */
export function findWorkOrPersonalDocument(
  page: OcrPage,
  size: { width: number; height: number },
  findings: Finding[],
): Finding[] {
  const work = toWorkKind(page);
  const scene = findings.find((f) => f.kind === 'document');
  const out = [...findings];
  if (work) {
    const region =
      scene?.region ?? (page.lines.length > 0 ? unionRegions(page.lines.map((l) => l.box)) : undefined);
    const f: Finding = {
      kind: 'document',
      severity: 'medium',
      certainty: work === 'confidential' ? 'likely' : 'possible',
      source: 'text',
      summary: `a work document (${work === 'confidential' ? 'marked confidential' : work === 'code' ? 'code or a terminal' : work === 'app' ? 'a work application' : work})`,
      details: { ...(scene?.details ?? {}), work: true, workKind: work },
      ...(region ? { region } : {}),
    };
    return [...out.filter((g) => g !== scene), f];
  }
  // Personal: a name with an address or birth date, or an account number, on a page of text.
  const kinds = new Set(findings.filter((f) => PERSONAL.has(f.kind)).map((f) => f.kind));
  const personal =
    (kinds.has('person_name') && (kinds.has('address') || kinds.has('date_of_birth'))) ||
    ((kinds.has('iban') || kinds.has('national_id')) && (kinds.has('person_name') || kinds.has('address')));
  if (!personal || page.lines.length < 4) return out;
  const values = findings
    .filter((f) => PERSONAL.has(f.kind))
    .flatMap((f) => f.regions ?? (f.region ? [f.region] : []));
  // The lines holding a value, the line on each side (labels, the rest of an address), and unsure lines.
  const near = new Set<number>();
  page.lines.forEach((l, i) => {
    if (values.some((v) => intersectionArea(v, l.box) > 0)) for (const k of [i - 1, i, i + 1]) near.add(k);
    if (l.words.length > 0 && l.words.every((w) => w.confidence < 50)) near.add(i);
  });
  const regions: Region[] = [...near].filter((i) => page.lines[i]).map((i) => page.lines[i]!.box);
  if (regions.length === 0) return out;
  void size;
  out.push({
    kind: 'document',
    severity: 'medium',
    certainty: 'likely',
    region: unionRegions(regions),
    regions,
    source: 'text',
    summary: 'a personal document (a name with an address, a birth date or an account number)',
    redact: 'fill',
    details: { personal: true, lines: regions.length },
  });
  return out.filter((g) => g !== scene);
}
