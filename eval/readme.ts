// `npm run eval:readme [--rescore] [results.json] [README.md]`: writes the README's accuracy block from a committed eval run.
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { renderScore, replaceBlock } from './render.ts';
import type { EvalRun } from './run.ts';
import { scoreEvaluation } from './score.ts';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
export const DEFAULT_RESULTS = join(ROOT, 'docs/eval-results.json');
export const DEFAULT_README = join(ROOT, 'README.md');

/** The accuracy block: what was measured, where, when, the in-sample caveat, then the tables. */
export function renderAccuracyBlock(r: EvalRun): string {
  const n = r.score.images;
  const shared =
    r.shared > 0
      ? ` (${n - r.shared} committed in \`tests/fixtures/\`, ${r.shared} read from the shared set)`
      : '';
  const deadlines =
    r.timeoutScale === 1
      ? "the product's deadlines"
      : `analyzer deadlines ×${r.timeoutScale} (a loaded machine)`;
  const what = r.checks ? `only the ${r.checks.join(', ')} checks` : 'the full engine';
  return [
    `**Accuracy** on the ${n} labelled development photos${shared}${r.only ? `, category ${r.only} only` : ''}, measured at commit` +
      ` \`${r.commit.slice(0, 7)}\`${r.dirty ? ' (with uncommitted engine changes)' : ''} on ${r.startedAt.slice(0, 10)}` +
      ` with ${what} and ${deadlines}, ${r.machine.cpus} CPUs. Written by \`npm run eval:readme\` from` +
      ` \`docs/eval-results.json\` (\`npm run eval -- --json docs/eval-results.json\`); how each row counts is in` +
      ` [docs/EVAL.md](docs/EVAL.md).`,
    `**These are development images: the settings were tuned on them, so the figures are in-sample** and` +
      ` say more about regressions than about photos the engine has never seen.`,
    renderScore(r.score),
  ].join('\n\n');
}

/** The run scored again from its stored findings by today's rules (a scorer change needs no new scan). */
export function rescore(run: EvalRun): EvalRun {
  return { ...run, score: scoreEvaluation(run.outcomes) };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { rescore: { type: 'boolean', default: false } },
  });
  const results = resolve(positionals[0] ?? DEFAULT_RESULTS);
  const readme = resolve(positionals[1] ?? DEFAULT_README);
  let run = JSON.parse(await readFile(results, 'utf8')) as EvalRun;
  if (run.version !== 2)
    throw new Error(`${results} is not an eval run of this version (npm run eval -- --json)`);
  if (values.rescore) {
    run = rescore(run);
    await writeFile(results, `${JSON.stringify(run, null, 2)}\n`);
  }
  const before = await readFile(readme, 'utf8');
  const after = replaceBlock(before, 'eval', renderAccuracyBlock(run));
  if (after !== before) await writeFile(readme, after);
  process.stdout.write(`${after === before ? 'unchanged' : 'updated'}: ${readme}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  main().catch((e: unknown) => {
    process.stderr.write(`eval:readme: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
