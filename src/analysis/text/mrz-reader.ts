// The machine-readable zone from the detected lines: MRZ-looking lines and their band (mrz-band.ts)
// re-decoded over A–Z 0–9 "<" only, and repaired where a check digit says a character was misread
// (the reader's runner-up at that place, or the usual confusions).
import { parse } from 'mrz';
import type { OcrLine } from './page.ts';
import { intersectionArea, unionRegions } from '../image/regions.ts';
import { readMrz, toMrzLine } from './recognizers/mrz.ts';
import type { PaddleLine } from './paddle/read-lines.ts';
import type { DecodedChar } from './paddle/recognizer.ts';
import { findMrzBands, toLineRect, toMrzText } from './mrz-band.ts';
import type { RotatedRect } from './paddle/geometry.ts';
import type { ReadRect } from './mrz-band.ts';

/** A detected line that may be part of an MRZ: long, mostly the MRZ alphabet, with fillers. */
export function isMrzLine(l: PaddleLine): boolean {
  const mrz = toMrzText(l);
  const plain = l.line.words.map((w) => w.text).join('');
  const fillers = (mrz.match(/</g) ?? []).length;
  return mrz.length >= 26 && mrz.length <= 50 && (fillers >= 2 || /[<«]{2}|<[KC]</.test(plain));
}

/** The line as read over the MRZ alphabet: one word, boxed like the line. */
function toMrzOcrLine(l: PaddleLine, text: string): OcrLine {
  return { ...l.line, words: [{ text, confidence: meanP(l), box: l.line.box }] };
}

const meanP = (l: PaddleLine): number => {
  const cs = l.segments.flatMap((s) => s.reading.mrz);
  return (100 * cs.reduce((a, c) => a + c.p, 0)) / Math.max(1, cs.length);
};

/** OCR confusions inside the MRZ alphabet, tried where a check digit fails and no runner-up helps. */
const CONFUSIONS: Record<string, string> = {
  O: '0Q',
  '0': 'OD',
  D: '0O',
  Q: 'O0',
  I: '1L',
  '1': 'I7',
  L: '1I',
  S: '5',
  '5': 'S',
  B: '8',
  '8': 'B',
  Z: '2',
  '2': 'Z',
  G: '6',
  '6': 'G',
  T: '7',
  '7': 'T1',
  K: '<',
  C: '<',
  '<': 'KC',
  A: '4',
  '4': 'A',
};

/**
 * Candidate characters per position: the read one, the reader's runner-up, and, where the reader
 * was unsure (p < 0.9) and the place is not a check digit, the usual confusions. (Free
 * substitutions anywhere make almost any reading verify: a check digit is one chance in ten.)
 */
function toOptions(chars: readonly DecodedChar[], isCheck: (ci: number) => boolean): string[][] {
  return chars.map((c, ci) => {
    const out = [c.char];
    if (c.alt && c.alt.p > 0.02 && !out.includes(c.alt.char)) out.push(c.alt.char);
    if (c.p < 0.9 && !isCheck(ci))
      for (const x of CONFUSIONS[c.char] ?? '') if (!out.includes(x)) out.push(x);
    return out;
  });
}

/** Whether the lines parse as an MRZ whose check digits all verify. */
function verifies(lines: readonly string[]): boolean {
  return readMrz(lines.join('\n')).some((r) => r.valid);
}

/**
 * Characters under a failing check digit (the digit and the field it checks): 0 for a field's own
 * check, 1 for the composite check (it covers most of the line). Empty when the lines do not parse.
 */
function toSuspects(texts: readonly string[]): { rank: Map<string, number>; checks: Set<string> } {
  const out = new Map<string, number>();
  const checks = new Set<string>();
  let result: ReturnType<typeof parse> | undefined;
  try {
    result = parse([...texts], { autocorrect: true });
  } catch {
    return { rank: out, checks };
  }
  for (const d of result.details) {
    if (!d.field?.endsWith('CheckDigit')) continue;
    for (let ci = d.start; ci < d.end; ci++) checks.add(`${d.line}:${ci}`);
    if (d.valid) continue;
    const rank = d.field === 'compositeCheckDigit' ? 1 : 0;
    for (const r of d.ranges ?? [])
      for (let ci = r.start; ci < r.end; ci++) {
        const key = `${r.line}:${ci}`;
        out.set(key, Math.min(rank, out.get(key) ?? 2));
      }
  }
  return { rank: out, checks };
}

/**
 * Single and double substitutions at the least sure positions (lowest probability first) until the
 * check digits verify; the lines unchanged when nothing does within the budget.
 */
