// The CLI end to end, in process: exit codes, --json contract, --out, languages, refusals.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import exifr from 'exifr';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.ts';
import { pngDeclaring } from '../fixtures/synthetic.ts';

const img = (name: string): string => new URL(`../fixtures/images/${name}`, import.meta.url).pathname;
// The CLI reads the user's files and writes the cleaned copy they ask for: this folder stands in for
// the user's own folder (the service itself never writes image bytes to disk).
const work = mkdtempSync(join(tmpdir(), 'preflight-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

describe('preflight scan', () => {
  it('prints exactly one RiskReport with --json and writes a clean copy with --out', async () => {
    const outFile = join(work, 'clean.jpg');
    const r = await run(
      'scan',
      img('gps_fujifilm-s2pro_eiffel-tower.jpg'),
      '--json',
      '--checks',
      'metadata',
      '--out',
      outFile,
    );
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as { verdict: string; findings: { kind: string }[] };
    expect(report.verdict).toBe('high');
    expect(report.findings.map((f) => f.kind)).toContain('gps');
    expect(await exifr.gps(readFileSync(outFile)).catch(() => undefined)).toBeUndefined();
  });

  it('prints a readable report in English and in French', async () => {
    const en = await run('scan', img('gps_fujifilm-s2pro_eiffel-tower.jpg'), '--checks', 'metadata');
    expect(en.code).toBe(0);
    expect(en.out).toContain('High risk');
    expect(en.out).toContain('Location where the photo was taken: 48.858, 2.297');
    const fr = await run(
      'scan',
      img('gps_fujifilm-s2pro_eiffel-tower.jpg'),
      '--checks',
      'metadata',
      '--lang',
      'fr',
    );
    expect(fr.out).toContain('Risque élevé');
    expect(fr.out).toContain('Lieu de la prise de vue : 48,858 ; 2,297');
  });

  it('scans several images in one process: one JSON line each with file and out, exit 2 on a refusal', async () => {
    const bad = join(work, 'notes.jpg');
    writeFileSync(bad, 'this is text, not a photo\n');
    const bomb = join(work, 'bomb.png');
    writeFileSync(bomb, pngDeclaring(30000, 30000));
    const outDir = join(work, 'out');
    const r = await run(
      'scan',
      img('gps_iphone4_restaurant-ticket.jpg'),
      bad,
      img('face_adult_portrait_astronaut.png'),
      bomb,
      '--json',
      '--checks',
      'metadata',
      '--out',
      outDir,
    );
    expect(r.code).toBe(2);
    const lines = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ file: img('gps_iphone4_restaurant-ticket.jpg'), verdict: 'high' });
    expect(lines[1]).toMatchObject({ file: bad, error: { code: 'not_an_image' } });
    expect(lines[2]).toMatchObject({
      file: img('face_adult_portrait_astronaut.png'),
      out: join(outDir, 'face_adult_portrait_astronaut.clean.png'),
    });
    expect(lines[3]).toMatchObject({ file: bomb, error: { code: 'too_many_pixels' } });
    expect(readdirSync(outDir).sort()).toEqual([
      'face_adult_portrait_astronaut.clean.png',
      'gps_iphone4_restaurant-ticket.clean.jpg',
    ]);
    expect(r.err).toContain(`preflight: ${bad}: `);
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('answers bad usage and missing files plainly', async () => {
    expect((await run('scan')).code).toBe(2);
    expect((await run('scan', 'x.jpg', '--lang', 'de')).code).toBe(2);
    const ocr = await run('scan', 'x.jpg', '--ocr', 'deu');
    expect(ocr.code).toBe(2);
    expect(ocr.err).toContain('--ocr takes eng, fra');
    const missing = await run('scan', join(work, 'nope.jpg'), '--checks', 'metadata');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('no such file');
    expect((await run('--help')).code).toBe(0);
  });
});
