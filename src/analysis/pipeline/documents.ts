// Documents checked across analyzers: the portrait (a face on the document) and the codes (a PDF417
// on a licence back) join the document's cover, and an AAMVA licence barcode alone is a licence.
import type { Finding, Region } from '../../types.ts';
import { intersectionArea, unionRegions } from '../image/regions.ts';
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
        intersectionArea(f.region, area) > 0.5 * f.region.width * f.region.height,
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
