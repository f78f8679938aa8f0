// Side by side with native Debian tools on the same images:
// - OCR: the `tesseract` CLI (tesseract-ocr, eng) vs our text stage (tesseract.js WASM + recognizers),
//   both on the same 2000-px grayscale copy of the 12-MP photo;
// - metadata stripping: `exiftool -all=` (no re-encode) and `mat2` (re-renders the image) vs our
//   floor (sharp decode + autoOrient + re-encode q90) on the 12-MP JPEG.
// Installs the tools with apt-get when missing (skips with a note when that fails). Bytes go to the
// CLIs through stdin/stdout, except mat2, which only takes a path: it gets the synthetic benchmark
// photo (nothing personal) in /dev/shm (memory), removed right after.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { prepareImage } from '../src/analysis/image/decode.ts';
import { DEFAULT_SCAN_OPTIONS } from '../src/types.ts';
import { makeBenchImages } from './images.ts';
import { floorOnce } from './pipeline.ts';
import { renderTable, toSummary, type Summary } from './stats.ts';

const TOOLS = { tesseract: 'tesseract-ocr', exiftool: 'libimage-exiftool-perl', mat2: 'mat2' } as const;
type Tool = keyof typeof TOOLS;

const isInstalled = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** apt-get update + install of the missing tools; returns a note for each tool still missing. */
export function ensureNativeTools(log: (s: string) => void = () => undefined): string[] {
  const missing = (Object.keys(TOOLS) as Tool[]).filter((t) => !isInstalled(t));
  if (missing.length > 0 && isInstalled('apt-get')) {
    log(`  installing ${missing.map((t) => TOOLS[t]).join(' ')} with apt-get`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const up = spawnSync('apt-get', ['update'], { stdio: 'ignore', env, timeout: 300_000 });
    if (up.status === 0)
      spawnSync(
        'apt-get',
        ['install', '-y', '-o', 'DPkg::Lock::Timeout=120', ...missing.map((t) => TOOLS[t])],
        {
          stdio: 'ignore',
          env,
          timeout: 600_000,
        },
      );
  }
  return (Object.keys(TOOLS) as Tool[])
    .filter((t) => !isInstalled(t))
    .map((t) => `${t} not available (apt-get install ${TOOLS[t]} failed or apt-get is missing): skipped`);
}

/** Runs a command with `input` on stdin; resolves with wall time (ms) and stdout size. */
function timeCommand(cmd: string, args: string[], input?: Buffer): Promise<{ ms: number; out: number }> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const p = spawn(cmd, args, { stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    let out = 0;
    let err = '';
    p.stdout?.on('data', (d: Buffer) => (out += d.length));
    p.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      if (code === 0) resolve({ ms: performance.now() - t, out });
      else reject(new Error(`${cmd} exited ${code}: ${err.slice(0, 200)}`));
    });
    if (input) p.stdin?.end(input);
  });
}

export interface NativeBench {
  image: string;
  ocrImage: string;
  ours: { ocrStage?: Summary; floor: Summary };
  tesseractCli?: Summary & { version: string };
  exiftool?: Summary;
  mat2?: Summary;
  notes: string[];
}

export async function benchNative(
  opts: { runs?: number; log?: (s: string) => void } = {},
): Promise<NativeBench> {
  const log = opts.log ?? (() => undefined);
  const runs = opts.runs ?? 5;
  const notes = ensureNativeTools(log);
  const { photo12mp } = await makeBenchImages();
  // The same grayscale 2000-px copy the text stage OCRs (its default maxSide), as a PNG.
  const gray = await sharp(photo12mp.bytes)
    .autoOrient()
    .resize(2000, 2000, { fit: 'inside' })
    .grayscale()
    .png()
    .toBuffer();
  const result: NativeBench = {
    image: photo12mp.description,
    ocrImage: '2000×1500 grayscale PNG of the 12-MP photo',
    ours: { floor: toSummary([]) },
    notes,
  };

  // Our OCR stage, on the very same PNG (the text analyzer decodes it and finds nothing to downscale).
  try {
    const { createTextAnalyzer } = await import('../src/analysis/text/analyzer.ts');
    const text = await createTextAnalyzer();
    try {
      const image = await prepareImage(gray);
      const times: number[] = [];
      for (let i = 0; i <= runs; i++) {
        const t = performance.now();
        await text.analyze({ image, options: DEFAULT_SCAN_OPTIONS, signal: new AbortController().signal });
        if (i > 0) times.push(performance.now() - t); // the first run warms the worker
      }
      result.ours.ocrStage = toSummary(times);
    } finally {
      await text.close();
    }
  } catch (e) {
    notes.push(`our text stage could not run: ${e instanceof Error ? e.message.slice(0, 120) : String(e)}`);
  }

  const floors: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const ms = await floorOnce(photo12mp.bytes);
    if (i > 0) floors.push(ms);
  }
  result.ours.floor = toSummary(floors);

  if (isInstalled('tesseract')) {
    const version = spawnSync('tesseract', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0] ?? '';
    const times: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const r = await timeCommand('tesseract', ['stdin', 'stdout', '-l', 'eng'], gray);
      if (i > 0) times.push(r.ms);
    }
    result.tesseractCli = { ...toSummary(times), version };
  }
  if (isInstalled('exiftool')) {
    const times: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const r = await timeCommand('exiftool', ['-all=', '-', '-o', '-'], photo12mp.bytes);
      if (i > 0) times.push(r.ms);
    }
    result.exiftool = toSummary(times);
  }
  if (isInstalled('mat2')) {
    const dir = await mkdtemp(join('/dev/shm', 'preflight-bench-'));
    try {
      const file = join(dir, 'bench.jpg');
      const times: number[] = [];
      const sandbox = isInstalled('bwrap') ? [] : ['--no-sandbox'];
      for (let i = 0; i <= runs; i++) {
        await writeFile(file, photo12mp.bytes);
        const r = await timeCommand('mat2', [...sandbox, '--inplace', file]).catch(async () =>
          // bubblewrap may be present but not usable in a container.
          timeCommand('mat2', ['--no-sandbox', '--inplace', file]),
        );
        if (i > 0) times.push(r.ms);
      }
      result.mat2 = toSummary(times);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return result;
}

const cell = (s: Summary | undefined): string =>
  s === undefined ? 'skipped' : `${Math.round(s.median)} / ${Math.round(s.p95)}`;

export function renderNativeBench(b: NativeBench): string {
  return [
    renderTable([
      ['Task (median / p95 ms)', 'Preflight', 'Native tool'],
      [
        `OCR, ${b.ocrImage}`,
        `${cell(b.ours.ocrStage)} (tesseract.js WASM + recognizers)`,
        `${cell(b.tesseractCli)} (${b.tesseractCli?.version ?? 'tesseract CLI'}, -l eng)`,
      ],
      [
        'Strip metadata, 12-MP JPEG',
        `${cell(b.ours.floor)} (sharp decode + orient + re-encode q90)`,
        `${cell(b.exiftool)} (exiftool -all=, no re-encode)`,
      ],
      [
        'Strip metadata, 12-MP JPEG (re-render)',
        `${cell(b.ours.floor)} (same)`,
        `${cell(b.mat2)} (mat2 --inplace)`,
      ],
    ]),
    ...b.notes.map((n) => `Note: ${n}`),
  ].join('\n');
}
