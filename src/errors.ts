// Every refusal and failure has a stable code; user wording lives in src/i18n.

export const ERROR_CODES = [
  'empty_input',
  'unsupported_format',
  'corrupt_image',
  'file_too_large',
  'too_many_pixels',
  'bad_dimensions',
  'download_failed',
  'not_an_image',
  'rate_limited',
  'queue_busy',
  'queue_unavailable',
  'blob_expired',
  'scan_failed',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Codes that mean "the input was refused" (CLI exit 2), as opposed to our own failure. */
export const INPUT_ERROR_CODES: ReadonlySet<ErrorCode> = new Set([
  'empty_input',
  'unsupported_format',
  'corrupt_image',
  'file_too_large',
  'too_many_pixels',
  'bad_dimensions',
  'not_an_image',
]);

export class AppError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
  }
}

/** Why an analysis check failed part-way, in words safe for a report and a log (never the data). */
export const CHECK_FAILURE_REASONS = ['damaged_metadata'] as const;
export type CheckFailureReason = (typeof CHECK_FAILURE_REASONS)[number];

export function isCheckFailureReason(s: string | undefined): s is CheckFailureReason {
  return (CHECK_FAILURE_REASONS as readonly (string | undefined)[]).includes(s);
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

export function isInputError(e: unknown): e is AppError {
  return isAppError(e) && INPUT_ERROR_CODES.has(e.code);
}
