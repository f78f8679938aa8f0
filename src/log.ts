// pino with redaction: tokens, URLs, OCR text, coordinates, captions and file names never reach a log.
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Paths whose values are replaced by "[redacted]" wherever they appear (one level of nesting too). */
export const REDACT_PATHS = [
  'token',
  'botToken',
  'url',
  'fileUrl',
  'file_path',
  'text',
  'ocr',
  'caption',
  'fileName',
  'file_name',
  'lat',
  'lon',
  'latitude',
  'longitude',
  'gps',
  'authorization',
  'headers.authorization',
  'interactionToken',
  '*.token',
  '*.url',
  '*.text',
  '*.caption',
  '*.latitude',
  '*.longitude',
  '*.lat',
  '*.lon',
  '*.interactionToken',
];

/**
 * Removes anything that looks like a Telegram bot token or a URL from a free-form string
 * (error messages from HTTP clients often embed the request URL, which embeds the token).
 */
export function scrubSecrets(s: string): string {
  return s
    .replace(/https?:\/\/\S+/gi, '[url]')
    .replace(/\b\d{6,12}:[A-Za-z0-9_-]{30,}\b/g, '[token]')
    .replace(/\b[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}\b/g, '[token]');
}

/** A pino logger (stdout unless `destination` is given) that redacts REDACT_PATHS and scrubs errors. */
export function createLogger(
  opts: { level?: string; name?: string } = {},
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      level: opts.level ?? process.env['LOG_LEVEL'] ?? 'info',
      name: opts.name ?? 'preflight',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: {
        err: (e: unknown) => {
          if (!(e instanceof Error)) return { message: scrubSecrets(String(e)) };
          const code = (e as { code?: unknown }).code;
          return {
            type: e.name,
            message: scrubSecrets(e.message),
            ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
          };
        },
      },
      formatters: {
        log: (obj) => obj,
      },
    },
    destination,
  );
}
