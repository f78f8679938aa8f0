// The document step of the text check: identity documents and payment cards recognised on the page,
// their personal values reported, and the whole document covered (every line on it); on the re-scan
// of a cleaned copy, any line still readable inside a covered document is reported and covered.
import type { Finding, Region } from '../../../types.ts';
import { intersectionArea, isMostlyInside, unionRegions } from '../../image/regions.ts';
import { findAddresses } from '../recognizers/address.ts';
import type { TextMatch } from '../recognizers/match.ts';
import { toTextFinding, type OcrLine, type OcrPage } from '../page.ts';
import { classifyId, type IdClassification } from './classify-id.ts';
import { findLabelledFields, findLooseMrzFields, findMrzFields, findUnlabelledFields } from './fields.ts';
import { countCardWords, findPaymentCardNumbers, hasCardMarks } from './payment-card.ts';
import { toDocumentArea, type DocumentArea } from './region.ts';
import { findWorkOrPersonalDocument } from './work-document.ts';

type Size = { width: number; height: number };

const overlaps = (a: Region | undefined, b: Region | undefined): boolean =>
  a !== undefined && b !== undefined && intersectionArea(a, b) > 0;

/** A line someone could still read: a word of 3+ letters or digits read with some confidence. */
export function isReadableLine(line: OcrLine): boolean {
  return line.words.some((w) => w.confidence >= 70 && /[A-Za-z0-9]{3,}/.test(w.text));
}

/**
 * The whole-document finding: the document's region is covered in one piece (every line on it, and
 * whatever lies between them that OCR did not read as a line).
 */
function toWholeFinding(
  area: DocumentArea,
  kind: 'id_document' | 'document',
  certainty: Finding['certainty'],
  summary: string,
  details: Record<string, string | number | boolean>,
): Finding {
  return {
    kind,
    severity: 'high',
    certainty,
    region: area.region,
    regions: [area.region],
    source: 'text',
    summary,
    redact: 'fill',
    details: { ...details, whole: true, bounded: area.bounded, lines: area.lines.length },
  };
}

/** Adds `m` as a finding unless one of the same kind already covers that place. */
function addMatch(page: OcrPage, out: Finding[], m: TextMatch): void {
  const f = toTextFinding(page, m);
  if (!f) return;
  if (out.some((g) => g.kind === f.kind && overlaps(g.region, f.region))) return;
  out.push(f);
}

/** An identity document only the other OCR reading saw (its MRZ): its type, anchored on its boxes. */
function fromOtherReading(old: readonly Finding[]): IdClassification | undefined {
  const f = old[0];
  if (!f) return undefined;
  const type = f.details?.['documentType'];
  return {
    type: typeof type === 'string' && type !== '' ? (type as IdClassification['type']) : 'travel document',
    side: 'front',
    certainty: f.certainty,
    mrz: f.details?.['mrz'] === true,
    licence: type === 'driving licence',
    anchors: [],
    signals: ['mrz'],
  };
}

/** Kinds already found on the page, as empty matches (for "is there one yet"). */
const toMatchKinds = (fs: readonly Finding[]): TextMatch[] =>
  fs.map((f) => ({ kind: f.kind, certainty: f.certainty, ranges: [], summary: '' }));

function toIdSummary(c: IdClassification): string {
  return `${c.type}${c.side === 'back' ? ' (back)' : c.side === 'both' ? ' (front and back)' : ''}${c.mrz ? ' with a machine-readable zone' : ''}`;
}

/** The identity document on the page, its values, and the findings it makes wrong (phones, MRZ "addresses"). */
function withIdDocument(page: OcrPage, size: Size, findings: Finding[]): Finding[] {
  const old = findings.filter((f) => f.kind === 'id_document');
  const known = old.map((f) => f.details?.['documentType']).find((t) => typeof t === 'string');
  const c = classifyId(page.text, known as IdClassification['type'] | undefined) ?? fromOtherReading(old);
  if (!c) return findings;
  const area = toDocumentArea(
    page.lines,
    c.anchors,
    size,
    old.flatMap((f) => (f.region ? [f.region] : [])),
  );
  if (!area) return findings;
  const mrz = findings.filter((f) => f.kind === 'mrz').flatMap((f) => f.regions ?? []);
  let out = findings.filter(
    (f) =>
      f.kind !== 'id_document' &&
      // A document number is never a phone number, and an MRZ line never an address.
      !(f.kind === 'phone' && overlaps(f.region, area.region)) &&
      !(f.kind === 'address' && mrz.some((r) => overlaps(r, f.region))),
  );
  const matches = [
    ...findMrzFields(page.text),
    ...findLooseMrzFields(page.text),
    ...findLabelledFields(page.text, c.licence),
    ...findAddresses(page.text).filter((a) => a.details?.['street'] === true || c.licence),
  ];
  // A licence's back prints no holder values (they are in its barcode): no guessing from layout there.
  if (c.side !== 'back' || c.mrz)
    matches.push(...findUnlabelledFields(page.text, [...matches, ...toMatchKinds(out)]));
  for (const m of matches) addMatch(page, out, m);
  out = out.filter((f) => !(f.kind === 'address' && mrz.some((r) => overlaps(r, f.region))));
  out.push(
    toWholeFinding(area, 'id_document', c.certainty, toIdSummary(c), {
      documentType: c.type,
      side: c.side,
      mrz: c.mrz,
      signals: c.signals.join(','),
    }),
  );
  return out;
}

