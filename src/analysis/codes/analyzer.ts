// QR codes, Data Matrix, Aztec, PDF417 and 1-D barcodes: find and decode them with zxing-wasm (the
// WebAssembly binary shipped in the npm package, never fetched), classify what each payload reveals,
// and return padded boxes for the sanitizer to cover.
import type { ReaderOptions } from 'zxing-wasm/reader';
import type { AnalyzerContext, ClosableAnalyzer, Finding, RawImage, Region } from '../../types.ts';
import { isLinearFormat, isProductFormat, toFormatLabel } from './formats.ts';
import { toCodePayload } from './payload.ts';
import { createReaderThread } from './reader-thread.ts';
import { createInProcessReader, type CodeRead, type CodeReader } from './zxing.ts';

export interface CodeAnalyzerOptions {
  /** Deadline for one image. */
  timeoutMs?: number;
  /**
   * Longest side of each decoding pass, largest first, each capped at the image's own size.
   * zxing also tries its own 1/3 and 1/9 downscales of every pass larger than 500 px; a smaller
   * image gets one more pass at half size, for large blurry codes (bars need sharp edges).
   */
  passSides?: readonly number[];
}

/** One 2048 px pass: it reuses decode.ts's RGB copy (how it was chosen: docs/EVAL.md, "Tuning notes"). */
export const DEFAULT_PASS_SIDES: readonly number[] = [2048];
/** Below this, zxing's own downscaling does not run, so we add a half-size pass ourselves. */
const SMALL_IMAGE_SIDE = 1000;
const MIN_PASS_SIDE = 160;

/** What we look for: every 2-D code and the common 1-D symbologies (not Codabar/DataBar: noisy). */
const FORMATS: ReaderOptions['formats'] = [
  'QRCode',
  'MicroQRCode',
  'RMQRCode',
  'DataMatrix',
  'Aztec',
  'PDF417',
  'EAN13',
  'EAN8',
  'UPCA',
  'UPCE',
  'Code128',
  'Code39',
  'Code93',
  'ITF',
];

const READER_OPTIONS: ReaderOptions = {
  formats: FORMATS,
  tryHarder: true,
  tryRotate: true,
  tryInvert: true,
  tryDownscale: true,
  // One clean scan line is enough for a checksummed EAN on a blurry photo; ITF and Code 39 partial
  // reads are filtered below.
  minLineCount: 1,
  maxNumberOfSymbols: 8,
  textMode: 'Plain',
};

interface Point {
  x: number;
  y: number;
}

interface Hit {
  format: string;
  text: string;
  binary: boolean;
  /** Axis-aligned box to cover, displayed pixels. */
  box: Region;
  lineCount: number;
}

/** Luminance at (x, y) of an RGBA or grey raw image, nearest pixel, or -1 outside. */
function lumaAt(raw: RawImage, x: number, y: number): number {
  const xi = Math.round(x);
  const yi = Math.round(y);
  if (xi < 0 || yi < 0 || xi >= raw.width || yi >= raw.height) return -1;
  const i = (yi * raw.width + xi) * raw.channels;
  if (raw.channels < 3) return raw.data[i] ?? 0;
  return 0.299 * (raw.data[i] ?? 0) + 0.587 * (raw.data[i + 1] ?? 0) + 0.114 * (raw.data[i + 2] ?? 0);
}

function sampleLine(raw: RawImage, a: Point, b: Point, n: number): number[] | undefined {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = n === 1 ? 0 : i / (n - 1);
    const v = lumaAt(raw, a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
    if (v < 0) return undefined;
    out.push(v);
  }
  return out;
}

function correlation(p: number[], q: number[]): number {
  const n = Math.min(p.length, q.length);
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    sp += p[i] ?? 0;
    sq += q[i] ?? 0;
  }
  const mp = sp / n;
  const mq = sq / n;
  let cov = 0;
  let vp = 0;
  let vq = 0;
  for (let i = 0; i < n; i++) {
    const dp = (p[i] ?? 0) - mp;
    const dq = (q[i] ?? 0) - mq;
    cov += dp * dq;
    vp += dp * dp;
    vq += dq * dq;
  }
  return vp > 0 && vq > 0 ? cov / Math.sqrt(vp * vq) : 0;
}

/**
 * A 1-D reader reports only the scan lines it used, which may be a thin band across tall bars.
 * Walk away from that band on both sides while the bar pattern continues (each new line still
 * correlates with its neighbour), so the cover spans the whole height of the bars.
 */
