import type { ErrorCode } from './errors.ts';

// Platform-neutral vocabulary shared by the engine, the queue, the CLI and the bots.
// The RiskReport shape is the contract in shared/contracts/report.schema.json: fields may be added,
// never renamed.

export const FINDING_KINDS = [
  'gps',
  'device',
  'timestamp',
  'person_name_metadata',
  'embedded_thumbnail',
  'other_metadata',
  'face',
  'possible_minor',
  'id_document',
  'mrz',
  'national_id',
  'date_of_birth',
  'email',
  'phone',
  'card_number',
  'iban',
  'address',
  'person_name',
  'qr_code',
  'barcode',
  'document',
  'screen',
  'location_clue',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export type Severity = 'high' | 'medium' | 'low';
export type Certainty = 'confirmed' | 'likely' | 'possible';
export type Verdict = Severity | 'none' | 'review';
export type FindingSource = 'metadata' | 'pixels' | 'text' | 'code';

/** A pixel box in the displayed (orientation-applied) image. */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * How the sanitizer treats a finding's regions:
 * - `obscure`: irreversible coarse pixelation plus noise (faces);
 * - `fill`: padded solid fill (text, codes, MRZ band).
 * Findings without `redact` are reported only (metadata is removed by re-encoding anyway).
 */
export type Redaction = 'obscure' | 'fill';

export interface Finding {
  kind: FindingKind;
  severity: Severity;
  certainty: Certainty;
  /** 0..1 when a detector gives a score. */
  confidence?: number;
  /** The main box (schema field). */
  region?: Region;
  /** Every box to redact when a finding spans several (words of an e-mail, lines of an MRZ). */
  regions?: Region[];
  source?: FindingSource;
  /** One plain-language line, in English, with the value masked. Never the full value. */
  summary?: string;
  /** Whether the sanitized copy removes or covers it. Set by the pipeline. */
  removed?: boolean;
  redact?: Redaction;
  /** Machine-readable, non-sensitive facts for rendering in other languages (e.g. { age: 7 }). */
  details?: Record<string, string | number | boolean>;
}

/** The four analysis checks, declared once: config, engines, the CLI and the verdict read this list. */
export const ANALYZER_NAMES = ['metadata', 'faces', 'text', 'codes'] as const;
export type AnalyzerName = (typeof ANALYZER_NAMES)[number];

export type CheckName = AnalyzerName | 'sanitize' | 'verify';
export type CheckStatus = 'ok' | 'failed' | 'timeout' | 'skipped';

export interface Check {
  name: CheckName;
  status: CheckStatus;
  ms?: number;
  /** A short, non-sensitive reason (never OCR text, paths or URLs). */
  error?: string;
  /** For `verify`: the analyzers run again on the sanitized copy. */
  rescanned?: string[];
}

export type SanitizeActionName =
  | 'metadata_removed'
  | 'orientation_applied'
  | 'face_obscured'
  | 'text_covered'
  | 'code_covered'
  | 'downscaled'
  | 'converted';

export interface SanitizeAction {
  action: SanitizeActionName;
  count?: number;
  kinds?: string[];
}

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' | 'avif' | 'heif';

export interface InputInfo {
  format: ImageFormat;
  /** As displayed, after EXIF orientation. */
  width: number;
  height: number;
  bytes: number;
  orientation?: number;
  /** True when the platform recompressed the photo and stripped its metadata (Telegram "photo"). */
  recompressed?: boolean;
}

export interface SanitizedInfo {
  format: ImageFormat;
  width: number;
  height: number;
  bytes: number;
  actions: SanitizeAction[];
}

export interface RiskReport {
  version: 1;
  input: InputInfo;
  verdict: Verdict;
  findings: Finding[];
  checks: Check[];
  sanitized?: SanitizedInfo;
  residual?: { findings: Finding[] };
  /** The face choices made for the bots (when asked): the copy above is `current`. */
  variants?: VariantsInfo;
}

export interface VariantInfo {
  faces: FacesMode;
  /** Faces this variant pixelates. */
  facesObscured: number;
  /** A face that may be a child's stays visible in this variant. */
  minorVisible: boolean;
}

export interface VariantsInfo {
  /** Which choice the sanitized copy is. */
  current: FacesMode;
  /** The distinct choices, safest first (a choice equal to a safer one is left out). */
  choices: VariantInfo[];
  /** Time spent making the other variants' copies (the extra sanitizing). */
  ms: number;
}

export type FacesMode = 'all' | 'minors' | 'none';
export type Locale = 'en' | 'fr';

export interface ScanOptions {
  /** Which faces the sanitized copy obscures. Default 'all'. */
  faces: FacesMode;
  /** Cover 1-D product barcodes too (2-D codes are always covered). Default false. */
  coverBarcodes: boolean;
  /** The platform recompressed the photo (metadata already gone before we saw it). */
  recompressed: boolean;
  /** Also make the other face choices' copies (the bots' buttons). Default false. */
  variants?: boolean | undefined;
  /** Also make the "Show where" picture. Default false. */
  preview?: boolean | undefined;
}

export const DEFAULT_SCAN_OPTIONS: ScanOptions = {
  faces: 'all',
  coverBarcodes: false,
  recompressed: false,
};

/** Raw interleaved pixels, displayed orientation. `scale` = displayed width / this width. */
export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  scale: number;
}

