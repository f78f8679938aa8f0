// The README's bench block: read from `bench/run.ts --json` output (with or without npm's banner),
// the throughput rows compared with issue #20's targets.
import { describe, expect, it } from 'vitest';
import {
  parseResults,
  renderBenchBlock,
  replaceBlock,
  toTargetRows,
  type Results,
} from '../../bench/readme.ts';
import type { ThroughputBench } from '../../bench/throughput.ts';

const s = (median: number, p95: number) => ({ n: 10, median, p95, min: median, max: p95 });
const load: ThroughputBench = {
  workers: 2,
  entry: 'dist/worker/main.js',
  rates: [
    {
      image: 'photo-12mp',
      burst: { photos: 30, users: 10, photosPerMin: 64.2, latencyMs: s(14_000, 27_000), failed: 0 },
      paced: { photos: 30, perMin: 60, latencyMs: s(3_000, 9_500), failed: 0 },
    },
    {
      image: 'photo-1280',
      burst: { photos: 60, users: 10, photosPerMin: 120, latencyMs: s(14_000, 27_000), failed: 0 },
      paced: { photos: 75, perMin: 150, latencyMs: s(6_000, 12_000), failed: 0 },
    },
  ],
  drift: {
    photos: 500,
    rssMb: [
      { after20: 700, atEnd: 730, peak: 760, drift: 30 },
      { after20: 690, atEnd: 760, peak: 790, drift: 70 },
    ],
  },
  mallocArenaMax: '2',
};
const results: Results = {
  date: '2026-12-03T07:00:00.000Z',
  machine: { cpus: 2, cpuModel: 'X', memoryGb: 24, node: 'v20', loadBefore: [1, 1, 1], loadAfter: [2, 2, 2] },
  external: { load },
};

describe('bench readme', () => {
  it('reads the JSON after npm run’s banner, and plain JSON', () => {
    const json = JSON.stringify(results, null, 2);
    expect(parseResults(`\n> preflight@0.1.0 bench\n> tsx bench/run.ts --json\n\n${json}\n`)).toEqual(
      results,
    );
    expect(parseResults(json)).toEqual(results);
    expect(() => parseResults('> preflight@0.1.0 bench\n')).toThrow(/no bench result/);
  });

  it('compares the throughput with its targets: rate from the burst, p95 at the paced rate, worst drift', () => {
    const rows = toTargetRows(results).map(([what, measured, , met]) => [what, measured, met]);
    expect(rows).toEqual([
      ['queue, 2 workers, photo-12mp: photos per minute (burst of 30)', '64.2', true],
      ['queue, photo-12mp: upload → reply p95 at 60/min', '9.5 s', true],
      ['queue, 2 workers, photo-1280: photos per minute (burst of 60)', '120', false],
      ['queue, photo-1280: upload → reply p95 at 150/min', '12.0 s', false],
      ['worker RSS drift over 500 photos (largest of 2)', '+70 MB', false],
    ]);
    // A fall is shown with its sign, and judged by its size like a rise.
    const fell = {
      ...load,
      drift: { photos: 100, rssMb: [{ after20: 570, atEnd: 517, peak: 769, drift: -53 }] },
    };
    const last = toTargetRows({ ...results, external: { load: fell } }).at(-1)!;
    expect([last[1], last[3]]).toEqual(['-53 MB', false]);
  });

  it('replaces only the block between its markers', () => {
    const block = renderBenchBlock(results);
    const readme = `# Title\n\n<!-- bench:start -->\nold\n<!-- bench:end -->\n\n## After\n`;
    const out = replaceBlock(readme, block);
    expect(out.startsWith('# Title\n\n<!-- bench:start -->')).toBe(true);
    expect(out).toContain('## After');
    expect(out).not.toContain('old');
    expect(out).toContain('Worker RSS over 500 photos');
  });
});
