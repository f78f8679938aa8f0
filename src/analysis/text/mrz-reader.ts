// The machine-readable zone from the detected lines: MRZ-looking lines re-decoded over A–Z 0–9 "<"
// only, grouped into 2 × 44, 2 × 36 or 3 × 30 bands, and repaired where a check digit says a
// character was misread (the reader's runner-up at that place, or the usual confusions).
import { parse } from 'mrz';
import type { OcrLine } from './page.ts';
import { unionRegions } from '../image/regions.ts';
import { readMrz, toMrzLine } from './recognizers/mrz.ts';
import type { PaddleLine } from './paddle/read-lines.ts';
import type { DecodedChar } from './paddle/recognizer.ts';

/** A detected line that may be part of an MRZ: long, mostly the MRZ alphabet, with fillers. */
export function isMrzLine(l: PaddleLine): boolean {
  const mrz = toMrzText(l);
  const plain = l.line.words.map((w) => w.text).join('');
  const fillers = (mrz.match(/</g) ?? []).length;
  return mrz.length >= 26 && mrz.length <= 50 && (fillers >= 2 || /[<«]{2}|<[KC]</.test(plain));
}

const toMrzText = (l: PaddleLine): string =>
  l.segments.flatMap((s) => s.reading.mrz.map((c) => c.char)).join('');

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

/** Bands of consecutive MRZ lines (2 or 3, one above the other, similar length). */
function toBands(lines: readonly PaddleLine[]): PaddleLine[][] {
  const bands: PaddleLine[][] = [];
  let current: PaddleLine[] = [];
  for (const l of lines) {
    const prev = current[current.length - 1];
    const close =
      prev !== undefined &&
      l.line.box.y - (prev.line.box.y + prev.line.box.height) < 2.5 * prev.line.box.height &&
      Math.abs(toMrzText(l).length - toMrzText(prev).length) <= 8;
    if (prev && !close) {
      bands.push(current);
      current = [];
    }
    current.push(l);
  }
  if (current.length > 0) bands.push(current);
  return bands;
}

/**
 * The page's lines with every MRZ line replaced by its MRZ-alphabet reading, repaired band by band
 * where the check digits say so. Lines that are not MRZ come back unchanged.
 */
export function toMrzLines(detected: readonly PaddleLine[]): OcrLine[] {
  const lines = joinRowPieces(detected);
  const mrz = lines.filter(isMrzLine);
  const replaced = new Map<PaddleLine, OcrLine>();
  for (const band of toBands(mrz)) {
    const chars = band.map((l) => l.segments.flatMap((s) => s.reading.mrz));
    const fixed =
      band.length >= 2 && band.length <= 3
        ? repairMrz(chars)
        : chars.map((c) => c.map((x) => x.char).join(''));
    band.forEach((l, i) => replaced.set(l, toMrzOcrLine(l, toMrzLine(fixed[i] ?? ''))));
  }
  return lines.map((l) => replaced.get(l) ?? l.line);
}
