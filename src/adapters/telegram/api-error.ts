// Bot API failures described for logs: method, code and a secret-free message, never a token or URL.
import { GrammyError, HttpError } from 'grammy';
import { scrubSecrets } from '../../log.ts';

/** A short, secret-free description of a Bot API failure for logs. */
export function describeError(e: unknown): Record<string, string | number> {
  if (e instanceof GrammyError)
    return { method: e.method, code: e.error_code, description: scrubSecrets(e.description) };
  if (e instanceof HttpError) return { kind: 'network', message: scrubSecrets(e.message) };
  if (e instanceof Error) return { kind: e.name, message: scrubSecrets(e.message) };
  return { kind: 'unknown' };
}
