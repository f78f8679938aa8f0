// The codes analyzer on real bytes: the committed photos, codes rendered in memory into a photo at
// angles and sizes, decoys that look like codes, and the sanitized copy re-scanned by the pipeline.
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCodeAnalyzer, toPassSides } from '../../src/analysis/codes/analyzer.ts';
import { prepareImage } from '../../src/analysis/image/decode.ts';
import { createEngines } from '../../src/analysis/pipeline/engines.ts';
import { scanImage } from '../../src/analysis/pipeline/scan.ts';
import { DEFAULT_SCAN_OPTIONS } from '../../src/types.ts';
import type { ClosableAnalyzer, Engines, Finding, Region, ScanOptions } from '../../src/types.ts';
import { renderCode, renderDecoys, renderPhoto } from '../../fixtures-kit/make-code-fixtures.ts';

const fixture = (name: string): Buffer =>
  readFileSync(new URL(`../fixtures/images/${name}`, import.meta.url));

let analyzer: ClosableAnalyzer;
let engines: Engines;

beforeAll(async () => {
  analyzer = await createCodeAnalyzer();
  engines = await createEngines({ checks: ['codes'] });
});
afterAll(async () => {
  await analyzer.close();
  await engines.close();
});

async function analyze(bytes: Buffer, options: Partial<ScanOptions> = {}): Promise<Finding[]> {
  const image = await prepareImage(bytes);
  return analyzer.analyze({
    image,
    options: { ...DEFAULT_SCAN_OPTIONS, ...options },
    signal: new AbortController().signal,
  });
}

const isCode = (f: Finding): boolean => f.kind === 'qr_code' || f.kind === 'barcode';

function contains(outer: Region, inner: Region, slack = 4): boolean {
  return (
    outer.x <= inner.x + slack &&
    outer.y <= inner.y + slack &&
    outer.x + outer.width >= inner.x + inner.width - slack &&
    outer.y + outer.height >= inner.y + inner.height - slack
  );
}

function overlaps(a: Region, b: Region): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function byPayload(findings: Finding[], payload: string): Finding {
  const f = findings.find((x) => x.details?.payload === payload);
  if (!f) throw new Error(`no ${payload} finding in ${JSON.stringify(findings.map((x) => x.details))}`);
  return f;
}

describe('codes analyzer on the committed photos', () => {
  it('reads the URL QR on the street sign (plain link: medium, covered)', async () => {
    const found = await analyze(fixture('qr_url_street-sign.png'));
    expect(found).toHaveLength(1);
    const f = found[0] as Finding;
    expect(f).toMatchObject({
      kind: 'qr_code',
      severity: 'medium',
      certainty: 'confirmed',
      source: 'code',
      redact: 'fill',
      details: { payload: 'url', format: 'QRCode', host: 'historypoints.org' },
    });
    expect(f.summary).toBe('QR code: web link to historypoints.org');
    expect(f.regions).toEqual([f.region]);
  });

  it('reads the MECARD contact QR without revealing it', async () => {
    const found = await analyze(fixture('qr_mecard_photo.png'));
    expect(found).toHaveLength(1);
    const f = found[0] as Finding;
    expect(f).toMatchObject({
      kind: 'qr_code',
      severity: 'high',
      redact: 'fill',
      details: { payload: 'contact' },
    });
    expect(f.summary).toBe('QR code: contact card: name, phone, e-mail');
    expect(JSON.stringify(f)).not.toMatch(/Owen|srowen|2125658770/);
  });

  it('reads the blurry EAN-13 ISBN: low, covered only when asked', async () => {
    const [plain] = await analyze(fixture('barcode_ean13_book-isbn.png'));
    expect(plain).toMatchObject({
      kind: 'barcode',
      severity: 'low',
      details: { payload: 'product', format: 'EAN13', isbn: true },
    });
    expect(plain?.redact).toBeUndefined();
    const [covered] = await analyze(fixture('barcode_ean13_book-isbn.png'), { coverBarcodes: true });
    expect(covered?.redact).toBe('fill');
    // The bars span roughly x 95..415, y 100..290 of the 480×360 photo: the box must cover them.
    expect(contains(covered?.region as Region, { x: 100, y: 110, width: 310, height: 170 })).toBe(true);
  });

  it.each(['negative_coffee-cup.png', 'faces_group_three-adults.jpg', 'id_card_lithuania_specimen_td1.png'])(
    'reports no code on %s',
    async (name) => {
      expect(await analyze(fixture(name))).toEqual([]);
    },
  );
});

