// Versioned job payloads at the queue boundary. Job data carries ids, a blob key, the reply address,
// options and a locale — never pixels, text read from the image, coordinates or tokens.
import { z } from 'zod';
import { ERROR_CODES } from '../errors.ts';
import type { ReplyAddress, RiskReport, ScanRequest, ScanResult } from '../types.ts';

const id = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/);

/**
 * Ids and flags only. Bounded so free text (captions, OCR) cannot ride along: at most 16 fields,
 * short keys, strings of at most 64 characters, and no value that looks like a URL.
 */
export const replyAddressSchema = z
  .object({ platform: z.enum(['telegram', 'discord']) })
  .catchall(
    z.union([
      z
        .string()
        .max(64)
        .refine((s) => !/[:/]{2}|\s/.test(s), { error: 'reply address values are ids and flags only' }),
      z.number(),
      z.boolean(),
      z.null(),
    ]),
  )
  .refine((o) => Object.keys(o).length <= 16 && Object.keys(o).every((k) => /^[A-Za-z0-9_]{1,32}$/.test(k)), {
    error: 'reply address has too many or oddly named fields',
  }) as unknown as z.ZodType<ReplyAddress>;

const scanOptionsSchema = z.object({
  faces: z.enum(['all', 'minors', 'none']),
  coverBarcodes: z.boolean(),
  recompressed: z.boolean(),
  variants: z.boolean().optional(),
  preview: z.boolean().optional(),
});

const localeSchema = z.enum(['en', 'fr']);

export const scanRequestSchema = z.object({
  v: z.literal(1),
  scanId: id,
  blobKey: id,
  reply: replyAddressSchema,
  options: scanOptionsSchema,
  locale: localeSchema,
  submittedAt: z.number().int().nonnegative(),
}) satisfies z.ZodType<ScanRequest>;

const regionSchema = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });

const findingSchema = z
  .object({
    kind: z.string(),
    severity: z.enum(['high', 'medium', 'low']),
    certainty: z.enum(['confirmed', 'likely', 'possible']),
    region: regionSchema.optional(),
    regions: z.array(regionSchema).optional(),
  })
  .loose();

/** The report as it travels: the fields every renderer relies on are checked, the rest is kept. */
export const riskReportSchema = z
  .object({
    version: z.literal(1),
    verdict: z.enum(['high', 'medium', 'low', 'none', 'review']),
    input: z.object({ format: z.string(), width: z.number(), height: z.number(), bytes: z.number() }).loose(),
    findings: z.array(findingSchema),
    checks: z.array(
      z.object({ name: z.string(), status: z.enum(['ok', 'failed', 'timeout', 'skipped']) }).loose(),
    ),
  })
  .loose() as unknown as z.ZodType<RiskReport>;

const resultBase = { v: z.literal(1), scanId: id, reply: replyAddressSchema, locale: localeSchema };

/** Keys of the other face choices' copies and of the "Show where" picture (ids only). */
const extraKeys = {
  variantBlobKeys: z.object({ all: id.optional(), minors: id.optional(), none: id.optional() }).optional(),
  previewBlobKey: id.optional(),
};

export const scanResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ...resultBase,
    ok: z.literal(true),
    report: riskReportSchema,
    sanitizedBlobKey: id.optional(),
    ...extraKeys,
  }),
  z.object({ ...resultBase, ok: z.literal(false), error: z.object({ code: z.enum(ERROR_CODES) }) }),
]) as unknown as z.ZodType<ScanResult>;

/** Validates scan job data (ids and options only). */
export function parseScanRequest(data: unknown): ScanRequest {
  return scanRequestSchema.parse(data);
}

/** Validates a scan result read back from the queue. */
export function parseScanResult(data: unknown): ScanResult {
  return scanResultSchema.parse(data);
}

/**
 * A result as it sits in the results queue: the report (it holds GPS coordinates and masked
 * values) travels as an encrypted blob like the images, so job data keeps ids only.
 */
export type ScanResultMessage =
  | (Omit<Extract<ScanResult, { ok: true }>, 'report'> & { reportBlobKey: string })
  | Extract<ScanResult, { ok: false }>;

export const scanResultMessageSchema = z.discriminatedUnion('ok', [
  z.object({
    ...resultBase,
    ok: z.literal(true),
    reportBlobKey: id,
    sanitizedBlobKey: id.optional(),
    ...extraKeys,
  }),
  z.object({ ...resultBase, ok: z.literal(false), error: z.object({ code: z.enum(ERROR_CODES) }) }),
]) as unknown as z.ZodType<ScanResultMessage>;

/** Validates a results-queue message (the result and the copy's blob id). */
export function parseScanResultMessage(data: unknown): ScanResultMessage {
  return scanResultMessageSchema.parse(data);
}

/** Validates a risk report (the schema of docs/report.schema.json). */
export function parseRiskReport(data: unknown): RiskReport {
  return riskReportSchema.parse(data);
}
