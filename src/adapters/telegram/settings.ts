// Per-chat auto-scan settings in Redis: one small hash per group, no expiry, no personal data.
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Locale } from '../../types.ts';
import { AUTO_SCAN_MODES, THRESHOLDS } from './mapping.ts';
import type { AutoScanMode, Threshold } from './messages.ts';

export interface ChatSettings {
  mode: AutoScanMode;
  threshold: Threshold;
  /** Language of the group's replies (that of the admin who last changed the settings). */
  locale: Locale;
}

export const DEFAULT_CHAT_SETTINGS: ChatSettings = { mode: 'off', threshold: 'medium', locale: 'en' };

const stored = z.object({
  mode: z.enum(AUTO_SCAN_MODES).catch(DEFAULT_CHAT_SETTINGS.mode),
  threshold: z.enum(THRESHOLDS).catch(DEFAULT_CHAT_SETTINGS.threshold),
  locale: z.enum(['en', 'fr']).catch(DEFAULT_CHAT_SETTINGS.locale),
});

export interface ChatSettingsStore {
  get(chatId: number): Promise<ChatSettings>;
  update(chatId: number, patch: Partial<ChatSettings>): Promise<ChatSettings>;
}

/** The per-chat settings store: a chat's settings (defaults when never set) and a patching update. */
export function createChatSettingsStore(deps: { redis: Redis; prefix: string }): ChatSettingsStore {
  const key = (chatId: number): string => `${deps.prefix}chat:${chatId}`;
  const get = async (chatId: number): Promise<ChatSettings> => {
    const h = await deps.redis.hgetall(key(chatId));
    return stored.parse({ ...DEFAULT_CHAT_SETTINGS, ...h });
  };
  return {
    get,
    async update(chatId, patch) {
      const next = { ...(await get(chatId)), ...patch };
      await deps.redis.hset(key(chatId), next);
      return next;
    },
  };
}
