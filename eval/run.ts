// `npm run eval -- [folder] [labels.json] [--json] [--verbose] [--timeout-scale K] [--every N] [--checks LIST]`
// Runs the whole engine (every check unless --checks names some, one process, models loaded once) over a labelled image folder
// and prints per-category counts: labelled, found, missed, false alarms on clean images, plus what a
// re-scan still finds on the sanitized copies. Defaults: the committed dev fixtures.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createEngines, parseCheckList, type AnalyzerName } from '../src/analysis/pipeline/engines.ts';
import { scanImage } from '../src/analysis/pipeline/scan.ts';
import { isAppError } from '../src/errors.ts';
import type { Analyzer, Check, Engines } from '../src/types.ts';
import { guardStdout, writeStdout } from '../src/stdout-guard.ts';
import {
  parseManifest,
  renderMisses,
  renderScoreTable,
  scoreEvaluation,
  type EvalScore,
  type ImageOutcome,
  type ManifestEntry,
} from './score.ts';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
export const DEFAULT_FOLDER = join(ROOT, 'tests/fixtures/images');
export const DEFAULT_LABELS = join(ROOT, 'tests/fixtures/manifest.json');

/** Manifest paths are relative to the manifest ("images/x.jpg"); accept them relative to the folder too. */
export function resolveImagePath(folder: string, labelsFile: string, file: string): string | undefined {
  const candidates = [join(folder, file), join(folder, basename(file)), join(dirname(labelsFile), file)];
  return candidates.find((p) => existsSync(p));
}

export interface EvalRun {
  folder: string;
  labels: string;
  startedAt: string;
  timeoutScale: number;
  /** The checks that ran, when not all of them. */
  checks?: string[];
  engineStartMs: number;
  scanMs: { median: number; total: number };
  score: EvalScore;
  outcomes: {
    file: string;
    ms?: number;
    error?: string;
    kinds: string[];
    residualKinds: string[];
    /** Checks that did not end ok, as name:status. */
    incomplete: string[];
  }[];
}

const toIncomplete = (checks: readonly Check[]): string[] =>
  checks
    .filter((c) => c.status !== 'ok')
    .map((c) => `${c.name}:${c.status}${c.error ? ` (${c.error})` : ''}`);

const median = (xs: number[]): number => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * Each analyzer's deadline multiplied by `k`: on a loaded machine a check that times out says
 * nothing about the detector. The product's deadlines are k = 1 (the default).
 */
export function withDeadlineScale(engines: Engines, k: number): Engines {
  if (k === 1) return engines;
  return {
    analyzers: engines.analyzers.map((a): Analyzer => ({
      name: a.name,
      timeoutMs: a.timeoutMs * k,
      analyze: (ctx) => a.analyze(ctx),
    })),
    close: () => engines.close(),
  };
}

