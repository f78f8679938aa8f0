// Every hostile input ends in a report or a clear input refusal — in the engine and in the CLI — and the
// sanitized copy of everything scanned carries no metadata container and no bytes after its end.
// The CLI reads its files through node:fs/promises; here that module serves the corpus from memory
// under /hostile/ (the bytes never touch disk), everything else is the real CLI.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditContainer } from '../../src/analysis/image/container.ts';
import { createEngines } from '../../src/analysis/pipeline/engines.ts';
import { scanImage } from '../../src/analysis/pipeline/scan.ts';
import { isInputError } from '../../src/errors.ts';
import type * as FsPromises from 'node:fs/promises';
import type { Engines } from '../../src/types.ts';
import { hostileCorpus, type HostileEntry } from '../fixtures/hostile.ts';

const virtual = new Map<string, Buffer>();

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof FsPromises>();
  return {
    ...real,
    stat: (p: string) => {
      const b = virtual.get(p);
      return b ? Promise.resolve({ isFile: () => true, size: b.length }) : real.stat(p);
    },
    readFile: (p: string, ...rest: unknown[]) => {
      const b = virtual.get(p);
      return b ? Promise.resolve(b) : (real.readFile as (...a: unknown[]) => Promise<unknown>)(p, ...rest);
    },
  };
});

const { runCli } = await import('../../src/cli.ts');

const corpus = hostileCorpus();
const timings: { name: string; engineMs: number; cliMs: number; outcome: string }[] = [];

describe('hostile inputs: engine and CLI', () => {
  let engines: Engines;
  beforeAll(async () => {
    engines = await createEngines({ checks: ['metadata'] });
  });
  afterAll(async () => {
    await engines?.close();
    const slowest = [...timings].sort((a, b) => b.engineMs + b.cliMs - (a.engineMs + a.cliMs)).slice(0, 3);
    console.info(
      `hostile corpus: ${timings.length} inputs, 0 crashes; slowest: ${slowest
        .map((t) => `${t.name} (engine ${t.engineMs} ms, CLI ${t.cliMs} ms)`)
        .join('; ')}`,
    );
  });

  it('has the inputs the hardening issue lists', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
    expect(corpus.filter((e) => e.expected === 'scanned').length).toBeGreaterThanOrEqual(15);
    expect(new Set(corpus.map((e) => e.name)).size).toBe(corpus.length);
  });

  it.each(corpus.map((e) => [e.name, e] as [string, HostileEntry]))(
    '%s',
    async (_name, entry) => {
      const bytes = await entry.make();

      // Engine
      let t0 = performance.now();
      let outcome: 'scanned' | 'refused';
      try {
        const { report, sanitized } = await scanImage(bytes, engines);
        outcome = 'scanned';
        const metadata = report.checks.find((c) => c.name === 'metadata');
        expect(metadata?.status).toBe(entry.metadata ?? 'ok');
        if (metadata?.status === 'failed') expect(metadata.error).toBe('damaged_metadata');
        expect(report.checks.find((c) => c.name === 'verify')?.status).toBe('ok');
        expect(sanitized).toBeDefined();
        const audit = auditContainer(sanitized!);
        expect(audit).toMatchObject({ metadata: [], trailingBytes: 0, malformed: false });
        // Nothing of an appended payload survives.
        expect(sanitized!.includes(Buffer.from('PK\x03\x04', 'latin1'))).toBe(false);
        expect(sanitized!.includes(Buffer.from('<script>'))).toBe(false);
      } catch (e) {
        if (!isInputError(e)) throw e;
        outcome = 'refused';
        expect(e.message).not.toMatch(/\n|\/\S+\.(ts|js)|at \S+ \(/);
      }
      const engineMs = Math.round(performance.now() - t0);
      expect(outcome).toBe(entry.expected);

      // CLI (in process, --json, metadata only)
      const path = `/hostile/${entry.name.replace(/[^a-z0-9]+/gi, '-')}.bin`;
      virtual.set(path, bytes);
      let out = '';
      let err = '';
      t0 = performance.now();
      const code = await runCli(['scan', path, '--json', '--checks', 'metadata'], {
        stdout: (s) => (out += s),
        stderr: (s) => (err += s),
      });
      const cliMs = Math.round(performance.now() - t0);
      virtual.delete(path);
      expect(code).toBe(entry.expected === 'scanned' ? 0 : 2);
      expect(err).not.toMatch(/internal error|\n\s+at /);
      if (code === 0) {
        const report = JSON.parse(out) as { input: { format: string } };
        expect(report.input.format).toBeTruthy();
        expect(err).toBe('');
      } else {
        expect(err.trimEnd().split('\n')).toHaveLength(1);
        expect(err).toMatch(/^preflight: \/hostile\/\S+: \S/);
        const refusal = JSON.parse(out) as { error?: { code?: unknown } };
        expect(typeof refusal.error?.code).toBe('string');
      }
      timings.push({ name: entry.name, engineMs, cliMs, outcome });
      // A hostile input must not hang the engine: the test's own deadline is the guard (a speed bound
      // here failed on a loaded machine; measured figures go to the report and to `npm run bench`).
    },
    120_000,
  );
});
