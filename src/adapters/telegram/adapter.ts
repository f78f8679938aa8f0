// The Telegram bot assembled: the bot and client, the info commands, the face choices, auto-scan in
// groups, private chats, the result sender the results dispatcher calls, and start/stop.
import type { Redis } from 'ioredis';
import type { Logger } from '../../log.ts';
import type { ResultSender } from '../../queue/results.ts';
import type { ScanService } from '../../scan-service.ts';
import { describeError } from './api-error.ts';
import { registerAutoScanCommand, registerGroupAutoScan } from './auto-scan.ts';
import { createTelegramBot, startReceiving, type TelegramParts } from './bot.ts';
import type { TelegramConfig } from './config.ts';
import { registerDirectMessages } from './direct-messages.ts';
import { registerCommandMenu, registerInfoCommands } from './info-commands.ts';
import { createResultSender } from './send-result.ts';
import { createChatSettingsStore } from './settings.ts';
import { createChoiceKit, type ChoiceDeps } from '../../choices/kit.ts';
import { registerChoiceHandlers } from './choices.ts';

export interface TelegramAdapter {
  sendResult: ResultSender;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface TelegramAdapterDeps {
  config: TelegramConfig;
  scanService: ScanService;
  redis: Redis;
  logger: Logger;
  /** For the face choices under copies (absent: no buttons, no /settings). */
  choices?: ChoiceDeps;
}

/** Builds the bot with its handlers in order (commands first, then private chats, then groups). */
export function createTelegramAdapter(deps: TelegramAdapterDeps): TelegramAdapter {
  const { config, scanService, redis } = deps;
  const logger = deps.logger.child({ platform: 'telegram' });
  const bot = createTelegramBot(config);
  const settings = createChatSettingsStore({ redis, prefix: config.keyPrefix });
  const choices = deps.choices ? createChoiceKit(deps.choices, redis, config.keyPrefix) : undefined;
  const parts: TelegramParts = { bot, api: bot.api, config, logger, settings, scanService, choices };

  registerInfoCommands(bot, config.retentionMinutes);
  if (choices) registerChoiceHandlers(parts, choices);
  registerAutoScanCommand(parts);
  registerDirectMessages(parts);
  registerGroupAutoScan(parts);
  bot.catch((err) => {
    logger.error(
      { api: describeError(err.error), updateId: err.ctx.update.update_id },
      'update handler failed',
    );
  });

  let stopReceiving: (() => Promise<void>) | undefined;
  return {
    sendResult: createResultSender(parts),
    async start() {
      await bot.init();
      logger.info({ username: bot.botInfo.username, webhook: !!config.webhookUrl }, 'telegram bot starting');
      await registerCommandMenu(bot.api, choices !== undefined).catch((e: unknown) =>
        logger.warn({ api: describeError(e) }, 'could not register the command list'),
      );
      stopReceiving = await startReceiving(bot, config, logger);
    },
    async stop() {
      const stop = stopReceiving;
      stopReceiving = undefined;
      if (stop) await stop();
      logger.info('telegram bot stopped');
    },
  };
}
