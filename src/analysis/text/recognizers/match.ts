// What a text recognizer returns: character ranges in the text it was given, never boxes.
// The text analyzer maps ranges back to OCR word boxes; the codes analyzer uses them on payloads.
import type { Certainty, FindingKind, Severity } from '../../../types.ts';

export interface TextRange {
  /** Index of the first character (inclusive). */
  start: number;
  /** Index after the last character (exclusive). */
  end: number;
}

export interface TextMatch {
  kind: FindingKind;
  certainty: Certainty;
  /** The characters to cover; several for values spread over lines (MRZ, addresses). */
  ranges: TextRange[];
  /** One masked line, in English. Never the full value. */
  summary: string;
  /** Non-sensitive facts for rendering in other languages. */
  details?: Record<string, string | number | boolean>;
}

const HIGH_TEXT_KINDS: ReadonlySet<FindingKind> = new Set([
  'id_document',
  'mrz',
  'national_id',
  'card_number',
  'iban',
]);

/** Severity per DESIGN.md's guide for the kinds text recognizers produce. */
export function toTextSeverity(kind: FindingKind): Severity {
  return HIGH_TEXT_KINDS.has(kind) ? 'high' : 'medium';
}

/** Lines of `text` with their start offsets. */
export function toLines(text: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let start = 0;
  for (const line of text.split('\n')) {
    out.push({ text: line, start });
    start += line.length + 1;
  }
  return out;
}

/** True when two ranges share at least one character. */
export function isOverlapping(a: TextRange, b: TextRange): boolean {
  return a.start < b.end && b.start < a.end;
}
