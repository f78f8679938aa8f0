// The page the OCR readers produce (lines of words with their boxes) and how recognizer matches on its
// text become findings with tight regions.
import type { Finding, Region } from '../../types.ts';
import { toTextSeverity } from './recognizers/match.ts';
import type { TextMatch, TextRange } from './recognizers/match.ts';
import { findSensitiveText } from './recognizers/sensitive-text.ts';
import { unionRegions } from '../image/regions.ts';

/** One recognised word in displayed-image pixels. */
export interface OcrWord {
  text: string;
  confidence: number;
  box: Region;
}

export interface OcrLine {
  words: OcrWord[];
  box: Region;
  /** The line's rotated outline (four corners, displayed pixels), when a detector found it. */
  quad?: { x: number; y: number }[];
  /** Direction of the text (degrees clockwise from left-to-right), when a detector found it. */
  angle?: number;
  /** Which reader read it. */
  reader?: 'paddle' | 'tesseract';
}

export interface OcrPage {
  lines: OcrLine[];
  /** Lines joined with "\n", words with " ". */
  text: string;
  /** The character range of every word in `text`, with its box. */
  spans: { start: number; end: number; box: Region; line: number }[];
  /** Rotation (degrees clockwise) that gave this reading. */
  rotation: 0 | 90 | 180 | 270;
}

/** The page of `lines`: their text joined and every word's character range. */
export function toOcrPage(lines: OcrLine[], rotation: OcrPage['rotation'] = 0): OcrPage {
  const spans: OcrPage['spans'] = [];
  let text = '';
  lines.forEach((line, li) => {
    if (li > 0) text += '\n';
    line.words.forEach((w, wi) => {
      if (wi > 0) text += ' ';
      spans.push({ start: text.length, end: text.length + w.text.length, box: w.box, line: li });
      text += w.text;
    });
  });
  return { lines, text, spans, rotation };
}

/** The boxes covering `ranges`: the matched words, merged per line. */
export function toRegions(page: OcrPage, ranges: TextRange[]): Region[] {
  const perLine = new Map<number, Region[]>();
  for (const r of ranges)
    for (const s of page.spans)
      if (s.start < r.end && r.start < s.end) {
        const list = perLine.get(s.line) ?? [];
        list.push(s.box);
        perLine.set(s.line, list);
      }
  return [...perLine.values()].map((boxes) => unionRegions(boxes));
}

/** Every recognizer match on the page, as findings with their boxes. */
export function toTextFindings(page: OcrPage): Finding[] {
  const out: Finding[] = [];
  for (const m of findSensitiveText(page.text)) {
    const f = toTextFinding(page, m);
    if (f) out.push(f);
  }
  return out;
}

/** Kinds strong enough on their own to keep a reading (used by the orchestration). */
export const STRONG_KINDS: ReadonlySet<Finding['kind']> = new Set(['email', 'phone', 'mrz', 'id_document']);

export function toTextFinding(page: OcrPage, m: TextMatch): Finding | undefined {
  const regions = toRegions(page, m.ranges);
  if (regions.length === 0) return undefined;
  const f: Finding = {
    kind: m.kind,
    severity: toTextSeverity(m.kind),
    certainty: m.certainty,
    region: unionRegions(regions),
    regions,
    source: 'text',
    summary: m.summary,
    redact: 'fill',
  };
  if (m.details) f.details = m.details;
  // The turn that made the text readable, so the re-check of the sanitized copy reads it the same way.
  if (page.rotation !== 0) f.details = { ...f.details, rotation: page.rotation };
  return f;
}
