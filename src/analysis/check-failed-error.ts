// The error an analyzer throws when it could do only part of its work (the check is reported failed).
import type { CheckFailureReason } from '../errors.ts';
import type { Finding } from '../types.ts';

/**
 * Thrown by an analyzer that could do only part of its work: the check is reported `failed` with
 * `reason`, and what it did find is kept (a damaged EXIF block whose GPS could still be read).
 */
export class CheckFailedError extends Error {
  readonly reason: CheckFailureReason;
  readonly findings: Finding[];
  constructor(reason: CheckFailureReason, findings: Finding[]) {
    super(reason);
    this.name = 'CheckFailedError';
    this.reason = reason;
    this.findings = findings;
  }
}