export async function runEvaluation(
  folder: string,
  labelsFile: string,
  progress: (s: string) => void = () => undefined,
  timeoutScale = 1,
  every = 1,
  /** Only these checks (e.g. text alone while tuning OCR); the other categories then read 0 found. */
  checks?: readonly AnalyzerName[],
): Promise<EvalRun> {
  const entries: ManifestEntry[] = parseManifest(JSON.parse(await readFile(labelsFile, 'utf8'))).filter(
    (_, i) => i % every === 0,
  );
  const startedAt = new Date().toISOString();
  let t = performance.now();
  const engines = withDeadlineScale(
    await createEngines({
      ...(checks ? { checks } : {}),
      onEngineError: (name, reason) => progress(`the ${name} check is unavailable: ${reason}`),
    }),
    timeoutScale,
  );
  const engineStartMs = performance.now() - t;
  const outcomes: ImageOutcome[] = [];
  try {
    for (const [i, e] of entries.entries()) {
      const path = resolveImagePath(folder, labelsFile, e.file);
      if (path === undefined) {
        outcomes.push({ file: e.file, labels: e.labels, findings: [], checks: [], error: 'missing file' });
        progress(`[${i + 1}/${entries.length}] ${e.file}: missing`);
        continue;
      }
      const bytes = await readFile(path);
      t = performance.now();
      try {
        const { report } = await scanImage(bytes, engines, { faces: 'all' });
        const ms = performance.now() - t;
        outcomes.push({
          file: e.file,
          labels: e.labels,
          findings: report.findings,
          checks: report.checks,
          ...(report.residual ? { residual: report.residual.findings } : {}),
          ms,
        });
        const incomplete = toIncomplete(report.checks);
        progress(
          `[${i + 1}/${entries.length}] ${e.file}: ${Math.round(ms)} ms, ${[...new Set(report.findings.map((f) => f.kind))].join(' ') || 'nothing'}${incomplete.length > 0 ? ` (not ok: ${incomplete.join(' ')})` : ''}`,
        );
      } catch (err) {
        const error = isAppError(err) ? err.code : err instanceof Error ? err.message.slice(0, 120) : 'error';
        outcomes.push({
          file: e.file,
          labels: e.labels,
          findings: [],
          checks: [],
          error,
          ms: performance.now() - t,
        });
        progress(`[${i + 1}/${entries.length}] ${e.file}: ${error}`);
      }
    }
  } finally {
    await engines.close();
  }
  const times = outcomes.flatMap((o) => (o.ms !== undefined && o.error === undefined ? [o.ms] : []));
  return {
    folder,
    labels: labelsFile,
    startedAt,
    timeoutScale,
    ...(checks ? { checks: [...checks] } : {}),
    engineStartMs: Math.round(engineStartMs),
    scanMs: { median: Math.round(median(times)), total: Math.round(times.reduce((a, b) => a + b, 0)) },
    score: scoreEvaluation(outcomes),
    outcomes: outcomes.map((o) => ({
      file: o.file,
      ...(o.ms !== undefined ? { ms: Math.round(o.ms) } : {}),
      ...(o.error !== undefined ? { error: o.error } : {}),
      kinds: [...new Set(o.findings.map((f) => f.kind))],
      residualKinds: [...new Set((o.residual ?? []).map((f) => f.kind))],
      incomplete: toIncomplete(o.checks),
    })),
  };
}

export function renderEvalRun(r: EvalRun, verbose: boolean): string {
  const lines = [
    `Preflight evaluation — ${r.score.images} images from ${r.labels}`,
    `Started ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC${r.timeoutScale !== 1 ? `, analyzer deadlines ×${r.timeoutScale}` : ''}${r.checks ? `, only ${r.checks.join(', ')} (other categories read 0)` : ''}. Engine start ${r.engineStartMs} ms; scan (sanitize and re-scan included) median ${r.scanMs.median} ms, total ${(r.scanMs.total / 1000).toFixed(1)} s.`,
    '',
    renderScoreTable(r.score),
  ];
  const misses = renderMisses(r.score);
  if (verbose && misses) lines.push('', misses);
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      verbose: { type: 'boolean', short: 'v', default: false },
      quiet: { type: 'boolean', short: 'q', default: false },
      'timeout-scale': { type: 'string', default: '1' },
      /** Score every Nth labelled image only (a quicker, still stratified pass over an ordered set). */
      every: { type: 'string', default: '1' },
      /** A subset of metadata,faces,text,codes (default all). */
      checks: { type: 'string' },
    },
  });
  const folder = resolve(positionals[0] ?? DEFAULT_FOLDER);
  const labels = resolve(positionals[1] ?? (positionals[0] ? join(folder, 'labels.json') : DEFAULT_LABELS));
  const scale = Number(values['timeout-scale']);
  if (!(scale >= 1)) throw new Error('--timeout-scale takes a number ≥ 1');
  const every = Number(values.every);
  if (!Number.isInteger(every) || every < 1) throw new Error('--every takes an integer ≥ 1');
  const checks = values.checks === undefined ? undefined : parseCheckList(values.checks);
  if (values.checks !== undefined && !checks)
    throw new Error('--checks takes a comma-separated subset of metadata,faces,text,codes');
  const restore = guardStdout();
  let run: EvalRun;
  try {
    run = await runEvaluation(
      folder,
      labels,
      values.quiet ? undefined : (s) => process.stderr.write(`${s}\n`),
      scale,
      every,
      checks,
    );
  } finally {
    restore();
  }
  writeStdout(values.json ? `${JSON.stringify(run, null, 2)}\n` : renderEvalRun(run, values.verbose));
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  main().catch((e: unknown) => {
    process.stderr.write(`eval: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
