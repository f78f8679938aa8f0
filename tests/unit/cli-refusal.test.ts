// The CLI refuses what it cannot check before any engine loads: an empty file, a text file, a
// decompression bomb and a side over the limit are answered from their headers alone.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEngines } from '../../src/analysis/pipeline/engines.ts';
import type * as EnginesModule from '../../src/analysis/pipeline/engines.ts';
import { mayScan, runCli } from '../../src/cli.ts';
import { pngDeclaring } from '../fixtures/synthetic.ts';

// A spy around the real createEngines: it counts how many times the engines are loaded.
vi.mock('../../src/analysis/pipeline/engines.ts', async (load) => {
  const real = await load<typeof EnginesModule>();
  return { ...real, createEngines: vi.fn(real.createEngines) };
});

const work = mkdtempSync(join(tmpdir(), 'preflight-cli-refusal-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const file = (name: string, bytes: Buffer | string): string => {
  const path = join(work, name);
  writeFileSync(path, bytes);
  return path;
};
const img = (name: string): string => new URL(`../fixtures/images/${name}`, import.meta.url).pathname;

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

beforeEach(() => vi.mocked(createEngines).mockClear());

describe('preflight scan refuses before loading engines', () => {
  it.each([
    ['an empty file', 'empty.jpg', '', 'empty_input'],
    ['a text file', 'notes.jpg', 'meet me at noon\n', 'not_an_image'],
    ['a 25 000 × 25 000 PNG bomb', 'bomb.png', pngDeclaring(25_000, 25_000), 'too_many_pixels'],
    ['a 70 000 × 10 strip', 'strip.png', pngDeclaring(70_000, 10), 'bad_dimensions'],
  ])('%s', async (_, name, bytes, code) => {
    const r = await run('scan', file(name, bytes), '--json');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out)).toMatchObject({ error: { code } });
    expect(createEngines).not.toHaveBeenCalled();
  });

  it('loads the engines once for the inputs it accepts, reports in the order of the files', async () => {
    const bad = file('bomb2.png', pngDeclaring(30_000, 30_000));
    const good = img('gps_fujifilm-s2pro_eiffel-tower.jpg');
    const r = await run('scan', bad, good, good, '--json', '--checks', 'metadata');
    expect(r.code).toBe(2);
    const lines = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { file: string; error?: { code: string }; verdict?: string });
    expect(lines.map((l) => [l.file, l.error?.code ?? l.verdict])).toEqual([
      [bad, 'too_many_pixels'],
      [good, 'high'],
      [good, 'high'],
    ]);
    expect(createEngines).toHaveBeenCalledTimes(1);
  });
});

describe('a refusal loads no image library or engine', () => {
  // A real child process runs the CLI on an input and lists the heavy CommonJS packages it loaded
  // (sharp's native library, pino, the model runtimes).
  const probe = join(work, 'probe.mts');
  writeFileSync(
    probe,
    [
      `import { createRequire } from 'node:module';`,
      `const { runCli } = await import(${JSON.stringify(new URL('../../src/cli.ts', import.meta.url).pathname)});`,
      `const code = await runCli(['scan', process.argv[2]!, '--json'], { stdout: () => {}, stderr: () => {} });`,
      `const heavy = /node_modules\\/(@img\\/sharp|pino|onnxruntime-node|@tensorflow|tesseract\\.js)[/-]/;`,
      `const loaded = Object.keys(createRequire(import.meta.url).cache).filter((p) => heavy.test(p));`,
      `process.stdout.write(JSON.stringify({ code, loaded: [...new Set(loaded.map((p) => heavy.exec(p)![1]))] }));`,
    ].join('\n'),
  );
  const run = (input: string) =>
    JSON.parse(
      spawnSync(process.execPath, ['--import', 'tsx', probe, input], { encoding: 'utf8' }).stdout,
    ) as { code: number; loaded: string[] };

  it('answers an empty file with neither sharp, pino nor a model runtime loaded', () => {
    expect(run(file('empty2.jpg', ''))).toEqual({ code: 2, loaded: [] });
  });
  it('loads sharp (and only then) for a file whose first bytes are an image', () => {
    expect(run(file('bomb3.png', pngDeclaring(25_000, 25_000))).loaded).toContain('@img/sharp');
  });
});

describe('mayScan (whether bin/preflight.js starts itself again with the arena limit)', () => {
  it('is false for usage, help and inputs refused from their first bytes', async () => {
    expect(await mayScan([])).toBe(false);
    expect(await mayScan(['scan', '--help'])).toBe(false);
    expect(await mayScan(['scan', '--lang', 'de', img('gps_fujifilm-s2pro_eiffel-tower.jpg')])).toBe(false);
    expect(await mayScan(['scan', file('e.jpg', ''), file('t.jpg', 'hello\n'), join(work, 'nope.jpg')])).toBe(
      false,
    );
    expect(await mayScan(['scan', file('doc.pdf', '%PDF-1.7\n')])).toBe(false);
  });
  it('is true as soon as one input has an image format', async () => {
    expect(await mayScan(['scan', file('e2.jpg', ''), img('gps_fujifilm-s2pro_eiffel-tower.jpg')])).toBe(
      true,
    );
  });
});