/** Most lines a photo of a card holds (a screen or a form showing a number holds more). */
const CARD_LINES = 15;

/** A payment card on the page: its number (Luhn or not) and the whole card covered. */
function withPaymentCard(page: OcrPage, size: Size, findings: Finding[]): Finding[] {
  const words = countCardWords(page.text);
  const out = [...findings];
  const cardPhoto = page.lines.length <= CARD_LINES && hasCardMarks(page.text);
  for (const m of findPaymentCardNumbers(page.text, { onCard: words >= 1, cardPhoto }))
    addMatch(page, out, m);
  const numbers = out.filter((f) => f.kind === 'card_number' && f.source === 'text');
  // A card: a number printed with card words, not a number in a table or a statement.
  // A card photo holds a few lines; a screen or a form showing a number is not a card.
  if (
    numbers.length === 0 ||
    words < 1 ||
    page.lines.length > CARD_LINES ||
    out.some((f) => f.kind === 'screen' || f.kind === 'document')
  )
    return out;
  const anchors = page.lines.flatMap((l, i) => (numbers.some((n) => overlaps(n.region, l.box)) ? [i] : []));
  const area = toDocumentArea(
    page.lines,
    anchors,
    size,
    anchors.map((i) => toCardShape(page.lines[i]!.box, size)),
  );
  if (!area) return out;
  out.push(
    toWholeFinding(
      area,
      'document',
      numbers.some((n) => n.certainty === 'confirmed') ? 'confirmed' : 'likely',
      'payment card',
      {
        documentType: 'payment card',
      },
    ),
  );
  return out;
}

/**
 * The card around its number line: the number spans about four fifths of an ID-1 card's width
 * (85.6 × 54 mm) and sits a little below its middle.
 */
export function toCardShape(number: Region, size: Size): Region {
  const width = number.width / 0.8;
  const height = width / 1.586;
  const x = Math.max(0, number.x - (width - number.width) / 2);
  const y = Math.max(0, number.y - 0.55 * height);
  return { x, y, width: Math.min(width, size.width - x), height: Math.min(height, size.height - y) };
}

/** On the re-scan of a cleaned copy: lines still readable inside a document the first scan covered. */
function toLeftovers(page: OcrPage, recheck: readonly Finding[]): Finding[] {
  const out: Finding[] = [];
  for (const d of recheck) {
    if (d.details?.['whole'] !== true || !d.region) continue;
    const r = d.region;
    const left = page.lines.filter((l) => isReadableLine(l) && isMostlyInside(l.box, r));
    if (left.length === 0) continue;
    out.push({
      kind: d.kind,
      severity: 'high',
      certainty: 'possible',
      region: unionRegions(left.map((l) => l.box)),
      regions: left.map((l) => l.box),
      source: 'text',
      summary: `text still readable on the covered ${String(d.details['documentType'] ?? 'document')}`,
      redact: 'fill',
      details: {
        documentType: String(d.details['documentType'] ?? 'document'),
        leftover: true,
        lines: left.length,
      },
    });
  }
  return out;
}

/** Every finding of the page with its documents: pass the text findings, get them back completed. */
export function findDocuments(
  page: OcrPage,
  size: Size,
  findings: Finding[],
  recheck?: readonly Finding[],
): Finding[] {
  let out = withIdDocument(page, size, findings);
  out = withPaymentCard(page, size, out);
  if (!out.some((f) => f.details?.['whole'] === true)) out = findWorkOrPersonalDocument(page, size, out);
  if (recheck) out.push(...toLeftovers(page, recheck));
  return out;
}
