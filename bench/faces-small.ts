// Small faces in 12 MP photos: recall and cost of the ways to look closer. 36 photos composed in
// memory (six fixture backgrounds at 4000×3000, one to three face fixtures pasted so their first face
// is 28–130 px wide, seeded positions); each face counts as found when a `face` finding overlaps its
// known box (IoU > 0.3). Configurations: full frame only, the 2×2 tile grid, and proposals (a mosaic
// of cells around weak full-frame boxes) at three score floors.
// `npx tsx bench/faces-small.ts` (FACES_SMALL_ONLY='{"proposalScore":0.03}' runs one configuration of face options)
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import type { OverlayOptions } from 'sharp';
import { prepareImage } from '../src/analysis/image/decode.ts';
import {
  createFaceAnalyzer,
  detectFaces,
  DEFAULT_FACE_OPTIONS,
  type FaceAnalyzerOptions,
} from '../src/analysis/faces/analyzer.ts';
import { DEFAULT_SCAN_OPTIONS, type Region } from '../src/types.ts';
import { renderTable, toSummary } from './stats.ts';

const FIXTURES = new URL('../tests/fixtures/images/', import.meta.url);
const fixture = (name: string): Promise<Buffer> => readFile(new URL(name, FIXTURES));

const FACE_SOURCES = [
  'face_child_toddler.jpg',
  'face_adult_portrait_astronaut.png',
  'face_child_kodak-kodim15.png',
  'faces_group_three-adults.jpg',
  'id_passport_canada_specimen_td3.png',
];
const BACKGROUNDS = [
  'negative_rocket-launchpad.jpg',
  'negative_coffee-cup.png',
  'pii_business-card_photo.jpg',
  'gps_fujifilm-s2pro_eiffel-tower.jpg',
  'gps_sony-hx5v_street-sign.jpg',
  'gps_iphone4_restaurant-ticket.jpg',
];
const SIZES = [40, 50, 60, 75, 95, 130];

interface Case {
  bytes: Buffer;
  expected: (Region & { size: number })[];
}

function iou(a: Region, b: Region): number {
  const ix = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  const inter = ix * iy;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

async function makeCases(count: number): Promise<Case[]> {
  let seed = 7;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  // Each source's face boxes at its own size, from the detector itself (full frame, no closer look).
  const sources = [];
  for (const name of FACE_SOURCES) {
    const buf = await sharp(await fixture(name))
      .removeAlpha()
      .toBuffer();
    const { data, info } = await sharp(buf).raw().toBuffer({ resolveWithObject: true });
    const scan = await detectFaces(
      { data, width: info.width, height: info.height, channels: 3, scale: 1 },
      { ...DEFAULT_FACE_OPTIONS, tiles: 'never' },
    );
    sources.push({ buf, width: info.width, height: info.height, faces: scan.faces });
  }
  const cases: Case[] = [];
  for (let i = 0; i < count; i++) {
    const bg = await sharp(await fixture(BACKGROUNDS[i % BACKGROUNDS.length]!))
      .resize(4000, 3000, { fit: 'fill' })
      .toBuffer();
    const layers: OverlayOptions[] = [];
    const expected: Case['expected'] = [];
    const n = 1 + Math.floor(rnd() * 3);
    for (let j = 0; j < n; j++) {
      const src = sources[Math.floor(rnd() * sources.length)]!;
      const size = SIZES[Math.floor(rnd() * SIZES.length)]!;
      const k = size / src.faces[0]!.width;
      const w = Math.round(src.width * k);
      const h = Math.round(src.height * k);
      const left = Math.floor((j * 4000) / n + rnd() * Math.max(1, 4000 / n - w));
      const top = Math.floor(rnd() * (3000 - h));
      if (left + w > 4000) continue;
      layers.push({ input: await sharp(src.buf).resize(w, h).toBuffer(), left, top });
      for (const f of src.faces)
        expected.push({
          x: left + f.x * k,
          y: top + f.y * k,
          width: f.width * k,
          height: f.height * k,
          size: Math.round(f.width * k),
        });
    }
    cases.push({ bytes: await sharp(bg).composite(layers).jpeg({ quality: 88 }).toBuffer(), expected });
  }
  return cases;
}

const CONFIGS: [string, FaceAnalyzerOptions][] = [
  ['full frame only', { tiles: 'never' }],
  ['2×2 tile grid', { proposals: false }],
  ['proposals ≥ 0.04', { proposalScore: 0.04 }],
  ['proposals ≥ 0.03 (default)', { proposalScore: 0.03 }],
  ['proposals ≥ 0.02', { proposalScore: 0.02 }],
];
const ONLY = process.env['FACES_SMALL_ONLY'];

export async function benchSmallFaces(count = 36): Promise<string> {
  const cases = await makeCases(count);
  const rows = [
    [
      'configuration',
      'faces found',
      'under 60 px',
      '60 px and over',
      'extra boxes',
      'passes (median)',
      'stage ms (median)',
    ],
  ];
  const configs: [string, FaceAnalyzerOptions][] = ONLY
    ? [[`custom ${ONLY}`, JSON.parse(ONLY) as FaceAnalyzerOptions]]
    : CONFIGS;
  for (const [name, opts] of configs) {
    const a = await createFaceAnalyzer(opts);
    let found = 0;
    let extra = 0;
    const small = [0, 0];
    const large = [0, 0];
    const ms: number[] = [];
    const passes: number[] = [];
    for (const c of cases) {
      const image = await prepareImage(c.bytes);
      const t = performance.now();
      const faces = (
        await a.analyze({ image, options: DEFAULT_SCAN_OPTIONS, signal: new AbortController().signal })
      ).filter((f) => f.kind === 'face');
      ms.push(performance.now() - t);
      const raw = await image.raw(DEFAULT_FACE_OPTIONS.maxSide, 3);
      passes.push((await detectFaces(raw, { ...DEFAULT_FACE_OPTIONS, ...opts })).passes);
      for (const e of c.expected) {
        const hit = faces.some((f) => f.region && iou(f.region, e) > 0.3);
        const bucket = e.size < 60 ? small : large;
        bucket[1]!++;
        if (hit) {
          found++;
          bucket[0]!++;
        }
      }
      extra += faces.filter((f) => !c.expected.some((e) => f.region && iou(f.region, e) > 0.3)).length;
    }
    await a.close();
    const total = cases.reduce((n, c) => n + c.expected.length, 0);
    rows.push([
      name,
      `${found}/${total}`,
      `${small[0]}/${small[1]}`,
      `${large[0]}/${large[1]}`,
      String(extra),
      String(toSummary(passes).median),
      String(toSummary(ms).median),
    ]);
  }
  return renderTable(rows);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await benchSmallFaces());
}
