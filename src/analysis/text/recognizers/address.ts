// Postal addresses: a house number with a street word, and postcodes followed by a town.
import { isOverlapping, toLines } from './match.ts';
import type { TextMatch, TextRange } from './match.ts';

/** The space-separated `words` in the case a printed address uses: as given, Capitalised or in CAPITALS. */
function anyCase(list: string): string {
  const words = list.split(' ');
  const cap = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);
  return [...new Set(words.flatMap((w) => [w, cap(w), w.toUpperCase()]))]
    .map((w) => w.replace(/\./g, '\\.'))
    .join('|');
}

// Street words printed after the house number (French, English, Maltese).
const FR_WORDS = anyCase(
  'rue avenue av. boulevard bd bld allée allee chemin impasse place quai route cours square passage faubourg lotissement résidence residence esplanade triq',
);
const EN_WORDS = anyCase(
  'street st avenue ave road rd boulevard blvd lane ln drive dr way court ct place pl terrace square highway hwy parkway pkwy',
);
// Street words before the house number: "Beethovnova ulica 3", "John Doe Street 1234".
const AFTER_NAME_WORDS = anyCase(
  'ulica ul. utca iela gatve street road avenue lane straat laan gracht plein kade',
);
// Romance order, street word first and the number last: "Via Roma 12", "Calle Mayor, 5", "Rua Augusta, N.º 4".
const ROMANCE_WORDS = anyCase(
  'av. via viale piazza corso calle avenida plaza paseo rua travessa largo praça carrer',
);

const FR_STREET = new RegExp(
  `(?<![\\dA-Za-z])\\d{1,4}(?:[ ]?(?:bis|ter|[A-D]))?,?[ ]+(?:${FR_WORDS})(?![\\p{L}])[^\\n]{2,60}?(?=[ ,]+\\d{5}(?!\\d)|$)`,
  'gmu',
);
// The house number alone on its line, the street on the next ("220" / "Triq il-Bajja").
const SPLIT_STREET = new RegExp(
  `^[ ]*\\d{1,4}[A-Za-z]?[ ]*\\n[ ]*(?:${FR_WORDS})(?![\\p{L}])[^\\n]{2,60}`,
  'gmu',
);
const EN_STREET = new RegExp(
  `(?<![\\dA-Za-z])\\d{1,5}[a-z]?[ ]+(?:[A-Z][\\w'.-]*[ ]+){1,4}(?:${EN_WORDS})\\b\\.?(?:[ ]+(?:NE|NW|SE|SW|N|S|E|W)\\b)?`,
  'g',
);
const NAME_FIRST_STREET = new RegExp(
  `(?<![\\p{L}\\d])(?:\\p{Lu}[\\p{L}'’.-]*[ ]+){1,3}(?:${AFTER_NAME_WORDS})(?![\\p{L}])[ ,]+\\d{1,4}[a-zA-Z]?(?![\\d])`,
  'gu',
);
const ROMANCE_STREET = new RegExp(
  `(?<![\\p{L}\\d])(?:${ROMANCE_WORDS})(?![\\p{L}])\\.?(?:[ ]+[\\p{L}'’.-]+){1,4},?[ ]+(?:N\\.?[ºo°]?[ ]*)?\\d{1,4}[a-zA-Z]?(?![\\d])`,
  'gu',
);
// German and Dutch compounds: "Uferstraße 8", "UFERSTR.8", "Kalverstraat 12".
const DE_STREET =
  /(?<![A-Za-zÄÖÜäöüß])(?:[A-ZÄÖÜ][a-zäöüß]+(?:stra(?:ß|ss)e|str\.|weg|platz|allee|gasse|ring|damm|straat|laan|gracht)|[A-ZÄÖÜ]{2,}(?:STRASSE|STRAßE|STR\.|WEG|PLATZ|ALLEE|GASSE|STRAAT|LAAN))[ ]*\d{1,3}[a-z]?(?![\dA-Za-z])/g;

// "64480 USTARITZ", "75001 Paris"; "Providence, RI 02111" (OCR reads "RI" as "R1"), "SALEM,OR,97314";
// UK "SW1A 1AA". A French postcode stands apart (not the tail of "7078-€49343").
const FR_POSTCODE =
  /(?<![^\s,(])(?:0[1-9]|[1-8]\d|9[0-8])\d{3}[ ]+[A-ZÀ-Ý][A-Za-zÀ-ÿ'-]{2,}(?:[ -][A-ZÀ-Ýa-zà-ÿ'-]+){0,3}/g;
const US_POSTCODE =
  /[A-Z][A-Za-z.]+(?:[ ][A-Z][A-Za-z.]+){0,2}(?:,[ ]*|[ ]+)[A-Z][A-Z1](?:,[ ]*|[ ]+)\d{5}(?:-\d{4})?(?!\d)/g;
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

/** Postal addresses: streets with their postcode, and lone postcodes with a town. */
export function findAddresses(text: string): TextMatch[] {
  const lines = toLines(text);
  const streets = collect(text, [
    FR_STREET,
    SPLIT_STREET,
    EN_STREET,
    DE_STREET,
    NAME_FIRST_STREET,
    ROMANCE_STREET,
  ]);
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
