// `npm run eval -- [folder labels.json] [--json FILE] [--only CATEGORY] [--timeout-scale K] [--every N] [--checks LIST] [--no-shared] [-v]`
// Runs the whole engine (one process, models loaded once) over a labelled image folder and scores it by the labels.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createEngines, parseCheckList, type AnalyzerName } from '../src/analysis/pipeline/engines.ts';
import { scanImage } from '../src/analysis/pipeline/scan.ts';
import { isAppError } from '../src/errors.ts';
import type { Analyzer, Check, Engines, Finding } from '../src/types.ts';
import { guardStdout, writeStdout } from '../src/stdout-guard.ts';
import { parseManifest, type Labels, type ManifestEntry } from './labels.ts';
import { renderMisses, renderScore } from './render.ts';
import { scoreEvaluation, type EvalScore, type ImageOutcome } from './score.ts';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
export const DEFAULT_FOLDER = join(ROOT, 'tests/fixtures/images');
export const DEFAULT_LABELS = join(ROOT, 'tests/fixtures/manifest.json');
/** Where the shared fixture set may sit (its files not committed here are evaluated from there). */
const SHARED_CANDIDATES = [join(ROOT, '../shared/fixtures'), join(ROOT, '../../shared/fixtures')];

/** Manifest paths are relative to the manifest ("images/x.jpg"); accept them relative to the folder too. */
export function resolveImagePath(folder: string, labelsFile: string, file: string): string | undefined {
  const candidates = [join(folder, file), join(folder, basename(file)), join(dirname(labelsFile), file)];
  return candidates.find((p) => existsSync(p));
}

/** A finding as the results file keeps it: no boxes, no summary (details are non-sensitive by contract); `redact` for the residual rows. */
export type StoredFinding = Pick<
  Finding,
  'kind' | 'severity' | 'certainty' | 'confidence' | 'redact' | 'details'
>;

export interface StoredOutcome {
  file: string;
  category?: string;
  labels: Labels;
  ms?: number;
  error?: string;
  checks: Check[];
  findings: StoredFinding[];
  residual?: StoredFinding[];
}

export interface EvalRun {
  version: 2;
  /** Relative to the repository when inside it. */
  folder: string;
  labels: string;
  /** Images evaluated from the shared fixture set (not committed here). */
  shared: number;
  commit: string;
  /** The engine (src/) had uncommitted changes when measured. */
  dirty: boolean;
  startedAt: string;
  finishedAt: string;
  timeoutScale: number;
  machine: { cpus: number; loadBefore: number[]; loadAfter: number[]; node: string };
  checks?: string[];
  only?: string;
  engineStartMs: number;
  scanMs: { median: number; total: number };
  score: EvalScore;
  outcomes: StoredOutcome[];
}

const toStored = (f: Finding): StoredFinding => ({
  kind: f.kind,
  severity: f.severity,
  certainty: f.certainty,
  ...(f.confidence !== undefined ? { confidence: Math.round(f.confidence * 1000) / 1000 } : {}),
  ...(f.redact ? { redact: f.redact } : {}),
  ...(f.details ? { details: f.details } : {}),
});

