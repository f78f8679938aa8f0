// The text stage (line detection, OCR, recognizers, scene) on pictures rendered in memory: a
// 12-megapixel photo with a text card, the same photo turned 90°, a 12-megapixel photo without text,
// a 1170×2532 phone screenshot, and a dense A4 page (the payslip fixture, 1414×2000); with the floor (sharp decode + orient + re-encode of the same
// image) measured in the same run. Wall time and process CPU time (worker threads included).
// `npx tsx bench/text.ts` (env TEXT_RUNS, default 5; TEXT_THREADS: PP-OCR intra-op threads), or `npm run bench -- --only text`.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { prepareImage } from '../src/analysis/image/decode.ts';
import { createTextAnalyzer } from '../src/analysis/text/analyzer.ts';
import { DEFAULT_SCAN_OPTIONS, type ClosableAnalyzer } from '../src/types.ts';
import { SYNTHETIC_PII, renderPhoneScreenshot, renderTextPhoto } from '../fixtures-kit/make-text-fixtures.ts';
import { floorOnce } from './pipeline.ts';
import { renderTable, toSummary } from './stats.ts';

/** Intra-op threads of the PP-OCR sessions (env TEXT_THREADS; default: the analyzer's). */
const threads = (): number | undefined => {
  const v = Number.parseInt(process.env.TEXT_THREADS ?? '', 10);
  return Number.isFinite(v) && v > 0 ? v : undefined;
};

const runs = (): number => {
  const v = Number.parseInt(process.env.TEXT_RUNS ?? '', 10);
  return Number.isFinite(v) && v > 0 ? v : 5;
};

async function stageOnce(
  a: ClosableAnalyzer,
  bytes: Buffer,
): Promise<{ ms: number; cpuMs: number; found: number }> {
  const image = await prepareImage(bytes);
  const cpu = process.cpuUsage();
  const t = performance.now();
  const found = await a.analyze({
    image,
    options: DEFAULT_SCAN_OPTIONS,
    signal: new AbortController().signal,
  });
  const ms = performance.now() - t;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000, found: found.length };
}

export async function benchText(): Promise<Record<string, number>> {
  const lines = [
    'Claire MARTIN',
    `E-mail : ${SYNTHETIC_PII.email}`,
    `Tél : ${SYNTHETIC_PII.phone}`,
    `IBAN ${SYNTHETIC_PII.iban}`,
    `Carte ${SYNTHETIC_PII.card}`,
  ];
  const photo = await renderTextPhoto({ lines, fontSize: 90, width: 4000, height: 3000 });
  const sideways = await renderTextPhoto({ lines, fontSize: 90, width: 4000, height: 3000, rotate: 90 });
  const plain = await renderTextPhoto({
    lines: [' '],
    fontSize: 10,
    width: 4000,
    height: 3000,
    background: 'negative_coffee-cup.png',
  });
  const screenshot = await renderPhoneScreenshot([
    `My card ${SYNTHETIC_PII.card}`,
    `Mail ${SYNTHETIC_PII.email}`,
    'See you at 7',
  ]);
  const images: [string, Buffer][] = [
    ['photo-12mp-text', photo],
    ['photo-12mp-text-rotated', sideways],
    ['photo-12mp-no-text', plain],
    ['screenshot-1170x2532', screenshot],
    [
      'a4-page-1414x2000',
      readFileSync(
        new URL('../tests/fixtures/images/pii_payslip_fr_name_address_social-security.jpg', import.meta.url),
      ),
    ],
  ];
  const stages = new Map<string, number[]>();
  let current = '';
  const t = performance.now();
  const modelThreads = threads();
  const a = await createTextAnalyzer({
    ...(modelThreads ? { modelThreads } : {}),
    onStage: (stage, ms) => {
      const key = `${current}.${stage}Ms`;
      stages.set(key, [...(stages.get(key) ?? []), ms]);
    },
  });
  const out: Record<string, number> = { createMs: Math.round(performance.now() - t) };
  try {
    const rows: string[][] = [
      ['image', 'floor ms', 'text ms (median)', 'p95', 'cpu ms (median)', 'findings'],
    ];
    for (const [name, bytes] of images) {
      current = `${name}.warmup`;
      await stageOnce(a, bytes); // warm-up
      current = name;
      const wall: number[] = [];
      const cpu: number[] = [];
      const floor: number[] = [];
      let found = 0;
      for (let i = 0; i < runs(); i++) {
        floor.push(await floorOnce(bytes));
        const r = await stageOnce(a, bytes);
        wall.push(r.ms);
        cpu.push(r.cpuMs);
        found = r.found;
      }
      const w = toSummary(wall);
      const c = toSummary(cpu);
      const f = toSummary(floor);
      out[`${name}.medianMs`] = w.median;
      out[`${name}.p95Ms`] = w.p95;
      out[`${name}.cpuMedianMs`] = c.median;
      out[`${name}.floorMedianMs`] = f.median;
      out[`${name}.findings`] = found;
      rows.push([name, String(f.median), String(w.median), String(w.p95), String(c.median), String(found)]);
    }
    console.log(renderTable(rows));
    // Median per pass, summed over the passes of one run divided by the run count (ms per image).
    for (const [key, xs] of stages)
      if (!key.includes('.warmup.'))
        out[`${key.replace(/Ms$/, '')}.perImageMs`] = Math.round(xs.reduce((x, y) => x + y, 0) / runs());
  } finally {
    await a.close();
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await benchText();
  console.log(JSON.stringify(r, null, 2));
}