function toLinearExtent(raw: RawImage, q: Point[]): { quad: Point[]; along: number } {
  const [tl, tr, br, bl] = q as [Point, Point, Point, Point];
  const a: Point = { x: (tl.x + bl.x) / 2, y: (tl.y + bl.y) / 2 };
  const b: Point = { x: (tr.x + br.x) / 2, y: (tr.y + br.y) / 2 };
  const length = Math.hypot(b.x - a.x, b.y - a.y);
  if (length < 4) return { quad: q, along: length };
  const ux = (b.x - a.x) / length;
  const uy = (b.y - a.y) / length;
  const nx = -uy;
  const ny = ux;
  const n = Math.min(512, Math.max(32, Math.round(length)));
  const step = Math.max(1, length / 120);
  const band = Math.abs((bl.x - tl.x) * nx + (bl.y - tl.y) * ny) / 2;
  const reach: number[] = [];
  for (const sign of [1, -1]) {
    let prev = sampleLine(raw, a, b, n);
    let off = 0;
    while (prev && off < length * 1.2) {
      const next = off + step;
      const o = { x: nx * next * sign, y: ny * next * sign };
      const line = sampleLine(raw, { x: a.x + o.x, y: a.y + o.y }, { x: b.x + o.x, y: b.y + o.y }, n);
      if (!line || correlation(prev, line) < 0.6) break;
      prev = line;
      off = next;
    }
    reach.push(Math.max(off, band));
  }
  const up = reach[0] ?? 0;
  const down = reach[1] ?? 0;
  const quad = [
    { x: a.x + nx * up, y: a.y + ny * up },
    { x: b.x + nx * up, y: b.y + ny * up },
    { x: b.x - nx * down, y: b.y - ny * down },
    { x: a.x - nx * down, y: a.y - ny * down },
  ];
  return { quad, along: length };
}

/** The padded axis-aligned box of a quad, in displayed pixels, clipped to the image. */
function toBox(quad: Point[], pad: number, scale: number, width: number, height: number): Region {
  const xs = quad.map((p) => p.x * scale);
  const ys = quad.map((p) => p.y * scale);
  const x0 = Math.max(0, Math.floor(Math.min(...xs) - pad));
  const y0 = Math.max(0, Math.floor(Math.min(...ys) - pad));
  const x1 = Math.min(width, Math.ceil(Math.max(...xs) + pad));
  const y1 = Math.min(height, Math.ceil(Math.max(...ys) + pad));
  return { x: x0, y: y0, width: Math.max(1, x1 - x0), height: Math.max(1, y1 - y0) };
}

function isOverlapping(a: Region, b: Region): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function union(a: Region, b: Region): Region {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return {
    x,
    y,
    width: Math.max(a.x + a.width, b.x + b.width) - x,
    height: Math.max(a.y + a.height, b.y + b.height) - y,
  };
}

/** GS1 mod-10 check digit (ITF-14, EAN/UPC family). */
function isGs1CheckValid(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  let sum = 0;
  for (let i = digits.length - 2, w = 3; i >= 0; i--, w = 4 - w) sum += (digits.charCodeAt(i) - 48) * w;
  return (10 - (sum % 10)) % 10 === digits.charCodeAt(digits.length - 1) - 48;
}

function toHit(r: CodeRead, raw: RawImage, displayed: { width: number; height: number }): Hit | undefined {
  if (!r.isValid || r.format === 'None') return undefined;
  const format = r.format;
  const p = r.position;
  let quad: Point[] = [p.topLeft, p.topRight, p.bottomRight, p.bottomLeft];
  const linear = isLinearFormat(format);
  let pad: number;
  if (linear) {
    if (format === 'ITF' && (r.text.length < 6 || !isGs1CheckValid(r.text))) return undefined;
    const ext = toLinearExtent(raw, quad);
    quad = ext.quad;
    // Quiet zone, the leading EAN digit and the human-readable line under the bars.
    pad = ext.along * 0.12 * raw.scale + 3;
  } else {
    const side = Math.max(
      Math.hypot(p.topRight.x - p.topLeft.x, p.topRight.y - p.topLeft.y),
      Math.hypot(p.bottomLeft.x - p.topLeft.x, p.bottomLeft.y - p.topLeft.y),
    );
    pad = side * 0.08 * raw.scale + 2;
  }
  return {
    format,
    text: r.text,
    binary: r.contentType === 'Binary',
    box: toBox(quad, pad, raw.scale, displayed.width, displayed.height),
    lineCount: r.lineCount,
  };
}

