// The Discord bot assembled: /check, the "Check photo" message command, DMs and auto-scan for servers,
// the result sender the results dispatcher calls, and start/stop. Interaction tokens stay in this
// process's memory (pending-scans.ts); job data and Redis only ever see ids.
import { ChannelType, Events, type Message } from 'discord.js';
import type { Redis } from 'ioredis';
import type { Logger } from '../../log.ts';
import type { ResultSender } from '../../queue/results.ts';
import type { ScanService } from '../../scan-service.ts';
import { scanGuildMessage } from './auto-scan.ts';
import { createDiscordClient, guard, type DiscordParts } from './client.ts';
import type { DiscordConfig } from './config.ts';
import { handleDirectMessage } from './direct-messages.ts';
import { createInteractionHandler } from './interactions.ts';
import { createPendingScans } from './pending-scans.ts';
import { createDelivery, createResultSender } from './send-result.ts';
import { createAutoscanSettingsStore, type AutoscanSettingsStore } from './settings.ts';
import { createUserLocales } from './user-locales.ts';
import { createChoiceKit, type ChoiceDeps } from '../../choices/kit.ts';

export interface DiscordAdapter {
  sendResult: ResultSender;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const SWEEP_MS = 30_000;

/** Builds the client, wires its listeners and the deadline sweep; nothing connects until start(). */
export function createDiscordAdapter(deps: {
  config: DiscordConfig;
  scanService: ScanService;
  redis: Redis;
  logger: Logger;
  settings?: AutoscanSettingsStore;
  clock?: () => number;
  /** For the face choices under copies (absent: no buttons, no /settings). */
  choices?: ChoiceDeps;
}): DiscordAdapter {
  const { config, scanService } = deps;
  const logger = deps.logger.child({ platform: 'discord' });
  const clock = deps.clock ?? Date.now;
  const settings = deps.settings ?? createAutoscanSettingsStore({ redis: deps.redis });
  const client = createDiscordClient(config);
  const choices = deps.choices ? createChoiceKit(deps.choices, deps.redis, 'preflight:discord') : undefined;
  const deliver = createDelivery(client, logger, choices);
  const pending = createPendingScans({ scanService, logger, clock, deliver });
  const locales = createUserLocales();
  const parts: DiscordParts = { client, config, logger, settings, pending, locales, choices };

  async function onMessage(msg: Message): Promise<void> {
    if (msg.author.bot || msg.webhookId || msg.system) return;
    if (msg.channel.type === ChannelType.DM) await handleDirectMessage(parts, msg);
    else if (msg.inGuild() && config.autoscan) await scanGuildMessage(parts, msg);
  }

  client.on(Events.Error, (e) => logger.error({ err: e }, 'discord client error'));
  client.on(Events.ShardError, (e) => logger.warn({ err: e }, 'discord gateway error'));
  client.on(Events.InteractionCreate, guard(logger, 'interaction', createInteractionHandler(parts)));
  client.on(Events.MessageCreate, guard(logger, 'message', onMessage));

  let sweepTimer: NodeJS.Timeout | undefined;
  return {
    sendResult: createResultSender(pending, logger),
    async start() {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(config.token);
      await ready;
      sweepTimer = setInterval(() => pending.sweep(), SWEEP_MS);
      sweepTimer.unref();
      logger.info({ autoscan: config.autoscan, guilds: client.guilds.cache.size }, 'discord bot ready');
    },
    async stop() {
      if (sweepTimer) clearInterval(sweepTimer);
      await client.destroy();
      pending.clear();
    },
  };
}
