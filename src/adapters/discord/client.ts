// The discord.js client (intents, partials, REST root, no mentions by default) and the small helpers
// every handler module shares: the listener guard and Discord's default upload limit.
import { Client, DiscordAPIError, GatewayIntentBits, Partials } from 'discord.js';
import type { Logger } from '../../log.ts';
import type { DiscordConfig } from './config.ts';
import type { PendingScans } from './pending-scans.ts';
import type { AutoscanSettingsStore } from './settings.ts';
import type { UserLocales } from './user-locales.ts';
import type { ChoiceKit } from '../../choices/kit.ts';

/** What the handler modules share: the client, the config, the logger, the stores and the pending scans. */
export interface DiscordParts {
  client: Client;
  config: DiscordConfig;
  logger: Logger;
  settings: AutoscanSettingsStore;
  pending: PendingScans;
  locales: UserLocales;
  /** The face choices under copies; absent: copies come without buttons. */
  choices?: ChoiceKit | undefined;
}

/** Discord's default upload limit per message for bots. */
export const DEFAULT_UPLOAD_LIMIT = 10 * 1024 * 1024;

/** The client with the intents the bot needs; message content only when auto-scan is enabled. */
export function createDiscordClient(config: DiscordConfig): Client {
  const intents = [
    GatewayIntentBits.Guilds,
    GatewayIntentBits.GuildMessages,
    GatewayIntentBits.DirectMessages,
  ];
  if (config.autoscan) intents.push(GatewayIntentBits.MessageContent);
  return new Client({
    intents,
    partials: [Partials.Channel],
    rest: { api: config.apiRoot },
    allowedMentions: { parse: [] },
  });
}

/** The numeric Discord API error code of a failed REST call, if it is one. */
export function apiErrorCode(e: unknown): number | undefined {
  return e instanceof DiscordAPIError && typeof e.code === 'number' ? e.code : undefined;
}

/** Every listener goes through this: nothing it does can reject into the Client 'error' path. */
export function guard<T>(logger: Logger, what: string, fn: (arg: T) => Promise<void>): (arg: T) => void {
  return (arg) => {
    fn(arg).catch((e: unknown) => logger.error({ err: e, what }, 'discord handler failed'));
  };
}
