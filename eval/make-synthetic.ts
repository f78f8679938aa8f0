// `npx tsx eval/make-synthetic.ts [out-folder] [--seed N]`
// Writes a larger labelled set for the evaluation: rendered personal text (e-mails, phones, Luhn-valid
// card numbers, mod-97-valid IBANs) at several sizes, angles and contrasts on photo backgrounds,
// phone screenshots, composed faces (the face fixtures scaled into backgrounds), QR codes and
// barcodes, EXIF variants (GPS, make/model) and clean negatives; labels.json in the manifest format
// of tests/fixtures/manifest.json. Deterministic for a seed. Everything is fictitious.
// The folder is the user's choice (default /tmp/preflight-synth), never inside the repository.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import QRCode from 'qrcode';
import sharp from 'sharp';
import { prepareZXingModule, writeBarcode } from 'zxing-wasm/writer';
import { createRng, type Rng } from '../fixtures-kit/rng.ts';
import type { Labels, PiiTextKind } from './labels.ts';

const FIXTURES = new URL('../tests/fixtures/images/', import.meta.url);
export const DEFAULT_SYNTH_FOLDER = '/tmp/preflight-synth';

// ---------------------------------------------------------------------------------------------
// Deterministic randomness (createRng: fixtures-kit/rng.ts)

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const int = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
const digits = (rng: Rng, n: number): string =>
  Array.from({ length: n }, () => String(int(rng, 0, 9))).join('');

// ---------------------------------------------------------------------------------------------
// Fictitious values that validate

const FIRST = ['jane', 'marc', 'lucie', 'omar', 'sofia', 'tom', 'ines', 'paul', 'nina', 'alex'];
const LAST = ['doe', 'martin', 'durand', 'keller', 'rossi', 'novak', 'garcia', 'smith', 'leroy', 'berg'];
const DOMAINS = ['example.com', 'example.org', 'mail.example.net', 'example.fr'];

export function toEmail(rng: Rng): string {
  const sep = pick(rng, ['.', '_', '']);
  return `${pick(rng, FIRST)}${sep}${pick(rng, LAST)}${rng() < 0.4 ? int(rng, 1, 99) : ''}@${pick(rng, DOMAINS)}`;
}

/** A Luhn check digit for a digit string. */
export function toLuhnDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function toCardNumber(rng: Rng): string {
  const prefix = pick(rng, ['4', '51', '55', '37']);
  const length = prefix === '37' ? 15 : 16;
  const body = prefix + digits(rng, length - 1 - prefix.length);
  const n = body + String(toLuhnDigit(body));
  return length === 15
    ? `${n.slice(0, 4)} ${n.slice(4, 10)} ${n.slice(10)}`
    : (n.match(/.{4}/g) ?? []).join(pick(rng, [' ', ' ', '-']));
}

