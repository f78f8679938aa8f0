// Which parts of the layout pass's reading get a second reading (toTextAreas), and which weak lines
// are re-read (isLabelled): pure over tesseract's block structure, built here from words with boxes.
import type { Block } from 'tesseract.js';
import { describe, expect, it } from 'vitest';
import { toBlockInput, toTextAreas } from '../../src/analysis/text/tesseract/text-areas.ts';
import { isLabelled } from '../../src/analysis/text/tesseract/line-reader.ts';
import type { OcrImage } from '../../src/analysis/text/tesseract/ocr-image.ts';
import { toOcrPage } from '../../src/analysis/text/page.ts';
import type { OcrLine } from '../../src/analysis/text/page.ts';

type W = [text: string, confidence: number];
interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * One tesseract block per call: each line is a list of words laid out left to right (24 px per
 * character, 12 px spaces unless `gaps` says otherwise), 40 px high, starting at `top` + 50 px per
 * line; `vertical` lays the words top to bottom instead (sideways text).
 */
function block(
  lines: W[][],
  opts: { left?: number; top?: number; gaps?: number[]; vertical?: boolean } = {},
): Block {
  const left = opts.left ?? 100;
  const top = opts.top ?? 100;
  const toLine = (words: W[], i: number) => {
    let at = 0;
    const ws = words.map(([text, confidence], j) => {
      const len = text.length * 24;
      const start = at;
      at += len + (opts.gaps?.[j] ?? 12);
      const bbox: Box = opts.vertical
        ? { x0: left + i * 50, y0: top + start, x1: left + i * 50 + 40, y1: top + start + len }
        : { x0: left + start, y0: top + i * 50, x1: left + start + len, y1: top + i * 50 + 40 };
      return { text, confidence, bbox };
    });
    return { words: ws, bbox: union(ws.map((w) => w.bbox)) };
  };
  const ls = lines.map(toLine);
  const bbox = union(ls.map((l) => l.bbox));
  return { paragraphs: [{ lines: ls, bbox }], bbox } as unknown as Block;
}

function union(bs: Box[]): Box {
  return {
    x0: Math.min(...bs.map((b) => b.x0)),
    y0: Math.min(...bs.map((b) => b.y0)),
    x1: Math.max(...bs.map((b) => b.x1)),
    y1: Math.max(...bs.map((b) => b.y1)),
  };
}

const CARD: W[][] = [
  [
    ['Claire', 96],
    ['MARTIN', 96],
  ],
  [
    ['IBAN', 91],
    ['FR76', 93],
    ['3000', 96],
    ['6000', 95],
  ],
];

describe('toTextAreas: what the layout pass read well is not read again', () => {
  it('a block of confident words is one sure area, padded and inside the image', () => {
    const areas = toTextAreas([block(CARD)], 2000, 1500);
    expect(areas).toHaveLength(1);
    expect(areas[0]).toMatchObject({ sure: true });
    expect(areas[0]!.x0).toBeLessThan(100);
    expect(areas[0]!.y0).toBeLessThan(100);
  });

  it('a weak word between read words needs a second reading', () => {
    const lines: W[][] = [
      [
        ['+1', 73],
        ['ae', 36],
        ['926-4107', 96],
      ],
      ...CARD,
    ];
    expect(toTextAreas([block(lines)], 2000, 1500)[0]).toMatchObject({ sure: false });
  });

  it('specks where a line runs off the card ("J", "9)") do not', () => {
    const lines: W[][] = [[['J', 26], ...CARD[0]!, ['™N', 42]], [...CARD[1]!, ['9)', 50]], [['A', 28]]];
    expect(toTextAreas([block(lines)], 2000, 1500)[0]).toMatchObject({ sure: true });
  });

  it('a hole inside a line (a dropped "@") needs a second reading', () => {
    const lines: W[][] = [
      [
        ['jane_do', 90],
        ['mail.example.net', 92],
      ],
    ];
    expect(toTextAreas([block(lines, { gaps: [80] })], 2000, 1500)[0]).toMatchObject({ sure: false });
    expect(toTextAreas([block(lines, { gaps: [12] })], 2000, 1500)[0]).toMatchObject({ sure: true });
  });

  it('a tilted line broken into pieces side by side needs a second reading', () => {
    const left = block(
      [
        [
          ['FR44', 89],
          ['9635', 96],
        ],
      ],
      { left: 100, top: 300 },
    );
    const right = block(
      [
        [
          ['3415', 96],
          ['8658', 96],
        ],
      ],
      { left: 350, top: 308 },
    );
    const areas = toTextAreas([left, right], 2000, 1500);
    expect(areas).toHaveLength(1);
    expect(areas[0]).toMatchObject({ sure: false });
  });

  it('sideways lines next to each other are stacked, not pieces', () => {
    const areas = toTextAreas([block(CARD, { vertical: true })], 1500, 2000);
    expect(areas[0]).toMatchObject({ sure: true });
  });

  it('a lone short word among specks is a hint of text, not a reading', () => {
    const areas = toTextAreas([block([[['oN', 83]]])], 2000, 1500);
    expect(areas).toHaveLength(1);
    expect(areas[0]).toMatchObject({ sure: false });
  });

  it('blocks of texture junk are no text area at all', () => {
    expect(
      toTextAreas(
        [
          block([
            [
              ['SEE', 35],
              ['|', 61],
              ['TA', 12],
            ],
          ]),
        ],
        2000,
        1500,
      ),
    ).toEqual([]);
  });
});

