// The grammY bot and its Bot API client (automatic retries on 429/5xx), the parts every handler module
// shares, and receiving updates by long polling (@grammyjs/runner) or by webhook.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { autoRetry } from '@grammyjs/auto-retry';
import { run, type RunnerHandle } from '@grammyjs/runner';
import { Bot, webhookCallback, type Api } from 'grammy';
import type { Logger } from '../../log.ts';
import type { ScanService } from '../../scan-service.ts';
import { describeError } from './api-error.ts';
import type { TelegramConfig } from './config.ts';
import type { ChoiceKit } from '../../choices/kit.ts';
import type { ChatSettingsStore } from './settings.ts';

/** What the handler modules share: the bot, its API client, the config, the logger and the stores. */
export interface TelegramParts {
  bot: Bot;
  api: Api;
  config: TelegramConfig;
  logger: Logger;
  settings: ChatSettingsStore;
  scanService: ScanService;
  /** The face choices under copies; absent: copies come without buttons. */
  choices?: ChoiceKit | undefined;
}

/** The bot with its client: the configured API root and up to three retries on 429/5xx. */
export function createTelegramBot(config: TelegramConfig): Bot {
  const bot = new Bot(config.token, { client: { apiRoot: config.apiRoot } });
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30 }));
  return bot;
}

const allowedUpdates = ['message', 'callback_query'] as const;

/** Starts receiving updates (webhook when configured, else long polling); resolves to its stop. */
export async function startReceiving(
  bot: Bot,
  config: TelegramConfig,
  logger: Logger,
): Promise<() => Promise<void>> {
  if (config.webhookUrl) {
    const secret = randomBytes(24).toString('hex');
    const path = new URL(config.webhookUrl).pathname;
    const handle = webhookCallback(bot, 'http', {
      secretToken: secret,
      onTimeout: 'return',
      timeoutMilliseconds: 8000,
    });
    const server: Server = createServer((req, res) => {
      if (req.method === 'POST' && req.url === path) {
        handle(req, res).catch((e: unknown) =>
          logger.warn({ api: describeError(e) }, 'webhook request failed'),
        );
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(config.webhookPort, resolve));
    await bot.api.setWebhook(config.webhookUrl, {
      secret_token: secret,
      allowed_updates: [...allowedUpdates],
    });
    return async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    };
  }
  await bot.api.deleteWebhook();
  const runner: RunnerHandle = run(bot, { runner: { fetch: { allowed_updates: [...allowedUpdates] } } });
  return async () => {
    if (runner.isRunning()) await runner.stop();
  };
}
