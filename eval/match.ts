// Which reported findings answer which label: code families, document types, confirmed MRZs, payloads by value.
import { toCodePayload } from '../src/analysis/codes/payload.ts';
import type { Finding } from '../src/types.ts';
import { toIdType, type CodeFamily, type IdType, type LabelledPayload } from './labels.ts';

const QR_FORMATS = new Set(['QRCode', 'MicroQRCode', 'RMQRCode']);

const text = (f: Finding, key: string): string | undefined => {
  const v = f.details?.[key];
  return typeof v === 'string' ? v : undefined;
};

/** A code finding's family by its symbology: only QR, Micro QR and rMQR are QR; every other symbol is a barcode. */
export function toCodeFamily(f: Finding): CodeFamily | undefined {
  if (f.kind !== 'qr_code' && f.kind !== 'barcode') return undefined;
  const format = text(f, 'format');
  if (format === undefined) return f.kind === 'qr_code' ? 'qr' : 'barcode';
  return QR_FORMATS.has(format) ? 'qr' : 'barcode';
}

/** The document type a finding states (details.type, or details.documentType before it). */
export function toFoundIdType(f: Finding): IdType | undefined {
  const t = text(f, 'type') ?? text(f, 'documentType');
  return t === undefined ? undefined : toIdType(t);
}

const isPaymentWording = (t: string | undefined): boolean =>
  t !== undefined && /payment|bank card|credit|debit/i.test(t);

/** A payment card: its own finding kind, or a document finding whose type says so. */
export function isPaymentCard(f: Finding): boolean {
  return (
    (f.kind as string) === 'payment_card' || isPaymentWording(text(f, 'type') ?? text(f, 'documentType'))
  );
}

/** A work document: its own finding kind, or a document/screen finding with a `work` detail. */
export function isWorkDocument(f: Finding): boolean {
  if ((f.kind as string) === 'work_document') return true;
  const work = f.details?.['work'];
  return (f.kind === 'document' || f.kind === 'screen') && work !== undefined && work !== false;
}

/** An MRZ whose check digits all verified. */
export function isConfirmedMrz(f: Finding): boolean {
  return f.kind === 'mrz' && f.details?.['checkDigitsValid'] === true;
}

const sameFormat = (a: string, b: string): boolean =>
  a === b || (['EAN13', 'UPCA'].includes(a) && ['EAN13', 'UPCA'].includes(b));

/**
 * Does a code finding show the labelled payload? The report never carries a payload, only what it
 * means: the labelled value is classified as the finding's symbology and the details must agree
 * (payload kind, host, fields, length…), with the same symbology where the label names one.
 */
export function isPayloadMatch(p: LabelledPayload, f: Finding): boolean {
  if (toCodeFamily(f) !== p.family) return false;
  const format = text(f, 'format');
  if (format === undefined) return false;
  if (p.format !== undefined && !sameFormat(p.format, format)) return false;
  const expected: Record<string, unknown> = {
    ...toCodePayload(p.value, { format, binary: false }).details,
    format,
  };
  const got: Record<string, unknown> = { ...f.details };
  const keys = new Set([...Object.keys(expected), ...Object.keys(got)]);
  return [...keys].every((k) => expected[k] === got[k]);
}

/** How many labelled payloads are matched, each by a different finding. */
export function countPayloadMatches(
  payloads: readonly LabelledPayload[],
  findings: readonly Finding[],
): number {
  const used = new Set<number>();
  let n = 0;
  for (const p of payloads) {
    const i = findings.findIndex((f, j) => !used.has(j) && isPayloadMatch(p, f));
    if (i < 0) continue;
    used.add(i);
    n++;
  }
  return n;
}

/** Is a detected face count right? Exact, or within ±20 % of an approximate (crowd) label. */
export function isFaceCountRight(detected: number, labelled: number, approx: boolean): boolean {
  if (!approx) return detected === labelled;
  return detected >= Math.floor(labelled * 0.8) && detected <= Math.ceil(labelled * 1.2);
}

/** Faces matched and extra boxes on one image; an approximate label counts as the range ±20 %. */
export function toFaceTally(
  detected: number,
  labelled: number,
  approx: boolean,
): { matched: number; extra: number } {
  if (!approx) return { matched: Math.min(detected, labelled), extra: Math.max(0, detected - labelled) };
  const lo = Math.floor(labelled * 0.8);
  const hi = Math.ceil(labelled * 1.2);
  return { matched: detected >= lo ? labelled : detected, extra: Math.max(0, detected - hi) };
}
