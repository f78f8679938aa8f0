// The --checks / SCAN_CHECKS list, parsed without loading any engine.
import { ANALYZER_NAMES, type AnalyzerName } from '../../types.ts';

/** A comma-separated subset of ANALYZER_NAMES ("metadata,text"); undefined when empty or unknown names. */
export function parseCheckList(value: string): AnalyzerName[] | undefined {
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (list.length === 0 || list.some((c) => !(ANALYZER_NAMES as readonly string[]).includes(c)))
    return undefined;
  return list as AnalyzerName[];
}