const WIFI = 'WIFI:T:WPA;S:HomeNet-42;P:correct-horse-battery;;';
const EPC =
  'BCD\n002\n1\nSCT\nBFSWDE33BER\nWikimedia Foerdergesellschaft\nDE33100205000001194700\nEUR123.45\n\n\nSpende fuer Wikipedia';
const GEO = 'geo:48.858370,2.294481';
const URL_TOKEN = 'https://app.example.com/reset?token=Zx81kQ02mLpa77&utm_source=print';
const BCBP = 'M1DESMARAIS/LUC       EABC123 YULFRAAC 0834 326J001A0025 100';
const AAMVA =
  '@\n\x1e\rANSI 636014040002DL00410288ZC03290034DLDAQY1234567\nDCSDOE\nDACJOHN\nDBB01021980\nDAG1 MAIN ST\n';
const VCARD =
  'BEGIN:VCARD\nVERSION:3.0\nFN:Jane Roe\nTEL:+441632960123\nEMAIL:jane.roe@example.net\nEND:VCARD';

describe('codes rendered into photos', () => {
  it('finds three QR codes at angles and sizes, each classified and boxed', async () => {
    const { bytes, boxes } = await renderPhoto([
      { png: await renderCode(WIFI, 'QRCode'), place: { size: 260, angle: 17, at: { x: 0.05, y: 0.08 } } },
      { png: await renderCode(EPC, 'QRCode'), place: { size: 330, shear: 0.25, at: { x: 0.55, y: 0.1 } } },
      {
        png: await renderCode(GEO, 'QRCode'),
        place: { size: 140, angle: -8, at: { x: 0.35, y: 0.62 }, blur: 0.7 },
      },
    ]);
    const found = await analyze(bytes);
    expect(found.map((f) => f.details?.payload).sort()).toEqual(['geo', 'payment', 'wifi']);
    const wifi = byPayload(found, 'wifi');
    expect(wifi).toMatchObject({ kind: 'qr_code', severity: 'high', redact: 'fill' });
    expect(wifi.summary).toBe('QR code: Wi-Fi password for network H***');
    expect(byPayload(found, 'payment').severity).toBe('high');
    expect(byPayload(found, 'payment').summary).toMatch(/IBAN DE\*\*\*\*4700/);
    expect(byPayload(found, 'payment').details?.['masked']).toBe('DE****4700');
    expect(byPayload(found, 'geo').summary).not.toMatch(/48|2\.29/);
    // Each box lies on the code it names.
    const order = ['wifi', 'payment', 'geo'];
    order.forEach((p, i) =>
      expect(overlaps(byPayload(found, p).region as Region, boxes[i] as Region)).toBe(true),
    );
    expect(JSON.stringify(found)).not.toMatch(/HomeNet|correct-horse|Wikimedia|100205/);
  });

  it('finds 2-D boarding pass, licence and contact codes (PDF417, Aztec, Data Matrix)', async () => {
    const { bytes } = await renderPhoto([
      { png: await renderCode(AAMVA, 'PDF417', 3), place: { size: 520, angle: 4, at: { x: 0.04, y: 0.05 } } },
      { png: await renderCode(BCBP, 'Aztec'), place: { size: 260, angle: 25, at: { x: 0.62, y: 0.08 } } },
      { png: await renderCode(VCARD, 'DataMatrix'), place: { size: 240, at: { x: 0.1, y: 0.6 } } },
      { png: await renderCode(BCBP, 'PDF417', 3), place: { size: 560, at: { x: 0.45, y: 0.62 } } },
    ]);
    const found = await analyze(bytes);
    const kinds = found.map((f) => `${f.details?.format}:${f.details?.payload}`).sort();
    expect(kinds).toEqual([
      'Aztec:boarding_pass',
      'DataMatrix:contact',
      'PDF417:boarding_pass',
      'PDF417:driver_licence',
    ]);
    for (const f of found) expect(f).toMatchObject({ kind: 'qr_code', severity: 'high', redact: 'fill' });
    expect(JSON.stringify(found)).not.toMatch(/DESMARAIS|ABC123|Y1234567|Jane|Roe/);
  });

  it('classifies 1-D codes: an identifier is covered, a product code only on request', async () => {
    const { bytes, boxes } = await renderPhoto([
      {
        png: await renderCode('TRK12345678', 'Code128', 3),
        place: { size: 420, angle: 8, at: { x: 0.08, y: 0.1 } },
      },
      {
        png: await renderCode('4006381333931', 'EAN13', 4),
        place: { size: 300, angle: -12, at: { x: 0.6, y: 0.5 } },
      },
      { png: await renderCode(URL_TOKEN, 'QRCode'), place: { size: 220, at: { x: 0.15, y: 0.6 } } },
    ]);
    const found = await analyze(bytes);
    expect(found.map((f) => f.details?.payload).sort()).toEqual(['identifier', 'product', 'url']);
    const id = byPayload(found, 'identifier');
    expect(id).toMatchObject({ kind: 'barcode', severity: 'medium', redact: 'fill' });
    const product = byPayload(found, 'product');
    expect(product).toMatchObject({ kind: 'barcode', severity: 'low' });
    expect(product.redact).toBeUndefined();
    const url = byPayload(found, 'url');
    expect(url).toMatchObject({
      kind: 'qr_code',
      severity: 'high',
      details: { token: true, tracking: true },
    });
    expect(url.summary).not.toContain('Zx81kQ02mLpa77');
    // The cover of a 1-D code spans the bars, not only the scan line the reader used: the code's
    // centre half (the bars, without the white card) must be inside the box.
    for (const [f, b] of [
      [id, boxes[0]],
      [product, boxes[1]],
    ] as const) {
      const core = {
        x: b!.x + b!.width / 4,
        y: b!.y + b!.height / 4,
        width: b!.width / 2,
        height: b!.height / 2,
      };
      expect(contains(f.region as Region, core)).toBe(true);
    }
  });

  it('reports no code on decoys: stripes, uneven bars, a checkerboard, tiles, random blocks', async () => {
    expect(await analyze(await renderDecoys())).toEqual([]);
  });

  it('reports nothing (and does not fail) on a tiny image', async () => {
    const tiny = await sharp({ create: { width: 3, height: 2, channels: 3, background: '#808080' } })
      .png()
      .toBuffer();
    expect(await analyze(tiny)).toEqual([]);
  });
});

