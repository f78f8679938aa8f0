// The codes stage on 12-megapixel photos: the warm median of analyze() (which includes reading its
// own downscaled RGBA copy) on the project's benchmark photo (a Wi-Fi QR among a face and a note),
// on a photo with five small and skewed codes, and on a photo with no code; for the default pass
// size and the alternatives, with the floor (sharp decode + orient + re-encode of the same photo)
// measured in the same run.
// `npx tsx bench/codes.ts` (env CODES_RUNS), or through `npm run bench -- --only codes`.
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { createCodeAnalyzer, DEFAULT_PASS_SIDES } from '../src/analysis/codes/analyzer.ts';
import { prepareImage } from '../src/analysis/image/decode.ts';
import { DEFAULT_SCAN_OPTIONS, type ClosableAnalyzer } from '../src/types.ts';
import { renderBackground, renderCode, renderPhoto } from '../fixtures-kit/make-code-fixtures.ts';
import { makeBenchImages } from './images.ts';
import { floorOnce } from './pipeline.ts';
import { renderTable, toSummary } from './stats.ts';

const envInt = (name: string, dflt: number): number => {
  const v = Number.parseInt(process.env[name] ?? '', 10);
  return Number.isFinite(v) && v > 0 ? v : dflt;
};

const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;

/** Wall time and process CPU time (less sensitive to other load on a shared machine). */
async function stageOnce(
  a: ClosableAnalyzer,
  bytes: Buffer,
): Promise<{ ms: number; cpu: number; codes: number }> {
  const image = await prepareImage(bytes);
  const c = process.cpuUsage();
  const t = performance.now();
  const found = await a.analyze({
    image,
    options: DEFAULT_SCAN_OPTIONS,
    signal: new AbortController().signal,
  });
  return { ms: performance.now() - t, cpu: cpuMs(process.cpuUsage(c)), codes: found.length };
}

async function floorTimed(bytes: Buffer): Promise<{ ms: number; cpu: number }> {
  const c = process.cpuUsage();
  const ms = await floorOnce(bytes);
  return { ms, cpu: cpuMs(process.cpuUsage(c)) };
}

/** Five codes a phone photo might catch: small, rotated, sheared, a little blurred. */
async function photoWithCodes(): Promise<Buffer> {
  const bcbp = 'M1DESMARAIS/LUC       EABC123 YULFRAAC 0834 326J001A0025 100';
  const { bytes } = await renderPhoto(
    [
      {
        png: await renderCode('WIFI:T:WPA;S:Cafe;P:espresso-2024;;', 'QRCode'),
        place: { size: 260, angle: 14, at: { x: 0.1, y: 0.1 }, blur: 0.8 },
      },
      {
        png: await renderCode('https://example.org/r?token=Qm81xA0&utm_source=qr', 'QRCode'),
        place: { size: 420, shear: 0.25, at: { x: 0.6, y: 0.12 }, blur: 0.8 },
      },
      {
        png: await renderCode(bcbp, 'PDF417', 3),
        place: { size: 900, angle: 3, at: { x: 0.08, y: 0.62 }, blur: 0.8 },
      },
      {
        png: await renderCode(bcbp, 'Aztec'),
        place: { size: 330, angle: -20, at: { x: 0.45, y: 0.45 }, blur: 0.8 },
      },
      {
        png: await renderCode('9780804816632', 'EAN13', 4),
        place: { size: 700, angle: 10, at: { x: 0.68, y: 0.66 }, blur: 0.8 },
      },
    ],
    4000,
    3000,
  );
  return bytes;
}

export async function benchCodes(): Promise<Record<string, number>> {
  const runs = Math.max(3, envInt('CODES_RUNS', 7));
  const t0 = performance.now();
  const analyzers: Record<string, ClosableAnalyzer> = {
    [`p${DEFAULT_PASS_SIDES.join('_')}`]: await createCodeAnalyzer(),
  };
  const loadMs = performance.now() - t0;
  for (const sides of [[3000], [1500]])
    analyzers[`p${sides.join('_')}`] ??= await createCodeAnalyzer({ passSides: sides });

  const { photo12mp } = await makeBenchImages();
  const noCode = await sharp(await renderBackground(4000, 3000, 'faces_group_three-adults.jpg'))
    .jpeg({ quality: 90 })
    .toBuffer();
  const photos: Record<string, Buffer> = {
    bench12mp: photo12mp.bytes,
    codes5: await photoWithCodes(),
    nocode: noCode,
  };

  const out: Record<string, number> = { runs, reader_load_ms: Math.round(loadMs) };
  const floors: number[] = [];
  const floorCpu: number[] = [];
  for (const [pname, bytes] of Object.entries(photos)) {
    for (const [aname, a] of Object.entries(analyzers)) {
      await stageOnce(a, bytes); // warm: first call per analyzer and photo
      const ms: number[] = [];
      const cpu: number[] = [];
      let codes = 0;
      for (let i = 0; i < runs; i++) {
        const r = await stageOnce(a, bytes);
        ms.push(r.ms);
        cpu.push(r.cpu);
        codes = r.codes;
        const f = await floorTimed(bytes);
        floors.push(f.ms);
        floorCpu.push(f.cpu);
      }
      out[`${pname}_${aname}_median_ms`] = toSummary(ms).median;
      out[`${pname}_${aname}_cpu_median_ms`] = toSummary(cpu).median;
      out[`${pname}_${aname}_codes`] = codes;
    }
  }
  out.floor_median_ms = toSummary(floors).median;
  out.floor_cpu_median_ms = toSummary(floorCpu).median;
  for (const a of Object.values(analyzers)) await a.close();
  return out;
}

export function renderBenchCodes(r: Record<string, number>): string {
  const rows: string[][] = [['measure', 'value']];
  for (const [k, v] of Object.entries(r)) rows.push([k, String(v)]);
  return renderTable(rows);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await benchCodes();
  console.log(renderBenchCodes(r));
  const d = `p${DEFAULT_PASS_SIDES.join('_')}`;
  console.log(
    `\ncodes stage (default passes ${DEFAULT_PASS_SIDES.join('+')} px), median warm on 12 MP: ` +
      `${r[`bench12mp_${d}_median_ms`]} ms with one QR, ${r[`codes5_${d}_median_ms`]} ms with five codes ` +
      `(${r[`codes5_${d}_codes`]} found), ${r[`nocode_${d}_median_ms`]} ms with none (target ≤ 300 added); ` +
      `floor ${r.floor_median_ms} ms (CPU time: stage ${r[`bench12mp_${d}_cpu_median_ms`]} ms, floor ${r.floor_cpu_median_ms} ms)`,
  );
}
