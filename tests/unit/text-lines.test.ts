// The PP-OCR line stages that need no model: rotated rectangles, word breaks from the reader's space
// probability, polarity of a crop, and the MRZ repair guided by check digits.
import { describe, expect, it } from 'vitest';
import { minAreaRect, toCorners } from '../../src/analysis/text/paddle/geometry.ts';
import { cropLine, isLightOnDark } from '../../src/analysis/text/paddle/line-crop.ts';
import { toWordBreaks } from '../../src/analysis/text/paddle/read-lines.ts';
import { isCardLayout, toDigitGroupRows } from '../../src/analysis/text/paddle/digit-rows.ts';
import type { DecodedChar } from '../../src/analysis/text/paddle/recognizer.ts';
import { repairMrz } from '../../src/analysis/text/mrz-reader.ts';
import { readMrz } from '../../src/analysis/text/recognizers/mrz.ts';
import { isUnreadBox, toMapSide } from '../../src/analysis/text/analyzer.ts';
import type { OcrLine } from '../../src/analysis/text/page.ts';

const toChars = (s: string, alts: Record<number, string> = {}, unsure: number[] = []): DecodedChar[] =>
  [...s].map((char, i) => ({
    char,
    p: alts[i] || unsure.includes(i) ? 0.5 : 0.99,
    step: i * 3,
    space: 0,
    ...(alts[i] ? { alt: { char: alts[i], p: 0.4 } } : {}),
  }));

describe('minAreaRect', () => {
  it.each([0, 15, -15, 40, 89])('recovers a %d° line (angle, length, height)', (deg) => {
    const a = (deg * Math.PI) / 180;
    const points = [];
    // A filled 200 × 20 bar turned by `deg` around (300, 200).
    for (let u = -100; u <= 100; u += 2)
      for (let v = -10; v <= 10; v += 2)
        points.push({
          x: 300 + u * Math.cos(a) - v * Math.sin(a),
          y: 200 + u * Math.sin(a) + v * Math.cos(a),
        });
    const r = minAreaRect(points);
    expect(r.width).toBeCloseTo(200, 0);
    expect(r.height).toBeCloseTo(20, 0);
    expect((r.angle * 180) / Math.PI).toBeCloseTo(deg, 0);
    expect(r.cx).toBeCloseTo(300, 0);
    expect(toCorners(r)).toHaveLength(4);
  });
});

describe('straightened crops', () => {
  it('a bar drawn at −15° is cut out upright, and light-on-dark is told from dark-on-light', () => {
    // A grey 400 × 300 copy: dark ground, a light 160 × 16 bar at −15° around (200, 150).
    const width = 400;
    const height = 300;
    const data = Buffer.alloc(width * height, 30);
    const a = (-15 * Math.PI) / 180;
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const u = (x - 200) * Math.cos(a) + (y - 150) * Math.sin(a);
        const v = -(x - 200) * Math.sin(a) + (y - 150) * Math.cos(a);
        if (Math.abs(u) < 80 && Math.abs(v) < 8) data[y * width + x] = 220;
      }
    const raw = { data, width, height, channels: 1 as const, scale: 1 };
    const crop = cropLine(raw, { cx: 200, cy: 150, width: 180, height: 32, angle: a }, 48, 1000);
    expect(crop.width).toBe(270);
    // The bar fills the middle rows of the crop from end to end, the ground its top and bottom.
    const row = (y: number): number[] => Array.from(crop.gray.subarray(y * crop.width, (y + 1) * crop.width));
    const mean = (xs: number[]): number => xs.reduce((p, q) => p + q, 0) / xs.length;
    expect(mean(row(24).slice(30, 240))).toBeGreaterThan(200);
    expect(mean(row(2))).toBeLessThan(60);
    expect(isLightOnDark(crop)).toBe(true);
    expect(isLightOnDark({ ...crop, gray: crop.gray.map((g) => 255 - g) })).toBe(false);
  });
});

describe('rows of digit groups (a card number line, before reading)', () => {
  const box = (cx: number, cy: number, width: number, height = 40) => ({
    rect: { cx, cy, width, height, angle: 0 },
    score: 0.99,
  });
  // Four 4-digit groups side by side, a name line and a logo.
  const card = [box(100, 300, 130), box(250, 300, 130), box(400, 300, 130), box(550, 300, 130)];
  const others = [box(200, 400, 400, 30), box(600, 80, 200, 60)];

  it('keeps the groups of a row of three or more, not the long lines or a pair', () => {
    expect(toDigitGroupRows({ lines: [...card, ...others], textShare: 0.1 }).lines).toHaveLength(4);
    expect(toDigitGroupRows({ lines: [...card.slice(0, 2), ...others], textShare: 0.1 }).lines).toEqual([]);
    // Groups far apart are not one row.
    const apart = [box(100, 300, 130), box(400, 300, 130), box(700, 300, 130)];
    expect(toDigitGroupRows({ lines: apart, textShare: 0.1 }).lines).toEqual([]);
  });

  it('a card layout has a few boxes; a page with a grouped row among many is not one', () => {
    expect(isCardLayout({ lines: [...card, ...others], textShare: 0.1 })).toBe(true);
    const page = Array.from({ length: 20 }, (_, i) => box(300, 500 + i * 50, 500, 30));
    expect(isCardLayout({ lines: [...card, ...page], textShare: 0.3 })).toBe(false);
  });
});

