// `npm run bench:readme [-- results.json]`: writes the README's speed block (between
// <!-- bench:start --> and <!-- bench:end -->) from a committed bench result, the output of
// `npm run -s bench -- --only pipeline,cli,load --json > bench/results.json`. Figures are never typed by hand.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CliBench } from './cli.ts';
import type { PipelineBench } from './pipeline.ts';
import { renderPipelineBench } from './pipeline.ts';
import { renderTable } from './stats.ts';
import { renderBenchThroughput, type ThroughputBench } from './throughput.ts';

export interface Results {
  date: string;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    node: string;
    loadBefore: number[];
    loadAfter?: number[];
  };
  pipeline?: PipelineBench;
  external: { cli?: CliBench; load?: ThroughputBench };
}

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

type Row = [what: string, measured: string, target: string, met: boolean | undefined];

/** The rows of issue #20's targets that the result holds. */
export function toTargetRows(r: Results): Row[] {
  const rows: Row[] = [];
  const img = (name: string) => r.pipeline?.images.find((i) => i.image === name);
  const p12 = img('photo-12mp');
  if (p12?.stages.total) {
    const ms = p12.stages.total.median;
    rows.push([
      'warm 12-MP photo, every check + sanitize + verify (median)',
      `${Math.round(ms)} ms = ${p12.ratio}× the floor (${Math.round(p12.floor.median)} ms)`,
      '≤ 8× the floor, ≤ 1.0 s quiet',
      p12.ratio <= 8,
    ]);
  }
  const p1280 = img('photo-1280');
  if (p1280?.stages.total) {
    const ms = p1280.stages.total.median;
    rows.push([
      'warm 1280-px photo (median)',
      `${Math.round(ms)} ms (${p1280.ratio}× the floor)`,
      '≤ 300 ms',
      ms <= 300,
    ]);
  }
  const cli = r.external.cli;
  if (cli) {
    rows.push([
      '`npx preflight scan` start-up (first report − warm scan)',
      `${cli.startupMs} ms`,
      '≤ 2.5 s',
      cli.startupMs <= 2500,
    ]);
    const ref = cli.refusalMs.median;
    rows.push([
      'refused input (empty file), spawn → exit (median)',
      `${Math.round(ref)} ms`,
      '≤ 1 s',
      ref <= 1000,
    ]);
    const rss = cli.elevenPhotos.peakRssMb;
    rows.push([
      'peak RSS, 11 different 12-MP photos, no environment variable',
      `${rss} MB`,
      '≤ 800 MB',
      rss <= 800,
    ]);
  }
  const load = r.external.load;
  if (load) {
    for (const rate of load.rates) {
      const want = rate.paced.perMin;
      rows.push([
        `queue, 2 workers, ${rate.image}: photos per minute (burst of ${rate.burst.photos})`,
        String(rate.burst.photosPerMin),
        `≥ ${want}`,
        rate.burst.photosPerMin >= want,
      ]);
      const p95 = rate.paced.latencyMs.p95;
      rows.push([
        `queue, ${rate.image}: upload → reply p95 at ${want}/min`,
        `${(p95 / 1000).toFixed(1)} s`,
        '≤ 10 s',
        p95 <= 10_000,
      ]);
    }
    // The worker whose RSS moved most, with its sign (a fall is shown as one, and judged the same).
    const drift = load.drift.rssMb
      .map((w) => w.drift)
      .reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a), 0);
    rows.push([
      `worker RSS drift over ${load.drift.photos} photos (largest of 2)`,
      `${drift > 0 ? '+' : ''}${drift} MB`,
      '≤ 50 MB',
      Math.abs(drift) <= 50,
    ]);
  }
  return rows;
}

export function renderBenchBlock(r: Results): string {
  const m = r.machine;
  const rows = toTargetRows(r);
  const out = [
    START,
    '',
    `Run of ${r.date.slice(0, 16).replace('T', ' ')} UTC, ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, Node ${m.node}; ` +
      `load average before ${m.loadBefore.join(' ')}, after ${(m.loadAfter ?? []).join(' ')} ` +
      `(\`npm run -s bench -- --only pipeline,cli,load --json > bench/results.json && npm run bench:readme\`):`,
    '',
    renderTable([
      ['Target (issue #20)', 'measured', 'target', ''],
      ...rows.map(([what, measured, target, met]) => [
        what,
        measured,
        target,
        met === undefined ? '' : met ? 'met' : 'missed',
      ]),
    ]),
  ];
  if (r.pipeline) out.push('', renderPipelineBench(r.pipeline));
  if (r.external.load) out.push('', renderBenchThroughput(r.external.load));
  out.push('', END);
  return out.join('\n');
}

/**
 * A bench result from `bench/run.ts --json` output. `npm run bench -- … --json > file` (without -s)
 * puts npm's "> preflight@… bench" banner before the JSON: everything before the first line that
 * opens the object is skipped.
 */
export function parseResults(text: string): Results {
  const start = text.startsWith('{') ? 0 : text.indexOf('\n{') + 1;
  if (start === 0 && !text.startsWith('{')) throw new Error('no bench result (JSON object) in the file');
  return JSON.parse(text.slice(start)) as Results;
}

/** `readme` with its bench block replaced (or appended when it has none). */
export function replaceBlock(readme: string, block: string): string {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) return `${readme.trimEnd()}\n\n${block}\n`;
  return `${readme.slice(0, a)}${block}${readme.slice(b + END.length)}`;
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename);
if (isMain) {
  const root = resolve(import.meta.dirname, '..');
  const file = resolve(process.argv[2] ?? resolve(root, 'bench/results.json'));
  const results = parseResults(readFileSync(file, 'utf8'));
  const readmePath = resolve(root, 'README.md');
  writeFileSync(readmePath, replaceBlock(readFileSync(readmePath, 'utf8'), renderBenchBlock(results)));
  process.stdout.write(`README.md: bench block written from ${file}\n`);
}
