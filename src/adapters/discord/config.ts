// Discord settings from the environment. Pure; errors name the variable, never its value.
import { z } from 'zod';
import { ConfigError, type Env } from '../../config.ts';

export interface DiscordConfig {
  token: string;
  applicationId: string;
  /** REST base without the version, e.g. https://discord.com/api (discord.js adds /v10). */
  apiRoot: string;
  /** Register commands in this one guild (instant) instead of globally. */
  guildId?: string;
  /**
   * Auto-scan of server channels: asks for the privileged MESSAGE_CONTENT intent, which must be
   * enabled for the application in the Developer Portal (otherwise the gateway refuses to connect).
   */
  autoscan: boolean;
}

const blank = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const snowflake = (what: string) =>
  z
    .string({ error: 'is required' })
    .trim()
    .regex(/^\d{17,20}$/, { error: `must be a ${what} (a numeric id)` });

const schema = z.object({
  DISCORD_TOKEN: z.preprocess(
    blank,
    z
      .string({ error: 'is required' })
      .trim()
      .regex(/^[A-Za-z0-9_.-]{20,200}$/, { error: 'does not look like a bot token' }),
  ),
  DISCORD_APPLICATION_ID: z.preprocess(blank, snowflake('application id')),
  DISCORD_API_ROOT: z.preprocess(
    blank,
    z
      .string()
      .trim()
      .default('https://discord.com/api')
      .refine((s) => /^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(s), { error: 'must be an http(s) URL' })
      .transform((s) => s.replace(/\/+$/, '').replace(/\/v\d+$/, '')),
  ),
  DISCORD_GUILD_ID: z.preprocess(blank, snowflake('guild id').optional()),
  DISCORD_AUTOSCAN: z.preprocess(
    blank,
    z
      .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
      .default('false')
      .transform((s) => s === 'true' || s === '1'),
  ),
});

/** Reads the Discord settings from the environment; throws a ConfigError naming the bad variables. */
export function parseDiscordConfig(env: Env): DiscordConfig {
  const r = schema.safeParse(env);
  if (!r.success) {
    throw new ConfigError(
      r.error.issues.map((i) => ({
        variable: String(i.path[0] ?? '?'),
        problem: i.code === 'invalid_type' && i.input === undefined ? 'is required' : i.message,
      })),
    );
  }
  const e = r.data;
  return {
    token: e.DISCORD_TOKEN,
    applicationId: e.DISCORD_APPLICATION_ID,
    apiRoot: e.DISCORD_API_ROOT,
    ...(e.DISCORD_GUILD_ID !== undefined ? { guildId: e.DISCORD_GUILD_ID } : {}),
    autoscan: e.DISCORD_AUTOSCAN,
  };
}