describe('word breaks', () => {
  it('a space the reader weighed but did not emit splits the words', () => {
    const chars = toChars('IBANFR76');
    chars[4] = { ...chars[4]!, space: 0.2 };
    expect(
      toWordBreaks(chars)
        .map((b, i) => (b ? i : -1))
        .filter((i) => i >= 0),
    ).toEqual([4]);
    expect(toWordBreaks(toChars('claire.martin@example.org')).some(Boolean)).toBe(false);
  });
});

describe('MRZ repair guided by check digits', () => {
  // The Croatian specimen's printed MRZ (fixtures manifest), every check digit valid.
  const L1 = 'P<HRVSPECIMEN<<SPECIMEN<<<<<<<<<<<<<<<<<<<<<';
  const L2 = '0070070071HRV8212258F1407019<<<<<<<<<<<<<<06';

  it('a digit misread as another digit is put back from the reader’s runner-up', () => {
    // Birth date 821225 read as 821228: its check digit (8) no longer verifies.
    const bad = `${L2.slice(0, 18)}8${L2.slice(19)}`;
    expect(readMrz(`${L1}\n${bad}`).some((r) => r.valid)).toBe(false);
    const fixed = repairMrz([toChars(L1), toChars(bad, { 18: '5' })]);
    expect(fixed).toEqual([L1, L2]);
  });

  it('without a runner-up, the usual confusions are tried where the reader was unsure (a "7" for a "1")', () => {
    // Expiry 140701 read as 740701.
    const bad = `${L2.slice(0, 21)}7${L2.slice(22)}`;
    expect(bad).not.toBe(L2);
    expect(repairMrz([toChars(L1), toChars(bad)])).toEqual([L1, bad]);
    expect(repairMrz([toChars(L1), toChars(bad, {}, [21])])).toEqual([L1, L2]);
  });

  it('a reading that cannot be made to verify comes back unchanged', () => {
    const bad = `${L2.slice(0, 13)}999999${L2.slice(19)}`;
    expect(repairMrz([toChars(L1), toChars(bad)])).toEqual([L1, bad]);
  });
});

describe("boxes tesseract's layout pass dropped", () => {
  const rect = { cx: 100, cy: 50, width: 200, height: 20, angle: 0 };
  // Displayed pixels are twice the box's pixels (scale 2).
  const line = (x: number, y: number): OcrLine => ({
    words: [{ text: 'word', confidence: 90, box: { x: x - 10, y: y - 5, width: 20, height: 10 } }],
    box: { x: x - 10, y: y - 5, width: 20, height: 10 },
  });
  it('a box holding a word tesseract read is not unread', () => {
    expect(isUnreadBox(rect, 2, [line(200, 100)])).toBe(false);
  });
  it('a box with no word of either reading in it is unread', () => {
    expect(isUnreadBox(rect, 2, [line(600, 100), line(200, 300)])).toBe(true);
    expect(isUnreadBox(rect, 2, [])).toBe(true);
  });
  it('a tilted box is judged in its own frame', () => {
    const tilted = { ...rect, angle: Math.PI / 4 };
    // 60 box pixels along its axis from the centre: inside; the same distance straight right: outside.
    const along = { x: 2 * (100 + 60 * Math.SQRT1_2), y: 2 * (50 + 60 * Math.SQRT1_2) };
    expect(isUnreadBox(tilted, 2, [line(along.x, along.y)])).toBe(false);
    expect(isUnreadBox(tilted, 2, [line(2 * 160, 100)])).toBe(true);
  });
  it('long boxes (MRZ rows) are left to the MRZ path', () => {
    expect(isUnreadBox({ ...rect, width: 300 }, 2, [])).toBe(false);
  });
});

describe("the detector map's side", () => {
  it('is 960 for a whole picture, whatever its size', () => {
    expect(toMapSide({ width: 4000, height: 3000 })).toBe(960);
    expect(toMapSide({ width: 600, height: 400 })).toBe(960);
  });
  it("on a crop, the crop's share of the whole picture's map, from 320 to 960", () => {
    expect(toMapSide({ width: 1000, height: 600 }, { width: 4000, height: 3000 })).toBe(320);
    expect(toMapSide({ width: 2000, height: 900 }, { width: 4000, height: 3000 })).toBe(480);
    expect(toMapSide({ width: 3800, height: 2900 }, { width: 4000, height: 3000 })).toBe(912);
    expect(toMapSide({ width: 300, height: 200 }, { width: 400, height: 300 })).toBe(720);
  });
});