export function repairMrz(lines: readonly DecodedChar[][], budget = 4000): string[] {
  const texts = lines.map((l) => l.map((c) => c.char).join(''));
  if (verifies(texts)) return texts;
  const suspects = toSuspects(texts);
  const rank = (li: number, ci: number): number => suspects.rank.get(`${li}:${ci}`) ?? 2;
  const positions = lines
    .flatMap((l, li) =>
      toOptions(l, (ci) => suspects.checks.has(`${li}:${ci}`)).map((opts, ci) => ({
        li,
        ci,
        opts,
        p: l[ci]!.p,
      })),
    )
    .filter((x) => x.opts.length > 1)
    .sort((a, b) => rank(a.li, a.ci) - rank(b.li, b.ci) || a.p - b.p)
    .slice(0, 24);
  const apply = (subs: { li: number; ci: number; ch: string }[]): string[] =>
    texts.map((t, li) => {
      let s = t;
      for (const sub of subs) if (sub.li === li) s = s.slice(0, sub.ci) + sub.ch + s.slice(sub.ci + 1);
      return s;
    });
  let tries = 0;
  for (const a of positions)
    for (const ch of a.opts.slice(1)) {
      if (++tries > budget) return texts;
      const one = apply([{ li: a.li, ci: a.ci, ch }]);
      if (verifies(one)) return one;
    }
  for (let i = 0; i < positions.length; i++)
    for (let j = i + 1; j < positions.length; j++)
      for (const x of positions[i]!.opts.slice(1))
        for (const y of positions[j]!.opts.slice(1)) {
          if (++tries > budget) return texts;
          const two = apply([
            { li: positions[i]!.li, ci: positions[i]!.ci, ch: x },
            { li: positions[j]!.li, ci: positions[j]!.ci, ch: y },
          ]);
          if (verifies(two)) return two;
        }
  return texts;
}

/**
 * Pieces of one MRZ row the detector boxed apart (a long "<<<<" run often gets its own box, and
 * faint fillers between them none): on one row (overlapping vertically by half a line, at most
 * eight line heights apart), the right one mostly fillers, together MRZ-like.
 */
function joinRowPieces(lines: readonly PaddleLine[]): PaddleLine[] {
  const out = [...lines];
  for (let merged = true; merged;) {
    merged = false;
    for (let i = 0; i < out.length && !merged; i++)
      for (let j = 0; j < out.length && !merged; j++) {
        const a = out[i]!;
        const b = out[j]!;
        if (i === j || b.line.box.x < a.line.box.x) continue;
        const top = Math.max(a.line.box.y, b.line.box.y);
        const bottom = Math.min(a.line.box.y + a.line.box.height, b.line.box.y + b.line.box.height);
        const h = Math.min(a.line.box.height, b.line.box.height);
        const gap = b.line.box.x - (a.line.box.x + a.line.box.width);
        if (bottom - top < 0.5 * h || gap > 8 * Math.max(a.line.box.height, b.line.box.height)) continue;
        const joined: PaddleLine = {
          line: {
            ...a.line,
            words: [...a.line.words, ...b.line.words],
            box: unionRegions([a.line.box, b.line.box]),
          },
          segments: [...a.segments, ...b.segments],
        };
        if (!isMrzLine(joined) || !/<{4,}/.test(toMrzText(b))) continue;
        out.splice(Math.max(i, j), 1);
        out.splice(Math.min(i, j), 1, joined);
        merged = true;
      }
  }
  return out;
}

/** The band's rows over the MRZ alphabet, repaired where the check digits say so (2 or 3 rows). */
function toBandLines(band: readonly PaddleLine[]): OcrLine[] {
  const chars = band.map((l) => l.segments.flatMap((s) => s.reading.mrz));
  const fixed =
    band.length >= 2 && band.length <= 3 ? repairMrz(chars) : chars.map((c) => c.map((x) => x.char).join(''));
  return band.map((l, i) => toMrzOcrLine(l, toMrzLine(fixed[i] ?? '')));
}

const centreY = (l: OcrLine): number => l.box.y + l.box.height / 2;

const area = (r: OcrLine['box']): number => r.width * r.height;

/**
 * `lines` top to bottom with each band's rows kept together at the band's first row (a line
 * beside the band must not fall between its rows: the MRZ is parsed from consecutive lines); a
 * line mostly inside a band row (another reading of it, a piece of it) is left out.
 */
export function withBands(lines: readonly OcrLine[], bands: readonly OcrLine[][]): OcrLine[] {
  const rows = bands.flat();
  const out = lines
    .filter((l) => !rows.some((r) => intersectionArea(l.box, r.box) > 0.6 * area(l.box)))
    .sort((a, b) => centreY(a) - centreY(b));
  for (const band of [...bands].sort((a, b) => centreY(b[0]!) - centreY(a[0]!))) {
    const at = out.findIndex((l) => centreY(l) > centreY(band[0]!));
    out.splice(at < 0 ? out.length : at, 0, ...band);
  }
  return out;
}

/** The rectangles (in the copy read) of the MRZ-looking lines, pieces of one row joined. */
export function toMrzAnchors(lines: readonly PaddleLine[]): RotatedRect[] {
  return joinRowPieces(lines).filter(isMrzLine).map(toLineRect);
}

/**
 * The MRZ bands of the page's lines (see mrz-band.ts; rows re-read through `read` where a band does
 * not verify as read), each row over the MRZ alphabet and repaired band by band where the check
 * digits say so; `others` are the page's remaining lines, unchanged; `complete` when every band
 * verified as read.
 */
export async function readMrzBands(
  detected: readonly PaddleLine[],
  read: ReadRect | undefined,
  bounds: { width: number; height: number },
): Promise<{ bands: OcrLine[][]; others: OcrLine[]; complete: boolean }> {
  const joined = joinRowPieces(detected);
  const isComplete = (rows: readonly PaddleLine[]): boolean =>
    rows.length >= 2 && verifies(rows.map(toMrzText));
  const { lines, bands, complete } = await findMrzBands(joined, isMrzLine, read, bounds, isComplete);
  const inBand = new Set(bands.flat());
  return {
    bands: bands.map(toBandLines),
    others: lines.filter((l) => !inBand.has(l)).map((l) => l.line),
    complete,
  };
}
