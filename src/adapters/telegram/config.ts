// Telegram settings from the environment, parsed once at start. Errors name the variable, never its value.
import { z } from 'zod';

export interface TelegramConfig {
  /** The bot token from BotFather. Never logged. */
  token: string;
  /** Bot API root without a trailing slash; used for every method call and for file downloads. */
  apiRoot: string;
  /** Public HTTPS URL for webhook mode; long polling when absent. */
  webhookUrl?: string;
  /** Port of the local HTTP server that receives webhook calls (behind your HTTPS proxy). */
  webhookPort: number;
  /** Redis key prefix for per-chat settings. */
  keyPrefix: string;
  /** How long an encrypted image may live in Redis, in minutes (from BLOB_TTL_SEC), for /privacy. */
  retentionMinutes: number;
}

const TOKEN_SHAPE = /^\d{3,15}:[A-Za-z0-9_-]{20,}$/;

const schema = z.object({
  TELEGRAM_BOT_TOKEN: z
    .string({ error: 'TELEGRAM_BOT_TOKEN is required (the token BotFather gave you).' })
    .trim()
    .regex(TOKEN_SHAPE, {
      error: 'TELEGRAM_BOT_TOKEN does not look like a bot token (digits, a colon, then letters).',
    }),
  TELEGRAM_API_ROOT: z
    .string()
    .trim()
    .default('https://api.telegram.org')
    .refine((s) => /^https?:\/\/[^\s/]+/i.test(s) && URL.canParse(s), {
      error: 'TELEGRAM_API_ROOT must be an http(s) URL such as https://api.telegram.org.',
    })
    .transform((s) => s.replace(/\/+$/, '')),
  TELEGRAM_WEBHOOK_URL: z
    .string()
    .trim()
    .optional()
    .refine((s) => s === undefined || s === '' || (URL.canParse(s) && s.startsWith('https://')), {
      error: 'TELEGRAM_WEBHOOK_URL must be an https:// URL (or unset for long polling).',
    }),
  TELEGRAM_WEBHOOK_PORT: z.coerce
    .number({ error: 'TELEGRAM_WEBHOOK_PORT must be a TCP port (1-65535).' })
    .int({ error: 'TELEGRAM_WEBHOOK_PORT must be a TCP port (1-65535).' })
    .min(1, { error: 'TELEGRAM_WEBHOOK_PORT must be a TCP port (1-65535).' })
    .max(65535, { error: 'TELEGRAM_WEBHOOK_PORT must be a TCP port (1-65535).' })
    .default(8080),
  // Validated by the bot config (src/config.ts); here only read to tell users how long images live.
  BLOB_TTL_SEC: z.coerce.number().int().positive().catch(600).default(600),
  TELEGRAM_KEY_PREFIX: z
    .string()
    .trim()
    .default('preflight:tg:')
    .refine((s) => s.length > 0 && s.length <= 64 && !/\s/.test(s), {
      error: 'TELEGRAM_KEY_PREFIX must be 1–64 characters without spaces.',
    }),
});

/**
 * Reads TELEGRAM_BOT_TOKEN, TELEGRAM_API_ROOT (default https://api.telegram.org),
 * TELEGRAM_WEBHOOK_URL and TELEGRAM_WEBHOOK_PORT (optional, webhook mode), TELEGRAM_KEY_PREFIX (optional)
 * and BLOB_TTL_SEC (read only to state how long an image may live).
 * Throws an Error whose message names each bad variable and never echoes a value.
 */
export function parseTelegramConfig(env: Record<string, string | undefined>): TelegramConfig {
  const parsed = schema.safeParse({
    TELEGRAM_BOT_TOKEN: env['TELEGRAM_BOT_TOKEN'],
    TELEGRAM_API_ROOT: env['TELEGRAM_API_ROOT'] || undefined,
    TELEGRAM_WEBHOOK_URL: env['TELEGRAM_WEBHOOK_URL'],
    TELEGRAM_WEBHOOK_PORT: env['TELEGRAM_WEBHOOK_PORT'] || undefined,
    TELEGRAM_KEY_PREFIX: env['TELEGRAM_KEY_PREFIX'] || undefined,
    BLOB_TTL_SEC: env['BLOB_TTL_SEC'] || undefined,
  });
  if (!parsed.success) {
    // Only our own messages (which name the variable) are shown; zod's defaults could quote input.
    const lines = parsed.error.issues.map((i) => {
      const name = String(i.path[0] ?? 'configuration');
      return i.message.includes(name) ? i.message : `${name} is invalid.`;
    });
    throw new Error(`Telegram configuration: ${[...new Set(lines)].join(' ')}`);
  }
  const d = parsed.data;
  const config: TelegramConfig = {
    token: d.TELEGRAM_BOT_TOKEN,
    apiRoot: d.TELEGRAM_API_ROOT,
    webhookPort: d.TELEGRAM_WEBHOOK_PORT,
    keyPrefix: d.TELEGRAM_KEY_PREFIX,
    retentionMinutes: Math.max(1, Math.ceil(d.BLOB_TTL_SEC / 60)),
  };
  if (d.TELEGRAM_WEBHOOK_URL) config.webhookUrl = d.TELEGRAM_WEBHOOK_URL;
  return config;
}
