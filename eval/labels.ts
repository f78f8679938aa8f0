// The labels of an evaluation set (tests/fixtures/manifest.json format) and what each label means.
import { z } from 'zod';

export const PII_TEXT_KINDS = [
  'email',
  'phone',
  'card_number',
  'iban',
  'address',
  'person_name',
  'date_of_birth',
  'national_id',
] as const;
export type PiiTextKind = (typeof PII_TEXT_KINDS)[number];

const labelsSchema = z.looseObject({
  has_gps: z.boolean(),
  has_exif_camera: z.boolean(),
  faces: z.number().int().min(0),
  /** The face count is approximate (a crowd): counted within ±20 %. */
  faces_approx: z.boolean().optional(),
  child_present: z.boolean(),
  id_document: z.boolean(),
  mrz: z.boolean(),
  /** The MRZ exactly as printed, one string per line. */
  mrz_lines: z.array(z.string()).optional(),
  /** false: the printed check digits do not verify (the MRZ is to be found, never confirmed). */
  mrz_check_digits_valid: z.boolean().optional(),
  pii_text: z.array(z.enum(PII_TEXT_KINDS)),
  qr: z.boolean(),
  qr_payload: z.string().nullable().optional(),
  qr_payloads: z.array(z.string()).nullable().optional(),
  /** Any symbol that is not QR (1-D, PDF417, Data Matrix, Aztec). */
  barcode: z.boolean(),
  /** Prefixed with the symbology as zbarimg prints it ("EAN-13:", "PDF417:"…). */
  barcode_payload: z.string().nullable().optional(),
  work_document: z.boolean().optional(),
  /** Optional (synthetic set): the picture is a document or a screen. Derived when absent. */
  document_or_screen: z.boolean().optional(),
});
export type Labels = z.infer<typeof labelsSchema>;

const entrySchema = z.looseObject({
  file: z.string().min(1),
  /** The file's main purpose (metadata, faces, id_documents, payment_cards, pii_text, work_documents, codes, negatives). */
  category: z.string().optional(),
  labels: labelsSchema,
});
export type ManifestEntry = z.infer<typeof entrySchema>;

/** Parses a labels file: an array of { file, labels } records (extra fields are kept and ignored). */
export function parseManifest(json: unknown): ManifestEntry[] {
  return z.array(entrySchema).min(1).parse(json);
}

export const ID_TYPES = ['passport', 'identity_card', 'residence_permit', 'visa', 'driver_licence'] as const;
export type IdType = (typeof ID_TYPES)[number];

const FILE_TYPES: Record<string, IdType> = {
  passport: 'passport',
  card: 'identity_card',
  'residence-permit': 'residence_permit',
  visa: 'visa',
  'driver-licence': 'driver_licence',
};

/**
 * The labelled ID document type: the fixture's name says it (`id_<type>_…`, the manifest's
 * naming rule); otherwise the MRZ's document code (P passport, V visa, I/A/C identity card).
 */
export function toExpectedIdType(e: Pick<ManifestEntry, 'file' | 'labels'>): IdType | undefined {
  if (!e.labels.id_document) return undefined;
  const name = e.file.slice(e.file.lastIndexOf('/') + 1);
  const m = /^id_([a-z-]+?)_/.exec(name);
  const fromName = m ? FILE_TYPES[m[1]!] : undefined;
  if (fromName) return fromName;
  const code = e.labels.mrz_lines?.[0]?.charAt(0);
  if (code === 'P') return 'passport';
  if (code === 'V') return 'visa';
  if (code === 'I' || code === 'A' || code === 'C') return 'identity_card';
  return undefined;
}

/** A document type as an engine may word it ("driving licence", "National identity card") → IdType. */
export function toIdType(text: string): IdType | undefined {
  const t = text.toLowerCase().replace(/[_-]/g, ' ');
  if (/passport/.test(t)) return 'passport';
  if (/residen/.test(t)) return 'residence_permit';
  if (/visa/.test(t)) return 'visa';
  if (/driv|licen[cs]e/.test(t)) return 'driver_licence';
  if (/ident|id card|national/.test(t)) return 'identity_card';
  return undefined;
}

/** MRZ labelled with valid printed check digits (records predating the field all verify). */
export const hasValidMrz = (l: Labels): boolean => l.mrz && l.mrz_check_digits_valid !== false;

/** MRZ labelled whose printed check digits do not verify: to be found, never confirmed. */
export const hasInvalidMrz = (l: Labels): boolean => l.mrz && l.mrz_check_digits_valid === false;

export type CodeFamily = 'qr' | 'barcode';

export interface LabelledPayload {
  family: CodeFamily;
  /** zxing format name implied by the label's prefix, when it names one. */
  format?: string;
  value: string;
}

const PREFIX_FORMATS: Record<string, string> = {
  'EAN-13': 'EAN13',
  'EAN-8': 'EAN8',
  'UPC-A': 'UPCA',
  'UPC-E': 'UPCE',
  'I2/5': 'ITF',
  'CODE-39': 'Code39',
  'CODE-93': 'Code93',
  'CODE-128': 'Code128',
  PDF417: 'PDF417',
  AZTEC: 'Aztec',
  DATAMATRIX: 'DataMatrix',
};

/** Every labelled code payload: the QR payloads (one or several) and the barcode payload without its prefix. */
export function toLabelledPayloads(l: Labels): LabelledPayload[] {
  const out: LabelledPayload[] = [];
  const qrs = l.qr_payloads ?? (l.qr_payload ? [l.qr_payload] : []);
  for (const value of qrs) out.push({ family: 'qr', value });
  if (l.barcode_payload) {
    const i = l.barcode_payload.indexOf(':');
    const prefix = l.barcode_payload.slice(0, i);
    const format = PREFIX_FORMATS[prefix];
    out.push({
      family: 'barcode',
      ...(format ? { format } : {}),
      value: format ? l.barcode_payload.slice(i + 1) : l.barcode_payload,
    });
  }
  return out;
}
