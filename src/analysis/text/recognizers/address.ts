// Postal addresses: a house number with a street word, and postcodes followed by a town.
import { isOverlapping, toLines } from './match.ts';
import type { TextMatch, TextRange } from './match.ts';

const FR_STREET =
  /(?<![\dA-Za-z])\d{1,4}(?:[ ]?(?:bis|ter|[A-D]))?,?[ ]+(?:rue|avenue|av\.|boulevard|bd|bld|all[ée]e|chemin|impasse|place|quai|route|cours|square|passage|faubourg|lotissement|r[ée]sidence|esplanade)\b[^\n]{2,60}?(?=[ ,]+\d{5}(?!\d)|$)/gim;
const EN_STREET =
  /(?<![\dA-Za-z])\d{1,5}[ ]+(?:[A-Z][\w'.-]*[ ]+){1,4}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Way|Court|Ct|Place|Pl|Terrace|Square|Highway|Hwy|Parkway|Pkwy)\b\.?/g;
const DE_STREET =
  /(?<![A-Za-z])[A-ZÄÖÜ][a-zäöüß]+(?:stra(?:ß|ss)e|str\.|weg|platz|allee|gasse|ring|damm)[ ]+\d{1,4}[a-z]?(?![\dA-Za-z])/g;

// "64480 USTARITZ", "75001 Paris"; "Providence, RI 02111" (OCR reads "RI" as "R1"); UK "SW1A 1AA".
const FR_POSTCODE =
  /(?<![\dA-Za-z])(?:0[1-9]|[1-8]\d|9[0-8])\d{3}[ ]+[A-ZÀ-Ý][A-Za-zÀ-ÿ'-]{2,}(?:[ -][A-ZÀ-Ýa-zà-ÿ'-]+){0,3}/g;
const US_POSTCODE = /[A-Z][A-Za-z.]+(?:[ ][A-Z][A-Za-z.]+){0,2},?[ ]+[A-Z][A-Z1][ ]+\d{5}(?:-\d{4})?(?!\d)/g;
const UK_POSTCODE = /(?<![\dA-Za-z])[A-Z]{1,2}\d[A-Z\d]?[ ]\d[A-Z]{2}(?![\dA-Za-z])/g;

function collect(text: string, patterns: readonly RegExp[]): TextRange[] {
  const out: TextRange[] = [];
  for (const re of patterns)
    for (const m of text.matchAll(new RegExp(re.source, re.flags))) {
      const r = { start: m.index, end: m.index + m[0].trimEnd().length };
      if (!out.some((o) => isOverlapping(o, r))) out.push(r);
    }
  return out.sort((a, b) => a.start - b.start);
}

function lineOf(lineStarts: { start: number }[], pos: number): number {
  let i = 0;
  while (i + 1 < lineStarts.length && (lineStarts[i + 1]?.start ?? Infinity) <= pos) i++;
  return i;
}

export function findAddresses(text: string): TextMatch[] {
  const lines = toLines(text);
  const streets = collect(text, [FR_STREET, EN_STREET, DE_STREET]);
  const postcodes = collect(text, [US_POSTCODE, FR_POSTCODE, UK_POSTCODE]).filter(
    (p) => !streets.some((s) => isOverlapping(s, p)),
  );
  const out: TextMatch[] = [];
  const usedPostcodes = new Set<TextRange>();
  for (const s of streets) {
    const line = lineOf(lines, s.start);
    // A postcode on the same line or within the next two lines belongs to this street.
    const pc = postcodes.find((p) => {
      const l = lineOf(lines, p.start);
      return !usedPostcodes.has(p) && l >= line && l <= line + 2;
    });
    const ranges = [s];
    if (pc) {
      usedPostcodes.add(pc);
      ranges.push(pc);
    }
    out.push({
      kind: 'address',
      certainty: 'likely',
      ranges,
      summary: pc ? 'postal address (street, number and postcode)' : 'postal address (street and number)',
      details: { street: true, postcode: pc !== undefined },
    });
  }
  for (const p of postcodes) {
    if (usedPostcodes.has(p)) continue;
    out.push({
      kind: 'address',
      certainty: 'possible',
      ranges: [p],
      summary: 'postcode and town',
      details: { street: false, postcode: true },
    });
  }
  return out;
}