const median = (xs: number[]): number => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const git = (...args: string[]): string => {
  try {
    return execFileSync('git', args, {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return '';
  }
};

const toShown = (p: string): string => (p.startsWith(ROOT) ? relative(ROOT, p) || '.' : p);

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

interface Planned {
  entry: ManifestEntry;
  path: string | undefined;
  shared: boolean;
}

/** The labelled images to scan: the manifest's, plus the shared set's records missing from it (default set only). */
export async function planImages(folder: string, labelsFile: string, useShared: boolean): Promise<Planned[]> {
  const entries = parseManifest(JSON.parse(await readFile(labelsFile, 'utf8')));
  const plan = entries.map((entry) => ({
    entry,
    path: resolveImagePath(folder, labelsFile, entry.file),
    shared: false,
  }));
  const sharedDir = useShared
    ? SHARED_CANDIDATES.find((d) => existsSync(join(d, 'manifest.json')))
    : undefined;
  if (sharedDir === undefined) return plan;
  const known = new Set(entries.map((e) => basename(e.file)));
  const sharedLabels = join(sharedDir, 'manifest.json');
  for (const entry of parseManifest(JSON.parse(await readFile(sharedLabels, 'utf8'))))
    if (!known.has(basename(entry.file)))
      plan.push({
        entry,
        path: resolveImagePath(join(sharedDir, 'images'), sharedLabels, entry.file),
        shared: true,
      });
  return plan;
}

export interface EvalOptions {
  progress?: (s: string) => void;
  timeoutScale?: number;
  every?: number;
  /** Only these checks (e.g. text alone while tuning OCR); the other rows then read 0 found. */
  checks?: readonly AnalyzerName[];
  /** Only images of this manifest category. */
  only?: string;
  /** Add the shared set's records that are not committed (default labels only). */
  shared?: boolean;
}

/** Scans every planned image with the full engine and scores the outcomes. */
export async function runEvaluation(
  folder: string,
  labelsFile: string,
  opts: EvalOptions = {},
): Promise<EvalRun> {
  const progress = opts.progress ?? (() => undefined);
  const timeoutScale = opts.timeoutScale ?? 1;
  const every = opts.every ?? 1;
  const plan = (await planImages(folder, labelsFile, opts.shared ?? false))
    .filter((p) => opts.only === undefined || p.entry.category === opts.only)
    .filter((_, i) => i % every === 0);
  if (plan.length === 0) throw new Error(`no labelled image${opts.only ? ` in category ${opts.only}` : ''}`);
  const startedAt = new Date().toISOString();
  const commit = git('rev-parse', 'HEAD');
  const dirty = git('status', '--porcelain', '--', 'src') !== '';
  const loadBefore = loadavg().map((x) => Math.round(x * 100) / 100);
  let t = performance.now();
  const engines = withDeadlineScale(
    await createEngines({
      ...(opts.checks ? { checks: opts.checks } : {}),
      onEngineError: (name, reason) => progress(`the ${name} check is unavailable: ${reason}`),
    }),
    timeoutScale,
  );
  const engineStartMs = performance.now() - t;
  const outcomes: ImageOutcome[] = [];
  try {
    for (const [i, { entry: e, path }] of plan.entries()) {
      const base = { file: e.file, ...(e.category ? { category: e.category } : {}), labels: e.labels };
      const tag = `[${i + 1}/${plan.length}] ${e.file}`;
      if (path === undefined) {
        outcomes.push({ ...base, findings: [], checks: [], error: 'missing file' });
        progress(`${tag}: missing`);
        continue;
      }
      const bytes = await readFile(path);
      t = performance.now();
      try {
        const { report } = await scanImage(bytes, engines, { faces: 'all' });
        const ms = performance.now() - t;
        outcomes.push({
          ...base,
          findings: report.findings,
          checks: report.checks,
          ...(report.residual ? { residual: report.residual.findings } : {}),
          ms,
        });
        const notOk = report.checks.filter((c) => c.status !== 'ok').map((c) => `${c.name}:${c.status}`);
        const kinds = [...new Set(report.findings.map((f) => f.kind))].join(' ') || 'nothing';
        progress(
          `${tag}: ${Math.round(ms)} ms, ${kinds}${notOk.length > 0 ? ` (not ok: ${notOk.join(' ')})` : ''}`,
        );
      } catch (err) {
        const error = isAppError(err) ? err.code : err instanceof Error ? err.message.slice(0, 120) : 'error';
        outcomes.push({ ...base, findings: [], checks: [], error, ms: performance.now() - t });
        progress(`${tag}: ${error}`);
      }
    }
  } finally {
    await engines.close();
  }
  const times = outcomes.flatMap((o) => (o.ms !== undefined && o.error === undefined ? [o.ms] : []));
  return {
    version: 2,
    folder: toShown(folder),
    labels: toShown(labelsFile),
    shared: plan.filter((p) => p.shared).length,
    commit,
    dirty,
    startedAt,
    finishedAt: new Date().toISOString(),
    timeoutScale,
    machine: {
      cpus: cpus().length,
      loadBefore,
      loadAfter: loadavg().map((x) => Math.round(x * 100) / 100),
      node: process.version,
    },
    ...(opts.checks ? { checks: [...opts.checks] } : {}),
    ...(opts.only ? { only: opts.only } : {}),
    engineStartMs: Math.round(engineStartMs),
    scanMs: { median: Math.round(median(times)), total: Math.round(times.reduce((a, b) => a + b, 0)) },
    score: scoreEvaluation(outcomes),
    outcomes: outcomes.map((o) => ({
      file: o.file,
      ...(o.category ? { category: o.category } : {}),
      labels: { ...o.labels, notes: undefined },
      ...(o.ms !== undefined ? { ms: Math.round(o.ms) } : {}),
      ...(o.error !== undefined ? { error: o.error } : {}),
      checks: o.checks.map((c) => ({
        name: c.name,
        status: c.status,
        ...(c.ms !== undefined ? { ms: c.ms } : {}),
      })),
      findings: o.findings.map(toStored),
      ...(o.residual ? { residual: o.residual.map(toStored) } : {}),
    })),
  };
}

/** The run's conditions in one sentence: images, commit, date, deadlines, load, timings. */
export function renderConditions(r: EvalRun): string {
  const when = `${r.startedAt.slice(0, 16).replace('T', ' ')} UTC`;
  return [
    `${r.score.images} images from ${r.labels}${r.shared > 0 ? ` (${r.shared} from the shared set)` : ''}${r.only ? `, category ${r.only} only` : ''}`,
    `commit ${r.commit.slice(0, 7) || 'unknown'}${r.dirty ? ' with uncommitted engine changes' : ''}, ${when}`,
    r.timeoutScale !== 1
      ? `analyzer deadlines ×${r.timeoutScale} (loaded machine)`
      : `the product's deadlines`,
    r.checks ? `only ${r.checks.join(', ')} (other rows read 0)` : 'every check',
    `${r.machine.cpus} CPUs, load ${r.machine.loadBefore[0]} → ${r.machine.loadAfter[0]}`,
    `engine start ${r.engineStartMs} ms, scan median ${r.scanMs.median} ms (sanitize and re-scan included), total ${(r.scanMs.total / 1000).toFixed(0)} s`,
  ].join('; ');
}

/** The terminal report: conditions, rows, residual table, incidents, and with `verbose` the files behind each miss. */
export function renderEvalRun(r: EvalRun, verbose: boolean): string {
  const lines = [`Preflight evaluation — ${renderConditions(r)}.`, '', renderScore(r.score)];
  const misses = renderMisses(r.score);
  if (verbose && misses) lines.push('', misses);
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      json: { type: 'string' },
      verbose: { type: 'boolean', short: 'v', default: false },
      quiet: { type: 'boolean', short: 'q', default: false },
      'timeout-scale': { type: 'string', default: '1' },
      /** Score every Nth labelled image only (a quicker, still stratified pass over an ordered set). */
      every: { type: 'string', default: '1' },
      /** A subset of metadata,faces,text,codes (default all). */
      checks: { type: 'string' },
      only: { type: 'string' },
      'no-shared': { type: 'boolean', default: false },
    },
  });
  const folder = resolve(positionals[0] ?? DEFAULT_FOLDER);
  const labels = resolve(positionals[1] ?? (positionals[0] ? join(folder, 'labels.json') : DEFAULT_LABELS));
  const timeoutScale = Number(values['timeout-scale']);
  if (!(timeoutScale >= 1)) throw new Error('--timeout-scale takes a number ≥ 1');
  const every = Number(values.every);
  if (!Number.isInteger(every) || every < 1) throw new Error('--every takes an integer ≥ 1');
  const checks = values.checks === undefined ? undefined : parseCheckList(values.checks);
  if (values.checks !== undefined && !checks)
    throw new Error('--checks takes a comma-separated subset of metadata,faces,text,codes');
  const restore = guardStdout();
  let run: EvalRun;
  try {
    run = await runEvaluation(folder, labels, {
      ...(values.quiet ? {} : { progress: (s: string) => process.stderr.write(`${s}\n`) }),
      timeoutScale,
      every,
      ...(checks ? { checks } : {}),
      ...(values.only ? { only: values.only } : {}),
      shared: labels === DEFAULT_LABELS && !values['no-shared'],
    });
  } finally {
    restore();
  }
  if (values.json === '-') writeStdout(`${JSON.stringify(run, null, 2)}\n`);
  else {
    if (values.json !== undefined) await writeFile(values.json, `${JSON.stringify(run, null, 2)}\n`);
    writeStdout(renderEvalRun(run, values.verbose));
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  main().catch((e: unknown) => {
    process.stderr.write(`eval: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