/** ISO 7064 mod 97-10 check digits for a country and a national part (BBAN). */
export function toIbanCheck(country: string, bban: string): string {
  const rearranged = `${bban}${country}00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let r = 0;
  for (const ch of rearranged) r = (r * 10 + Number(ch)) % 97;
  return String(98 - r).padStart(2, '0');
}

export function toIban(rng: Rng): string {
  const country = pick(rng, ['DE', 'FR', 'GB', 'ES', 'NL']);
  const letters = (n: number): string =>
    Array.from({ length: n }, () => String.fromCharCode(65 + int(rng, 0, 25))).join('');
  const bban =
    country === 'DE'
      ? digits(rng, 18)
      : country === 'FR'
        ? digits(rng, 23)
        : country === 'GB'
          ? letters(4) + digits(rng, 14)
          : country === 'ES'
            ? digits(rng, 20)
            : letters(4) + digits(rng, 10);
  const iban = `${country}${toIbanCheck(country, bban)}${bban}`;
  return (iban.match(/.{1,4}/g) ?? []).join(' ');
}

export function toPhone(rng: Rng): string {
  for (;;) {
    const style = int(rng, 0, 3);
    const s =
      style === 0
        ? `+33 ${pick(rng, ['6', '7'])} ${digits(rng, 2)} ${digits(rng, 2)} ${digits(rng, 2)} ${digits(rng, 2)}`
        : style === 1
          ? `0${pick(rng, ['6', '7'])} ${digits(rng, 2)} ${digits(rng, 2)} ${digits(rng, 2)} ${digits(rng, 2)}`
          : style === 2
            ? `+1 (${pick(rng, ['212', '415', '617', '312'])}) ${int(rng, 2, 9)}${digits(rng, 2)}-${digits(rng, 4)}`
            : `+49 ${pick(rng, ['151', '160', '170'])} ${digits(rng, 4)} ${digits(rng, 4)}`;
    const p = parsePhoneNumberFromString(s, style === 1 ? 'FR' : undefined);
    if (p?.isValid()) return s;
  }
}

// ---------------------------------------------------------------------------------------------
// Rendering helpers (all in memory)

const FONT = 'DejaVu Sans, Arial, sans-serif';
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

interface Panel {
  lines: string[];
  fontSize: number;
  fg: string;
  bg: string;
  /** Panel opacity: 1 = a card, lower = text over the photo. */
  bgOpacity: number;
  angle: number;
}

/** An SVG panel with lines of text, rotated; returned as PNG with its size. */
async function renderPanel(p: Panel): Promise<{ png: Buffer; width: number; height: number }> {
  const lh = Math.round(p.fontSize * 1.45);
  const longest = Math.max(...p.lines.map((l) => l.length));
  const width = Math.round(longest * p.fontSize * 0.62 + p.fontSize * 2);
  const height = lh * p.lines.length + p.fontSize;
  const text = p.lines
    .map(
      (l, i) =>
        `<text x="${p.fontSize}" y="${Math.round(p.fontSize * 0.5 + lh * (i + 0.8))}" font-family="${FONT}" font-size="${p.fontSize}" fill="${p.fg}">${esc(l)}</text>`,
    )
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="${width}" height="${height}" rx="${Math.round(p.fontSize / 3)}" fill="${p.bg}" fill-opacity="${p.bgOpacity}"/>${text}</svg>`;
  let img = sharp(Buffer.from(svg));
  if (p.angle !== 0)
    img = sharp(await img.png().toBuffer()).rotate(p.angle, { background: { r: 0, g: 0, b: 0, alpha: 0 } });
  const { data, info } = await img.png().toBuffer({ resolveWithObject: true });
  return { png: data, width: info.width, height: info.height };
}

const BACKGROUNDS = ['negative_rocket-launchpad.jpg', 'negative_coffee-cup.png'] as const;

async function background(name: string, width: number, height: number, rng: Rng): Promise<Buffer> {
  const src = await readFile(new URL(name, FIXTURES));
  const meta = await sharp(src).metadata();
  // A random crop (at least 70 % of each side), then scaled to the target size.
  const cw = Math.round((meta.width ?? width) * (0.7 + 0.3 * rng()));
  const ch = Math.round((meta.height ?? height) * (0.7 + 0.3 * rng()));
  const left = int(rng, 0, (meta.width ?? cw) - cw);
  const top = int(rng, 0, (meta.height ?? ch) - ch);
  return sharp(src)
    .removeAlpha()
    .extract({ left, top, width: cw, height: ch })
    .resize(width, height, { fit: 'fill' })
    .modulate({ brightness: 0.85 + 0.3 * rng() })
    .png()
    .toBuffer();
}

function clampPlace(rng: Rng, outer: number, inner: number): number {
  return inner >= outer ? 0 : int(rng, 0, outer - inner);
}

