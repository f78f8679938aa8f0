// Per-server auto-scan settings in Redis: a default mode for the server and optional per-channel
// overrides. Only ids and modes are stored (no names, no tokens).
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { PermissionFlagsBits, type PermissionsBitField } from 'discord.js';
import type { AutoscanMode, MissingRequirement } from './messages.ts';

export const AUTOSCAN_MODES = ['off', 'warn', 'replace'] as const satisfies readonly AutoscanMode[];

const modeSchema = z.enum(AUTOSCAN_MODES);
const settingsSchema = z.object({
  v: z.literal(1),
  mode: modeSchema,
  channels: z.record(z.string().regex(/^\d{1,20}$/), modeSchema),
});

export type AutoscanSettings = z.infer<typeof settingsSchema>;

export const DEFAULT_AUTOSCAN_SETTINGS: AutoscanSettings = { v: 1, mode: 'off', channels: {} };

/** A server's stored auto-scan settings; anything unreadable falls back to the defaults (off). */
export function parseAutoscanSettings(raw: string | null): AutoscanSettings {
  if (raw === null) return DEFAULT_AUTOSCAN_SETTINGS;
  try {
    const r = settingsSchema.safeParse(JSON.parse(raw));
    return r.success ? r.data : DEFAULT_AUTOSCAN_SETTINGS;
  } catch {
    return DEFAULT_AUTOSCAN_SETTINGS;
  }
}

/** Whether a string is one of the auto-scan modes (off, warn, replace). */
export function isAutoscanMode(s: string): s is AutoscanMode {
  return (AUTOSCAN_MODES as readonly string[]).includes(s);
}

/** The mode for one channel: its own setting, else the server's (threads fall back to their parent). */
export function decideAutoscanMode(
  s: AutoscanSettings,
  channelId: string,
  parentId?: string | null,
): AutoscanMode {
  return s.channels[channelId] ?? (parentId ? s.channels[parentId] : undefined) ?? s.mode;
}

/** The settings after `/autoscan mode [channel]`: a channel gets an override, else the server default. */
export function toUpdatedSettings(
  s: AutoscanSettings,
  mode: AutoscanMode,
  channelId?: string,
): AutoscanSettings {
  if (channelId === undefined) return { ...s, mode };
  return { ...s, channels: { ...s.channels, [channelId]: mode } };
}

/**
 * What the bot lacks for a mode: reading attachments in servers needs the privileged Message Content
 * intent; warn replies to the message; replace also deletes it and uploads the cleaned copy.
 */
export function decideMissingRequirements(
  mode: AutoscanMode,
  perms: Readonly<PermissionsBitField>,
  hasMessageContent: boolean,
): MissingRequirement[] {
  if (mode === 'off') return [];
  const missing: MissingRequirement[] = [];
  if (!hasMessageContent) missing.push('message_content');
  const need: [bigint, MissingRequirement][] = [
    [PermissionFlagsBits.ViewChannel, 'view_channel'],
    [PermissionFlagsBits.SendMessages, 'send_messages'],
    [PermissionFlagsBits.ReadMessageHistory, 'read_history'],
  ];
  if (mode === 'replace') {
    need.push(
      [PermissionFlagsBits.ManageMessages, 'manage_messages'],
      [PermissionFlagsBits.AttachFiles, 'attach_files'],
    );
  }
  for (const [flag, name] of need) if (!perms.has(flag, true)) missing.push(name);
  return missing;
}

export interface AutoscanSettingsStore {
  get(guildId: string): Promise<AutoscanSettings>;
  set(guildId: string, settings: AutoscanSettings): Promise<void>;
}

/** Per-server auto-scan settings in Redis: one small JSON value per guild, no personal data. */
export function createAutoscanSettingsStore(deps: { redis: Redis; prefix?: string }): AutoscanSettingsStore {
  const prefix = deps.prefix ?? 'preflight:discord:autoscan';
  const key = (guildId: string): string => `${prefix}:${guildId}`;
  return {
    async get(guildId) {
      return parseAutoscanSettings(await deps.redis.get(key(guildId)));
    },
    async set(guildId, settings) {
      await deps.redis.set(key(guildId), JSON.stringify(settingsSchema.parse(settings)));
    },
  };
}