/**
 * zxing-wasm takes RGBA only (it converts to grey itself). Always a new array of its own: it is
 * transferred to the reader's thread (a view on the memoized copy would detach that copy).
 */
function toRgba(raw: RawImage): Uint8ClampedArray {
  const n = raw.width * raw.height;
  const out = new Uint8ClampedArray(n * 4);
  const src = raw.data;
  for (let i = 0, j = 0, k = 0; i < n; i++, j += raw.channels, k += 4) {
    const r = src[j] ?? 0;
    out[k] = r;
    out[k + 1] = raw.channels >= 3 ? (src[j + 1] ?? 0) : r;
    out[k + 2] = raw.channels >= 3 ? (src[j + 2] ?? 0) : r;
    out[k + 3] = 255;
  }
  return out;
}

/** One decoding pass per size, largest first; later duplicates widen the first box. */
function mergeHits(hits: Hit[]): Hit[] {
  const out: Hit[] = [];
  for (const h of hits) {
    const same = out.find((o) => o.format === h.format && o.text === h.text && isOverlapping(o.box, h.box));
    if (same) {
      same.box = union(same.box, h.box);
      continue;
    }
    // A partial read of a 1-D code overlapping a longer read of the same symbology is the same code.
    if (isLinearFormat(h.format)) {
      const longer = out.find((o) => o.format === h.format && isOverlapping(o.box, h.box));
      if (longer) {
        if (h.text.length > longer.text.length)
          Object.assign(longer, { ...h, box: union(longer.box, h.box) });
        else longer.box = union(longer.box, h.box);
        continue;
      }
    }
    out.push(h);
  }
  return out;
}

/** Longest sides for the passes on an image whose longest side is `longest`. */
export function toPassSides(longest: number, passSides: readonly number[] = DEFAULT_PASS_SIDES): number[] {
  const sides: number[] = [];
  for (const s of passSides) {
    const side = Math.min(s, longest);
    if (!sides.includes(side)) sides.push(side);
  }
  const smallest = Math.min(...sides);
  const half = Math.round(smallest / 2);
  if (smallest <= SMALL_IMAGE_SIDE && half >= MIN_PASS_SIDE && !sides.includes(half)) sides.push(half);
  return sides;
}

function toFinding(h: Hit, coverBarcodes: boolean): Finding {
  const linear = isLinearFormat(h.format);
  const payload = toCodePayload(h.text, { format: h.format, binary: h.binary });
  const product = linear && isProductFormat(h.format) && payload.kind === 'product';
  const finding: Finding = {
    kind: linear ? 'barcode' : 'qr_code',
    severity: payload.severity,
    certainty: 'confirmed',
    region: h.box,
    regions: [h.box],
    source: 'code',
    summary: `${toFormatLabel(h.format)}: ${payload.summary}`,
    details: { ...payload.details, format: h.format },
  };
  if (!product || coverBarcodes) finding.redact = 'fill';
  return finding;
}

/**
 * The codes check: starts the zxing reader (from its npm package) in a thread of its own
 * (reader-thread.ts; `inProcess` keeps it on this thread, for tests), then reads every QR code and
 * barcode.
 */
export async function createCodeAnalyzer(
  opts: CodeAnalyzerOptions & { inProcess?: boolean } = {},
): Promise<ClosableAnalyzer> {
  const reader: CodeReader = opts.inProcess ? await createInProcessReader() : await createReaderThread();
  const passSides = opts.passSides ?? DEFAULT_PASS_SIDES;
  let closed = false;
  return {
    name: 'codes',
    timeoutMs: opts.timeoutMs ?? 8_000,
    offThread: !opts.inProcess,
    async analyze(ctx: AnalyzerContext): Promise<Finding[]> {
      if (closed) throw new Error('code analyzer is closed');
      const { image } = ctx;
      const hits: Hit[] = [];
      for (const side of toPassSides(Math.max(image.width, image.height), passSides)) {
        ctx.signal.throwIfAborted();
        // RGB: the pipeline's prepared 2048 px copy is memoized and shared with other analyzers.
        const raw = await image.raw(side, 3);
        const results = await reader.read(
          { data: toRgba(raw), width: raw.width, height: raw.height },
          READER_OPTIONS,
        );
        for (const r of results) {
          const h = toHit(r, raw, image);
          if (h) hits.push(h);
        }
      }
      return mergeHits(hits).map((h) => toFinding(h, ctx.options.coverBarcodes));
    },
    close(): Promise<void> {
      closed = true;
      return reader.close();
    },
  };
}