let writerReady: Promise<unknown> | undefined;
async function renderBarcode(text: string, format: 'EAN-13' | 'Code128', scale: number): Promise<Buffer> {
  if (!writerReady) {
    const require = createRequire(import.meta.url);
    const bytes = await readFile(require.resolve('zxing-wasm/writer/zxing_writer.wasm'));
    writerReady = prepareZXingModule({
      overrides: { wasmBinary: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
      fireImmediately: true,
    });
  }
  await writerReady;
  const out = await writeBarcode(text, { format, scale });
  if (!out.image) throw new Error(`cannot encode ${format}: ${out.error}`);
  return sharp(Buffer.from(await out.image.arrayBuffer()))
    .flatten({ background: '#ffffff' })
    .extend({ top: 16, bottom: 16, left: 16, right: 16, background: '#ffffff' })
    .png()
    .toBuffer();
}

export interface ScreenshotSpec {
  /** Message lines (personal items among them). */
  rows: string[];
  dark: boolean;
  fontSize: number;
  width?: number;
  height?: number;
}

/** A phone-screenshot-like PNG: status bar (9:41, 5G 100%), a contact name, chat bubbles, a tab bar. */
export async function renderScreenshot(s: ScreenshotSpec): Promise<Buffer> {
  const W = s.width ?? 1170;
  const H = s.height ?? 2532;
  const fs = s.fontSize;
  const fg = s.dark ? '#f2f2f2' : '#111111';
  const msgs = [
    'Messages',
    'Today 09:12',
    'Hi! Here are the details',
    ...s.rows,
    'Thanks, see you tomorrow',
    'Delivered',
  ];
  const body = msgs
    .map((m, j) => {
      const y = 330 + j * fs * 2.6;
      const mine = j % 2 === 0;
      const x = mine ? 60 : 140;
      const bubble = mine ? (s.dark ? '#2c2c2e' : '#e9e9eb') : s.dark ? '#0a5bd6' : '#d7e8ff';
      return `<rect x="${x - 24}" y="${y - fs * 1.3}" width="${W - 200}" height="${fs * 2}" rx="${fs}" fill="${bubble}"/><text x="${x}" y="${y}" font-family="${FONT}" font-size="${fs}" fill="${fg}">${esc(m)}</text>`;
    })
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="${W}" height="${H}" fill="${s.dark ? '#000000' : '#ffffff'}"/><text x="70" y="90" font-family="${FONT}" font-size="44" font-weight="bold" fill="${fg}">9:41</text><text x="${W - 260}" y="90" font-family="${FONT}" font-size="40" fill="${fg}">5G 100%</text><text x="70" y="220" font-family="${FONT}" font-size="56" font-weight="bold" fill="${fg}">Jane Doe</text>${body}<text x="70" y="${H - 120}" font-family="${FONT}" font-size="44" fill="${fg}">Search     Send     Settings</text></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

// ---------------------------------------------------------------------------------------------
// The set

export interface SynthEntry {
  file: string;
  category: string;
  labels: Labels;
  /** How the image was made (for reading misses); no value is secret, all are fictitious. */
  synthetic: Record<string, string | number | boolean>;
}

const CLEAN: Labels = {
  has_gps: false,
  has_exif_camera: false,
  faces: 0,
  child_present: false,
  id_document: false,
  mrz: false,
  pii_text: [],
  qr: false,
  barcode: false,
  document_or_screen: false,
};

const labels = (l: Partial<Labels>): Labels => ({ ...CLEAN, ...l });

const PII_MAKERS: Record<
  'email' | 'phone' | 'card_number' | 'iban',
  { make: (r: Rng) => string; caption: string[] }
> = {
  email: { make: toEmail, caption: ['Write to me:', 'Contact', 'E-mail:'] },
  phone: { make: toPhone, caption: ['Call me back', 'Tel:', 'Mobile'] },
  card_number: { make: toCardNumber, caption: ['Card', 'VISA', 'Payment card'] },
  iban: { make: toIban, caption: ['IBAN', 'Bank transfer to', 'Account'] },
};

/** Size/angle/contrast grid for text: 8 variants per kind. */
const TEXT_VARIANTS: { fontSize: number; angle: number; contrast: 'high' | 'low' | 'overlay' }[] = [
  { fontSize: 40, angle: 0, contrast: 'high' },
  { fontSize: 28, angle: 0, contrast: 'high' },
  { fontSize: 18, angle: 0, contrast: 'high' },
  { fontSize: 32, angle: 6, contrast: 'high' },
  { fontSize: 32, angle: -15, contrast: 'high' },
  { fontSize: 32, angle: 0, contrast: 'low' },
  { fontSize: 24, angle: 3, contrast: 'low' },
  { fontSize: 36, angle: 0, contrast: 'overlay' },
];

const FACE_SOURCES = [
  { file: 'face_adult_portrait_astronaut.png', faces: 1, child: false },
  { file: 'faces_group_three-adults.jpg', faces: 3, child: false },
  { file: 'face_child_kodak-kodim15.png', faces: 1, child: true },
  { file: 'face_child_toddler.jpg', faces: 1, child: true },
] as const;

const QR_PAYLOADS = [
  'WIFI:T:WPA;S:HomeNet-{n};P:correct-horse-{n};;',
  'MECARD:N:Doe,Jane;TEL:+33612345678;EMAIL:jane.doe@example.com;;',
  'https://example.com/track?id={n}&token=abcdef{n}',
  'BEGIN:VCARD\nVERSION:3.0\nFN:Marc Keller\nTEL:+4915112345678\nEND:VCARD',
  'Hello from the synthetic set {n}',
  'geo:48.8584,2.2945',
];

const NEGATIVE_TEXT = [
  ['Welcome to the park', 'Open daily 9:00 - 18:00'],
  ['Platform 3', 'Departs 14:35'],
  ['Fresh coffee', 'Cappuccino 3.50'],
  ['Room 204', 'Meeting at noon'],
  ['Launch window', 'T minus 10 minutes'],
];

export interface SynthImage {
  entry: SynthEntry;
  bytes: Buffer;
}

/** Builds the whole set in memory, in a fixed order, from one seed. */
export async function buildSyntheticSet(seed = 42): Promise<SynthImage[]> {
  const rng = createRng(seed);
  const out: SynthImage[] = [];
  let n = 0;
  const add = (
    name: string,
    category: string,
    l: Labels,
    meta: SynthEntry['synthetic'],
    bytes: Buffer,
  ): void => {
    n++;
    const file = `${String(n).padStart(3, '0')}_${name}`;
    out.push({ entry: { file, category, labels: l, synthetic: meta }, bytes });
  };

  // 1. Personal text on photos: 4 kinds × 8 variants.
  for (const kind of ['email', 'phone', 'card_number', 'iban'] as const) {
    for (const [vi, v] of TEXT_VARIANTS.entries()) {
      const W = 1600;
      const H = 1067;
      const bg = await background(pick(rng, BACKGROUNDS), W, H, rng);
      const value = PII_MAKERS[kind].make(rng);
      const panel = await renderPanel({
        lines: [pick(rng, PII_MAKERS[kind].caption), value],
        fontSize: v.fontSize,
        angle: v.angle,
        fg: v.contrast === 'low' ? '#6b6b6b' : v.contrast === 'overlay' ? '#ffffff' : '#161616',
        bg: v.contrast === 'low' ? '#a9a9a9' : v.contrast === 'overlay' ? '#000000' : '#fbf8ee',
        bgOpacity: v.contrast === 'overlay' ? 0.35 : 1,
      });
      const bytes = await sharp(bg)
        .composite([
          { input: panel.png, left: clampPlace(rng, W, panel.width), top: clampPlace(rng, H, panel.height) },
        ])
        .jpeg({ quality: 90 })
        .toBuffer();
      add(`text_${kind}_v${vi}.jpg`, 'pii_text', labels({ pii_text: [kind] }), { kind, ...v }, bytes);
    }
  }

  // 2. Phone screenshots with a status bar and several personal items.
  for (let i = 0; i < 8; i++) {
    const kinds: PiiTextKind[] = [];
    const rows: string[] = [];
    const chosen = (['email', 'phone', 'card_number', 'iban'] as const).filter(() => rng() < 0.6);
    if (chosen.length === 0) chosen.push('email');
    for (const k of chosen) {
      kinds.push(k);
      rows.push(`${pick(rng, PII_MAKERS[k].caption)} ${PII_MAKERS[k].make(rng)}`);
    }
    const dark = i % 2 === 1;
    const fs = pick(rng, [40, 46, 52]);
    const bytes = await renderScreenshot({ rows, dark, fontSize: fs });
    add(
      `screenshot_${i}.png`,
      'screen',
      labels({ pii_text: [...kinds, 'person_name'], document_or_screen: true }),
      { dark, fontSize: fs, kinds: kinds.join(',') },
      bytes,
    );
  }

  // 3. Faces pasted into backgrounds at several scales.
  for (let i = 0; i < 16; i++) {
    const src = FACE_SOURCES[i % FACE_SOURCES.length]!;
    const W = 1600;
    const H = 1067;
    const bg = await background(pick(rng, BACKGROUNDS), W, H, rng);
    const width = [900, 600, 400, 260][Math.floor(i / 4)]!;
    const face = await sharp(await readFile(new URL(src.file, FIXTURES)))
      .removeAlpha()
      .resize({ width })
      .png()
      .toBuffer({ resolveWithObject: true });
    const bytes = await sharp(bg)
      .composite([
        {
          input: face.data,
          left: clampPlace(rng, W, face.info.width),
          top: clampPlace(rng, H, face.info.height),
        },
      ])
      .jpeg({ quality: 90 })
      .toBuffer();
    add(
      `faces_${src.file.replace(/\.[a-z]+$/, '')}_w${width}.jpg`,
      'faces',
      labels({ faces: src.faces, child_present: src.child }),
      { source: src.file, pastedWidth: width },
      bytes,
    );
  }

  // 4. Codes: QR payloads at several sizes and angles, and 1-D barcodes.
  for (let i = 0; i < 12; i++) {
    const W = 1280;
    const H = 853;
    const bg = await background(pick(rng, BACKGROUNDS), W, H, rng);
    const isQr = i < 9;
    let code: Buffer;
    let meta: SynthEntry['synthetic'];
    if (isQr) {
      const payload = QR_PAYLOADS[i % QR_PAYLOADS.length]!.replace(/\{n\}/g, String(int(rng, 100, 999)));
      const size = [360, 220, 140][i % 3]!;
      const angle = [0, 0, 10, -20][i % 4]!;
      let png = await QRCode.toBuffer(payload, { width: size, margin: 2 });
      if (angle !== 0) png = await sharp(png).rotate(angle, { background: '#ffffff' }).png().toBuffer();
      code = png;
      meta = { format: 'QR', size, angle, payloadType: payload.split(':')[0] ?? 'text' };
    } else {
      const ean = `978${digits(rng, 9)}`;
      const text = i === 11 ? `PARCEL-${digits(rng, 10)}` : ean + String(toLuhnEan(ean));
      const format = i === 11 ? 'Code128' : 'EAN-13';
      code = await renderBarcode(text, format, i === 9 ? 4 : 3);
      meta = { format, scale: i === 9 ? 4 : 3 };
    }
    const c = await sharp(code).metadata();
    const bytes = await sharp(bg)
      .composite([
        { input: code, left: clampPlace(rng, W, c.width ?? 0), top: clampPlace(rng, H, c.height ?? 0) },
      ])
      .jpeg({ quality: 90 })
      .toBuffer();
    add(
      `code_${isQr ? 'qr' : 'barcode'}_${i}.jpg`,
      'codes',
      labels(isQr ? { qr: true } : { barcode: true }),
      meta,
      bytes,
    );
  }

  // 5. EXIF variants on plain photos.
  for (let i = 0; i < 10; i++) {
    const W = 1200;
    const H = 800;
    const bg = await background(pick(rng, BACKGROUNDS), W, H, rng);
    const gps = i < 7;
    const camera = i < 5 || i >= 7;
    const lat = Math.round((rng() * 140 - 70) * 1e6) / 1e6;
    const lon = Math.round((rng() * 340 - 170) * 1e6) / 1e6;
    const dms = (v: number): string => {
      const a = Math.abs(v);
      const d = Math.floor(a);
      const m = Math.floor((a - d) * 60);
      const s = Math.round(((a - d) * 60 - m) * 60 * 100);
      return `${d}/1 ${m}/1 ${s}/100`;
    };
    const [make, model] = pick(rng, [
      ['Apple', 'iPhone 14 Pro'],
      ['samsung', 'SM-S911B'],
      ['Google', 'Pixel 8'],
      ['Canon', 'Canon EOS R6'],
    ] as const);
    const exif: Record<string, Record<string, string>> = {};
    if (camera) exif['IFD0'] = { Make: make, Model: model };
    if (gps)
      exif['IFD3'] = {
        GPSLatitudeRef: lat < 0 ? 'S' : 'N',
        GPSLatitude: dms(lat),
        GPSLongitudeRef: lon < 0 ? 'W' : 'E',
        GPSLongitude: dms(lon),
      };
    const bytes = await sharp(bg).jpeg({ quality: 90 }).withExif(exif).toBuffer();
    add(
      `exif_${gps ? 'gps' : 'nogps'}_${camera ? 'camera' : 'nocamera'}_${i}.jpg`,
      'metadata',
      labels({ has_gps: gps, has_exif_camera: camera }),
      camera ? { make, model, gps } : { gps },
      bytes,
    );
  }

  // 6. Clean negatives: photos, some with harmless text.
  for (let i = 0; i < 10; i++) {
    const W = 1400;
    const H = 933;
    const bg = await background(BACKGROUNDS[i % 2]!, W, H, rng);
    const withText = i >= 4;
    let img = sharp(bg);
    if (withText) {
      const panel = await renderPanel({
        lines: NEGATIVE_TEXT[i % NEGATIVE_TEXT.length]!,
        fontSize: pick(rng, [28, 36, 44]),
        angle: pick(rng, [0, 0, 5]),
        fg: '#161616',
        bg: '#fbf8ee',
        bgOpacity: 1,
      });
      img = img.composite([
        { input: panel.png, left: clampPlace(rng, W, panel.width), top: clampPlace(rng, H, panel.height) },
      ]);
    }
    const bytes = await img.jpeg({ quality: 90 }).toBuffer();
    add(`negative_${withText ? 'text' : 'plain'}_${i}.jpg`, 'negatives', labels({}), { withText }, bytes);
  }
  return out;
}

/** EAN-13 check digit for 12 digits. */
export function toLuhnEan(twelve: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(twelve[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { seed: { type: 'string', default: '42' } },
  });
  const folder = resolve(positionals[0] ?? DEFAULT_SYNTH_FOLDER);
  const repo = resolve(new URL('..', import.meta.url).pathname);
  if (folder === repo || folder.startsWith(`${repo}/`))
    throw new Error('write the synthetic set outside the repository (e.g. /tmp/preflight-synth)');
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error('--seed takes an integer');
  const set = await buildSyntheticSet(seed);
  await mkdir(folder, { recursive: true });
  for (const s of set) await writeFile(join(folder, s.entry.file), s.bytes);
  await writeFile(
    join(folder, 'labels.json'),
    `${JSON.stringify(
      set.map((s) => s.entry),
      null,
      2,
    )}\n`,
  );
  process.stderr.write(`wrote ${set.length} images and labels.json to ${folder} (seed ${seed})\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  main().catch((e: unknown) => {
    process.stderr.write(`make-synthetic: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
