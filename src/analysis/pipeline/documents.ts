// Documents checked across analyzers: the portrait (a face on the document) and the codes (a PDF417
// on a licence back) join the document's cover, the document's verified birth date says whether its
// portraits show a minor, and an AAMVA licence barcode alone is a licence.
import type { Finding, Region } from '../../types.ts';
import { isMostlyInside, unionRegions } from '../image/regions.ts';
import { grow } from '../text/documents/region.ts';

const isWhole = (f: Finding): boolean => f.details?.['whole'] === true && f.details['leftover'] !== true;

/** Faces and codes on a document covered whole are covered with it; a licence barcode makes a licence. */
export function crossCheckDocuments(findings: Finding[]): void {
  const docs = findings.filter((f) => isWhole(f) && f.region);
  for (const d of docs) {
    // A card's portrait sits beside its printed lines: look a third of the width to each side.
    const area = grow(d.region!, 0.35, 0.15);
    const on = findings.filter(
      (f) =>
        (f.kind === 'face' || f.kind === 'qr_code' || f.kind === 'barcode') &&
        f.region !== undefined &&
        isMostlyInside(f.region, area),
    );
    if (on.length === 0) continue;
    const extra: Region[] = on.map((f) => f.region!);
    d.regions = [...(d.regions ?? []), ...extra];
    d.details = {
      ...d.details,
      portraits: on.filter((f) => f.kind === 'face').length,
      codes: on.filter((f) => f.kind !== 'face').length,
    };
    for (const c of on) if (c.kind !== 'face') c.redact = 'fill';
    judgePortraitAges(
      findings,
      on.filter((f) => f.kind === 'face'),
      area,
    );
  }
  if (findings.some((f) => f.kind === 'id_document')) return;
  const licence = findings.find((f) => f.details?.['payload'] === 'driver_licence' && f.region);
  if (!licence?.region) return;
  licence.redact = 'fill';
  // Only the code tells: the printed lines beside it are those the text check reported.
  const text = findings.filter((f) => f.source === 'text' && f.region).map((f) => f.region!);
  findings.push({
    kind: 'id_document',
    severity: 'high',
    certainty: 'confirmed',
    region: unionRegions([licence.region, ...text]),
    regions: [licence.region, ...text],
    source: 'code',
    summary: 'driving licence (back, licence barcode)',
    redact: 'fill',
    details: { documentType: 'driving licence', side: 'back', whole: true, bounded: false, codes: 1 },
  });
}

/**
 * The portraits on a document whose MRZ birth date verified (text/documents/fields.ts,
 * `holderAdult`): an adult holder's portraits are not "possible minors" (face-api's age reads the
 * small, grey, often faded portraits of ID cards years too young), and a minor holder's are, whatever
 * their estimated age. Without such a date the estimate stands.
 */
function judgePortraitAges(findings: Finding[], portraits: readonly Finding[], area: Region): void {
  if (portraits.length === 0) return;
  const says = findings
    .filter((f) => f.kind === 'date_of_birth' && f.region && isMostlyInside(f.region, area))
    .map((f) => f.details?.['holderAdult'])
    .filter((v): v is boolean => typeof v === 'boolean');
  if (says.length === 0) return;
  const minorOf = (face: Finding): number =>
    findings.findIndex(
      (m) =>
        m.kind === 'possible_minor' &&
        m.region !== undefined &&
        face.region !== undefined &&
        sameBox(m.region, face.region),
    );
  if (says.every((adult) => adult)) {
    for (const face of portraits) {
      const i = minorOf(face);
      if (i >= 0) findings.splice(i, 1);
    }
    return;
  }
  if (says.some((adult) => adult)) return; // two documents disagree: the estimates stand
  for (const face of portraits) {
    if (minorOf(face) >= 0 || !face.region) continue;
    findings.push({
      kind: 'possible_minor',
      severity: 'high',
      certainty: 'likely',
      region: face.region,
      ...(face.regions ? { regions: face.regions } : {}),
      redact: 'obscure',
      source: 'text',
      summary: "portrait of a minor (the document's birth date)",
      details: { holderMinor: true },
    });
  }
}

const sameBox = (a: Region, b: Region): boolean =>
  a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