/** The decoded input, prepared once and shared by every analyzer. */
export interface PreparedImage {
  format: ImageFormat;
  /** Displayed size (orientation applied). */
  width: number;
  height: number;
  bytes: number;
  orientation?: number;
  /** The decoded image has an alpha channel (kept by the sanitizer). */
  hasAlpha?: boolean;
  /** The original bytes, for metadata parsers. Never written anywhere. */
  source: Buffer;
  /**
   * A copy whose longest side is at most `maxSide` (never upscaled) and whose pixel count is at most
   * ANALYSIS_MAX_PIXELS (a panorama is analysed on a bounded copy), displayed orientation, memoized per
   * arguments. `channels: 1` gives grayscale, 3 RGB, 4 RGBA. `{ fresh: true }`: a new decode the
   * caller owns (and may change), not kept in the memo, not bounded (the sanitizer's full-size copy).
   */
  raw(maxSide: number, channels: 1 | 3 | 4, opts?: { fresh?: boolean }): Promise<RawImage>;
}

export interface AnalyzerContext {
  image: PreparedImage;
  options: ScanOptions;
  /** Aborted when the analyzer's deadline passes; long loops should check it. */
  signal: AbortSignal;
  /**
   * Set on the re-scan of the sanitized copy: what this analyzer found in the original. An analyzer
   * may use it to look the same way again (the text check reads at the rotation that found text
   * instead of searching for one).
   */
  recheck?: readonly Finding[];
  /**
   * Set with `recheck` when `image` is a crop of the copy (rescan.ts): the size of the whole picture
   * it was cut from, displayed pixels. An analyzer that looks at a fixed scale of the picture can
   * look at the crop at the scale it saw the whole at.
   */
  cropOf?: { width: number; height: number };
}

/**
 * A pluggable check. The pipeline runs every analyzer in parallel, each with its own deadline,
 * on the input and again on the sanitized copy (residual).
 */
export interface Analyzer {
  name: AnalyzerName;
  /** Milliseconds before the check is reported as `timeout`. */
  timeoutMs: number;
  /**
   * Its heavy work runs outside the scan's thread (OCR workers, the face and code threads): the pipeline starts
   * it at once instead of queueing it behind the analyzers that compute on the scan's thread.
   */
  offThread?: boolean;
  analyze(ctx: AnalyzerContext): Promise<Finding[]>;
}

/** Analyzers with a lifecycle (models, OCR workers) are created once per process. */
export interface Engines {
  analyzers: Analyzer[];
  close(): Promise<void>;
}

export interface ScanOutput {
  report: RiskReport;
  /** The sanitized copy's bytes; absent when the input was refused. */
  sanitized?: Buffer;
  /** The other face choices' copies (report.variants lists them), when asked. */
  variants?: { faces: FacesMode; bytes: Buffer }[];
  /** The "Show where" picture (JPEG), when asked. */
  preview?: Buffer;
}

// ---------------------------------------------------------------------------------------------
// Queue vocabulary (zod schemas for these live in src/queue/; adapters map platform payloads to them)

export type Platform = 'telegram' | 'discord';

/**
 * Where and how to answer, as the adapter that queued the scan understands it: ids and flags only
 * (chat, message, user ids, auto-scan mode). Never tokens, URLs, captions or file names.
 * Each adapter parses its own shape back with zod.
 */
export interface ReplyAddress {
  platform: Platform;
  [key: string]: string | number | boolean | null;
}

/** What an adapter hands to the scan service for one image. */
export interface IncomingPhoto {
  platform: Platform;
  /** Platform user id, for rate limiting. */
  userId: string;
  /** Size the platform declared, checked before downloading. */
  declaredBytes?: number;
  /** MIME type the platform declared (a hint only: the bytes are sniffed). */
  declaredMime?: string;
  /** Telegram "photo": recompressed by the platform, metadata already stripped. */
  recompressed: boolean;
  locale: Locale;
  /** Downloads the bytes, failing once more than `maxBytes` arrive or `signal` aborts. */
  download(maxBytes: number, signal: AbortSignal): Promise<Buffer>;
}

export interface ScanRequest {
  v: 1;
  scanId: string;
  /** Redis key of the encrypted original. */
  blobKey: string;
  reply: ReplyAddress;
  options: ScanOptions;
  locale: Locale;
  /** Epoch ms. */
  submittedAt: number;
}

export type ScanResult =
  | {
      v: 1;
      scanId: string;
      reply: ReplyAddress;
      locale: Locale;
      ok: true;
      report: RiskReport;
      /** Redis key of the encrypted sanitized copy, when one was produced. */
      sanitizedBlobKey?: string;
      /** Redis keys of the other face choices' encrypted copies. */
      variantBlobKeys?: Partial<Record<FacesMode, string>>;
      /** Redis key of the encrypted "Show where" picture. */
      previewBlobKey?: string;
    }
  | {
      v: 1;
      scanId: string;
      reply: ReplyAddress;
      locale: Locale;
      ok: false;
      error: { code: ErrorCode };
    };

/** An analyzer that owns models or workers, created once per process by its factory. */
export interface ClosableAnalyzer extends Analyzer {
  close(): Promise<void>;
}

/**
 * What a sender kept of a result's blobs (the face choices' copies, the "Show where" picture) for
 * the buttons it posted, and until when: the dispatcher deletes every other blob at once, and makes
 * the kept ones expire after `ttlMs` at the latest (their own TTL still applies if sooner).
 */
export interface DeliveryReceipt {
  keep: string[];
  ttlMs: number;
}
