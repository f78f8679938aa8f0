// The set of analyzers a process uses, created once (models and OCR workers load here) and closed once.
import { scrubSecrets } from '../../log.ts';
import {
  ANALYZER_NAMES,
  type Analyzer,
  type AnalyzerName,
  type ClosableAnalyzer,
  type Engines,
} from '../../types.ts';
import { createMetadataAnalyzer } from '../metadata/analyzer.ts';

export type { AnalyzerName } from '../../types.ts';

export { parseCheckList } from './check-list.ts';

export interface EngineOptions {
  checks?: readonly AnalyzerName[];
  /** OCR languages (default English; see DEFAULT_OCR_LANGS in text.ts). */
  ocrLangs?: readonly string[];
  /** Called when an engine cannot start; the scan then reports that check as failed. */
  onEngineError?: (name: AnalyzerName, reason: string) => void;
  /** Multiplies every analyzer's deadline (default 1): tests and evaluations on a loaded machine. */
  deadlineScale?: number;
}

// Loaded lazily, so a metadata-only process never loads the face models or OCR.
const FACTORIES: Record<
  Exclude<AnalyzerName, 'metadata'>,
  (opts: EngineOptions) => Promise<ClosableAnalyzer>
> = {
  // Detection in a thread of its own, beside OCR's worker and the code reader's thread.
  faces: async () => (await import('../faces/thread.ts')).createFaceThreadAnalyzer(),
  text: async (opts) =>
    (await import('../text/analyzer.ts')).createTextAnalyzer(
      opts.ocrLangs ? { langs: [...opts.ocrLangs] } : {},
    ),
  codes: async () => (await import('../codes/analyzer.ts')).createCodeAnalyzer(),
};

/** Stands in for an engine that could not start: every scan reports the check as failed, honestly. */
function unavailable(name: AnalyzerName, reason: string): Analyzer {
  return {
    name,
    timeoutMs: 1_000,
    analyze: () => Promise.reject(new Error(`engine unavailable: ${reason}`)),
  };
}

export async function createEngines(opts: EngineOptions = {}): Promise<Engines> {
  const wanted = new Set(opts.checks ?? ANALYZER_NAMES);
  const closables: ClosableAnalyzer[] = [];
  const analyzers = await Promise.all(
    ANALYZER_NAMES.filter((n) => wanted.has(n)).map(async (name): Promise<Analyzer> => {
      if (name === 'metadata') return createMetadataAnalyzer();
      try {
        const a = await FACTORIES[name](opts);
        closables.push(a);
        return a;
      } catch (e) {
        const reason = scrubSecrets(e instanceof Error ? e.message : String(e)).slice(0, 160);
        opts.onEngineError?.(name, reason);
        return unavailable(name, reason);
      }
    }),
  );
  const k = opts.deadlineScale ?? 1;
  return {
    analyzers:
      k === 1
        ? analyzers
        : analyzers.map((a): Analyzer => ({
            ...a,
            timeoutMs: a.timeoutMs * k,
            analyze: (ctx) => a.analyze(ctx),
          })),
    async close() {
      await Promise.allSettled(closables.map((a) => a.close()));
    },
  };
}