/** OCR lines (displayed pixels) from rows of [text, x, y, width], 20 px high. */
function toLines(rows: [string, number, number, number][]): OcrLine[] {
  return rows.map(([text, x, y, width]) => {
    const box = { x, y, width, height: 20 };
    return { words: text.split(' ').map((t) => ({ text: t, confidence: 40, box })), box };
  });
}

describe('isLabelled: weak lines are re-read only where a value is expected', () => {
  it('a garbled table row under its "IBAN" heading', () => {
    const lines = toLines([
      ['IBAN', 10, 217, 34],
      ['| ree | nsw | seo |', 8, 240, 776],
    ]);
    expect(isLabelled(lines[1]!, lines)).toBe(true);
  });
  it.each(['Tel 06 l2 3A', 'Tél : O6 l2', 'N° 12A 4S6', 'Card no. 4O12', 'IBAN: FR76 3OO0'])(
    'a weak line holding its own label: %j',
    (text) => {
      const lines = toLines([[text, 8, 100, 300]]);
      expect(isLabelled(lines[0]!, lines)).toBe(true);
    },
  );
  it.each(['Telford road', 'Cartel | EEE', 'nothing | SEE'])('no label inside another word: %j', (text) => {
    const lines = toLines([[text, 8, 100, 300]]);
    expect(isLabelled(lines[0]!, lines)).toBe(false);
  });
  it('texture next to a card, or a label far above or beside it, is not re-read', () => {
    const lines = toLines([
      ['IBAN', 10, 100, 34],
      ['EEE > | FY 1', 8, 400, 500],
      ['Carte', 900, 420, 60],
      ['2 | SEE TA CT)', 8, 600, 500],
    ]);
    expect(isLabelled(lines[1]!, lines)).toBe(false);
    expect(isLabelled(lines[3]!, lines)).toBe(false);
    expect(toOcrPage(lines).lines).toHaveLength(4);
  });
});

describe('toBlockInput: small text is read at twice the size, boxes map back', () => {
  /** A white 400×300 copy with a black 20×6 "word" at (250, 120). */
  function copyWithWord(): OcrImage {
    const w = 400;
    const h = 300;
    const data = Buffer.alloc(w * h, 255);
    for (let y = 120; y < 126; y++) data.fill(0, y * w + 250, y * w + 270);
    return {
      pgm: Buffer.concat([Buffer.from(`P5\n${w} ${h}\n255\n`, 'latin1'), data]),
      width: w,
      height: h,
      screen: false,
      toDisplayed: (b) => ({ x: b.x0, y: b.y0, width: b.x1 - b.x0, height: b.y1 - b.y0 }),
    };
  }
  /** The dark pixels' box in a PGM. */
  function darkBox(pgm: Buffer): { x0: number; y0: number; x1: number; y1: number } {
    const m = /^P5\n(\d+) (\d+)\n255\n/.exec(pgm.toString('latin1', 0, 40))!;
    const w = Number(m[1]);
    const h = Number(m[2]);
    const px = pgm.subarray(pgm.length - w * h);
    const b = { x0: Infinity, y0: Infinity, x1: -1, y1: -1 };
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        if (px[y * w + x]! < 128) {
          b.x0 = Math.min(b.x0, x);
          b.y0 = Math.min(b.y0, y);
          b.x1 = Math.max(b.x1, x + 1);
          b.y1 = Math.max(b.y1, y + 1);
        }
    return b;
  }
  const area = { x0: 200, y0: 100, x1: 320, y1: 150, sure: false };

  it('lines under 20 px: the areas alone, doubled; a box read there maps onto the word', async () => {
    const { input, toOcr, doubled } = await toBlockInput(copyWithWord(), [{ ...area, lineHeight: 8 }]);
    expect(doubled).toBe(true);
    const seen = darkBox(input);
    expect(seen.x1 - seen.x0).toBeGreaterThanOrEqual(38); // 20 px wide, doubled
    const back = toOcr(seen);
    // Within a pixel (the resampling kernel spreads an edge by half a pixel).
    const want = { x0: 250, y0: 120, x1: 270, y1: 126 };
    for (const k of ['x0', 'y0', 'x1', 'y1'] as const)
      expect(Math.abs(back[k] - want[k])).toBeLessThanOrEqual(1);
  });

  it('larger lines: the whole copy at its size, outside the areas blanked', async () => {
    const { input, toOcr, doubled } = await toBlockInput(copyWithWord(), [{ ...area, lineHeight: 30 }]);
    expect(doubled).toBe(false);
    expect(darkBox(input)).toEqual({ x0: 250, y0: 120, x1: 270, y1: 126 });
    expect(toOcr({ x0: 1, y0: 2, x1: 3, y1: 4 })).toEqual({ x0: 1, y0: 2, x1: 3, y1: 4 });
    const outside = await toBlockInput(copyWithWord(), [{ ...area, x0: 0, x1: 100, lineHeight: 30 }]);
    expect(darkBox(outside.input).x1).toBe(-1);
  });
});