describe('covering codes through the pipeline', () => {
  it('leaves no readable code in the sanitized copy', async () => {
    const { bytes } = await renderPhoto(
      [
        { png: await renderCode(WIFI, 'QRCode'), place: { size: 300, angle: 12, at: { x: 0.05, y: 0.05 } } },
        { png: await renderCode(BCBP, 'PDF417', 3), place: { size: 520, at: { x: 0.5, y: 0.08 } } },
        {
          png: await renderCode(VCARD, 'DataMatrix'),
          place: { size: 220, angle: 30, at: { x: 0.1, y: 0.6 } },
        },
        {
          png: await renderCode('TRK12345678', 'Code128', 3),
          place: { size: 420, angle: -6, at: { x: 0.5, y: 0.6 } },
        },
      ],
      1600,
      1200,
    );
    const { report, sanitized } = await scanImage(bytes, engines);
    expect(report.checks.find((c) => c.name === 'codes')?.status).toBe('ok');
    expect(report.findings.filter(isCode)).toHaveLength(4);
    expect(report.findings.filter(isCode).every((f) => f.removed === true)).toBe(true);
    expect(sanitized).toBeDefined();
    expect(report.residual?.findings.filter(isCode)).toEqual([]);
    // And independently of the pipeline's own re-scan:
    expect(await analyze(sanitized as Buffer)).toEqual([]);
  });

  it('keeps a product barcode by default and covers it with coverBarcodes', async () => {
    const bytes = fixture('barcode_ean13_book-isbn.png');
    const kept = await scanImage(bytes, engines);
    expect(kept.report.findings.filter(isCode)).toHaveLength(1);
    expect(kept.report.residual?.findings.filter(isCode)).toHaveLength(1);
    const covered = await scanImage(bytes, engines, { coverBarcodes: true });
    expect(covered.report.findings.filter(isCode)[0]?.removed).toBe(true);
    expect(covered.report.residual?.findings.filter(isCode)).toEqual([]);
  });

  it('covers the QR codes of the committed photos', async () => {
    for (const name of ['qr_url_street-sign.png', 'qr_mecard_photo.png']) {
      const { report } = await scanImage(fixture(name), engines);
      expect(report.findings.filter(isCode), name).toHaveLength(1);
      expect(report.residual?.findings.filter(isCode), name).toEqual([]);
    }
  });
});

describe('pass sizes', () => {
  it('caps passes at the image size and adds a half-size pass on small images', () => {
    expect(toPassSides(4000)).toEqual([2048]);
    expect(toPassSides(4000, [3000, 1000])).toEqual([3000, 1000, 500]);
    expect(toPassSides(480)).toEqual([480, 240]);
    expect(toPassSides(300)).toEqual([300]);
  });
});
