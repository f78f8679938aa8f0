// The Telegram bot: grammY with long polling through @grammyjs/runner (one slow update never blocks
// the others), automatic retries on 429/5xx, handlers that queue a scan and return, and the result
// sender the results dispatcher calls when a scan is done.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { autoRetry } from '@grammyjs/auto-retry';
import { run, type RunnerHandle } from '@grammyjs/runner';
import { Bot, GrammyError, HttpError, InputFile, webhookCallback, type Context } from 'grammy';
import type { Message } from 'grammy/types';
import type { Redis } from 'ioredis';
import { scrubSecrets, type Logger } from '../../log.ts';
import type { ResultSender } from '../../queue/results.ts';
import { messagesFor, renderError, renderReport, type ReplyView } from '../../render.ts';
import { decideGroupReply } from '../../risk.ts';
import type { ScanService } from '../../scan-service.ts';
import type { IncomingPhoto, Locale, ScanResult } from '../../types.ts';
import type { TelegramConfig } from './config.ts';
import { downloadTelegramFile } from './download.ts';
import {
  decideMissingRights,
  decideUploadKind,
  isAnonymousAdmin,
  parseAutoScanArgs,
  parseTelegramReply,
  toLocale,
  toMediaCandidate,
  toMegabytes,
  toReplyAddress,
  TELEGRAM_CAPTION_LIMIT,
  type MediaCandidate,
  type TelegramReply,
} from './mapping.ts';
import { MESSAGES, toMessages, type AutoScanMode, type TelegramMessages } from './messages.ts';
import { escapeHtml, renderMention, renderReplyHtml } from './render-html.ts';
import { createChatSettingsStore, type ChatSettings } from './settings.ts';

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
}

type ImageCandidate = Extract<MediaCandidate, { kind: 'image' }>;

/** A short, secret-free description of a Bot API failure for logs. */
function describeError(e: unknown): Record<string, string | number> {
  if (e instanceof GrammyError)
    return { method: e.method, code: e.error_code, description: scrubSecrets(e.description) };
  if (e instanceof HttpError) return { kind: 'network', message: scrubSecrets(e.message) };
  if (e instanceof Error) return { kind: e.name, message: scrubSecrets(e.message) };
  return { kind: 'unknown' };
}

const FILE_EXT: Record<string, string> = {
  jpeg: 'jpg',
  png: 'png',
  webp: 'webp',
  gif: 'gif',
  tiff: 'tif',
  avif: 'avif',
  heif: 'heic',
};

const ADMIN_STATUSES = new Set(['creator', 'administrator']);

export function createTelegramAdapter(deps: TelegramAdapterDeps): TelegramAdapter {
  const { config, scanService, redis } = deps;
  const logger = deps.logger.child({ platform: 'telegram' });
  const minutes = config.retentionMinutes;
  const settings = createChatSettingsStore({ redis, prefix: config.keyPrefix });

  const bot = new Bot(config.token, { client: { apiRoot: config.apiRoot } });
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30 }));
  const api = bot.api;

  let runner: RunnerHandle | undefined;
  let webhookServer: Server | undefined;

  const toIncomingPhoto = (c: ImageCandidate, userId: number, locale: Locale): IncomingPhoto => {
    const photo: IncomingPhoto = {
      platform: 'telegram',
      userId: String(userId),
      recompressed: c.recompressed,
      locale,
      download: (maxBytes, signal) =>
        downloadTelegramFile(
          { api, apiRoot: config.apiRoot, token: config.token },
          c.fileId,
          maxBytes,
          signal,
        ),
    };
    if (c.declaredBytes !== undefined) photo.declaredBytes = c.declaredBytes;
    if (c.declaredMime !== undefined) photo.declaredMime = c.declaredMime;
    return photo;
  };

  // ------------------------------------------------------------------------------------------
  // Commands

  bot.command('start', (ctx) => ctx.reply(toMessages(toLocale(ctx.from?.language_code)).start(minutes)));
  bot.command('help', (ctx) => ctx.reply(toMessages(toLocale(ctx.from?.language_code)).help(minutes)));
  bot.command('privacy', (ctx) => ctx.reply(toMessages(toLocale(ctx.from?.language_code)).privacy(minutes)));

  bot.command('autoscan', async (ctx) => {
    const userLocale = toLocale(ctx.from?.language_code);
    if (ctx.chat.type !== 'group' && ctx.chat.type !== 'supergroup') {
      await ctx.reply(toMessages(userLocale).group.onlyInGroups);
      return;
    }
    try {
      await handleAutoScan(ctx, ctx.msg, userLocale);
    } catch (e) {
      if (e instanceof GrammyError || e instanceof HttpError) throw e;
      // The settings store (Redis) is unreachable: say so rather than stay silent.
      logger.error({ err: e }, 'chat settings unavailable');
      await ctx.reply(renderError('queue_unavailable', userLocale));
    }
  });

  async function handleAutoScan(
    ctx: Context & { chat: { id: number } },
    msg: Message,
    userLocale: Locale,
  ): Promise<void> {
    const current = await settings.get(ctx.chat.id);
    const command = parseAutoScanArgs(typeof ctx.match === 'string' ? ctx.match : '');
    const t = toMessages(isAnonymousAdmin(msg) ? current.locale : userLocale);
    const reply = (text: string): Promise<Message.TextMessage> =>
      ctx.reply(text, {
        reply_parameters: { message_id: msg.message_id, allow_sending_without_reply: true },
      });

    if (command.kind === 'show') {
      await reply(t.group.status(current.mode, current.threshold));
      return;
    }
    if (command.kind === 'usage') {
      await reply(t.group.usage);
      return;
    }
    if (!(await isChatAdmin(ctx, msg))) {
      await reply(t.group.onlyAdmins);
      return;
    }
    const patch: Partial<ChatSettings> =
      command.kind === 'mode' ? { mode: command.mode } : { threshold: command.threshold };
    if (!isAnonymousAdmin(msg)) patch.locale = userLocale;
    const next = await settings.update(ctx.chat.id, patch);
    const lines = [t.group.changed(next.mode, next.threshold)];
    if (next.mode !== 'off') lines.push(...(await checkOwnRights(ctx.chat.id, next.mode, t)));
    await reply(lines.join('\n\n'));
  }

  async function isChatAdmin(ctx: Context, msg: Message): Promise<boolean> {
    if (isAnonymousAdmin(msg)) return true;
    if (!ctx.from) return false;
    try {
      const member = await ctx.getChatMember(ctx.from.id);
      return ADMIN_STATUSES.has(member.status);
    } catch (e) {
      logger.warn({ api: describeError(e) }, 'getChatMember failed for a command sender');
      return false;
    }
  }

  /** What the bot itself lacks in this chat for the given mode, as sentences for the moderator. */
  async function checkOwnRights(
    chatId: number,
    mode: Exclude<AutoScanMode, 'off'>,
    t: TelegramMessages,
  ): Promise<string[]> {
    let me: { status: string; can_delete_messages?: boolean } | undefined;
    try {
      me = await api.getChatMember(chatId, bot.botInfo.id);
    } catch (e) {
      logger.warn({ api: describeError(e) }, 'getChatMember failed for the bot itself');
    }
    const missing = decideMissingRights(me, bot.botInfo.can_read_all_group_messages, mode);
    if (missing.length === 0) return [t.group.rightsOk(mode)];
    return missing.map((m) => (m === 'see_photos' ? t.group.needSeePhotos : t.group.needDelete));
  }

  // ------------------------------------------------------------------------------------------
  // Private chats: every message gets an answer.

  const privateChat = bot.chatType('private');

  privateChat.on('message', async (ctx) => {
    const msg = ctx.msg;
    const locale = toLocale(ctx.from.language_code);
    const t = toMessages(locale);
    const answer = { reply_parameters: { message_id: msg.message_id, allow_sending_without_reply: true } };
    const candidate = toMediaCandidate(msg);
    switch (candidate.kind) {
      case 'none':
        await ctx.reply(t.textHint);
        return;
      case 'refused':
        await ctx.reply(t.refused(candidate.reason), answer);
        return;
      case 'too_big':
        await ctx.reply(t.tooBig(toMegabytes(candidate.bytes)), answer);
        return;
      case 'image':
        break;
    }
    const log = logger.child({ chat: 'private', messageId: msg.message_id });
    ctx
      .replyWithChatAction('typing')
      .catch((e: unknown) => log.debug({ api: describeError(e) }, 'chat action failed'));
    const progress = await ctx.reply(t.checking, answer);
    const reply: TelegramReply = {
      platform: 'telegram',
      mode: 'dm',
      chatId: ctx.chat.id,
      messageId: msg.message_id,
      senderId: ctx.from.id,
      progressMessageId: progress.message_id,
      asFile: candidate.asFile,
      recompressed: candidate.recompressed,
      threshold: 'low',
    };
    let outcome;
    try {
      outcome = await scanService.submit(
        toIncomingPhoto(candidate, ctx.from.id, locale),
        toReplyAddress(reply),
        {
          recompressed: candidate.recompressed,
        },
      );
    } catch (e) {
      log.error({ err: e }, 'submit threw');
      outcome = { status: 'refused' as const, code: 'internal' as const };
    }
    if (outcome.status === 'queued') {
      log.info({ scanId: outcome.scanId, asFile: candidate.asFile }, 'scan queued');
      return;
    }
    log.info({ code: outcome.code }, 'scan refused');
    // Above the 20 MB a bot may download, say so in plain words; the declared size was too low to trust.
    const text = outcome.code === 'file_too_large' ? t.tooBigUnknownSize : renderError(outcome.code, locale);
    await editOrSend(ctx.chat.id, progress.message_id, escapeHtml(text));
  });

  // ------------------------------------------------------------------------------------------
  // Groups: auto-scan, silent unless something at or above the chat's threshold is found.

  bot.chatType(['group', 'supergroup']).on('message', async (ctx) => {
    const msg = ctx.msg;
    const candidate = toMediaCandidate(msg);
    if (candidate.kind !== 'image') return;
    const s = await settings.get(ctx.chat.id);
    if (s.mode === 'off') return;
    const senderId = ctx.from?.id ?? msg.sender_chat?.id ?? 0;
    const reply: TelegramReply = {
      platform: 'telegram',
      mode: s.mode,
      chatId: ctx.chat.id,
      messageId: msg.message_id,
      senderId,
      progressMessageId: null,
      asFile: candidate.asFile,
      recompressed: candidate.recompressed,
      threshold: s.threshold,
    };
    const outcome = await scanService.submit(
      toIncomingPhoto(candidate, senderId, s.locale),
      toReplyAddress(reply),
      {
        recompressed: candidate.recompressed,
      },
    );
    const log = logger.child({ chat: 'group', messageId: msg.message_id });
    if (outcome.status === 'queued') log.info({ scanId: outcome.scanId, mode: s.mode }, 'group scan queued');
    else log.info({ code: outcome.code }, 'group scan refused; nothing posted');
  });

  bot.catch((err) => {
    logger.error(
      { api: describeError(err.error), updateId: err.ctx.update.update_id },
      'update handler failed',
    );
  });

  // ------------------------------------------------------------------------------------------
  // Sending results

  async function editOrSend(chatId: number, messageId: number | null, html: string): Promise<void> {
    if (messageId !== null) {
      try {
        await api.editMessageText(chatId, messageId, html, {
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
        });
        return;
      } catch (e) {
        logger.warn({ api: describeError(e) }, 'could not edit the progress message; sending a new one');
      }
    }
    await api.sendMessage(chatId, html, { parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
  }

  async function tryDelete(chatId: number, messageId: number, what: string): Promise<boolean> {
    try {
      await api.deleteMessage(chatId, messageId);
      return true;
    } catch (e) {
      logger.warn({ api: describeError(e), what }, 'could not delete a message');
      return false;
    }
  }

  /** Uploads the sanitized copy; returns false (logged) when Telegram refuses it. */
  async function sendCopy(
    r: TelegramReply,
    result: Extract<ScanResult, { ok: true }>,
    bytes: Buffer,
    captionHtml: string,
    replyTo?: number,
  ): Promise<boolean> {
    const info = result.report.sanitized;
    const ext = FILE_EXT[info?.format ?? 'jpeg'] ?? 'jpg';
    const file = new InputFile(bytes, `preflight-clean.${ext}`);
    const copy: { bytes: number; width?: number; height?: number } = { bytes: bytes.length };
    if (info) Object.assign(copy, { width: info.width, height: info.height });
    const other = {
      caption: captionHtml,
      parse_mode: 'HTML' as const,
      ...(replyTo !== undefined
        ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } }
        : {}),
    };
    try {
      if (decideUploadKind(r.asFile, copy) === 'photo') await api.sendPhoto(r.chatId, file, other);
      else await api.sendDocument(r.chatId, file, { ...other, disable_content_type_detection: true });
      return true;
    } catch (e) {
      logger.warn({ api: describeError(e) }, 'could not upload the sanitized copy');
      return false;
    }
  }

  async function sendDmResult(
    r: TelegramReply,
    result: ScanResult,
    sanitized: Buffer | undefined,
  ): Promise<void> {
    const t = MESSAGES[result.locale];
    if (!result.ok) {
      await editOrSend(
        r.chatId,
        r.progressMessageId,
        escapeHtml(renderError(result.error.code, result.locale)),
      );
      return;
    }
    const view = toView(result);
    const notes: string[] = [];
    const sent = sanitized ? await sendCopy(r, result, sanitized, escapeHtml(t.copyCaption)) : false;
    // Without a copy in the report, renderReport already says so; here the upload (or the blob) failed.
    if (!sent && result.report.sanitized) notes.push(t.noCopy);
    // The original goes only once the answer (or at least the copy) is there.
    const deleted = await tryDelete(r.chatId, r.messageId, 'original');
    notes.push(deleted ? t.deleted : t.deleteFailed);
    await editOrSend(r.chatId, r.progressMessageId, renderReplyHtml(view, { notes }));
  }

  async function toMentionLabel(chatId: number, userId: number, t: TelegramMessages): Promise<string> {
    try {
      const member = await api.getChatMember(chatId, userId);
      return member.user.first_name || t.group.someone;
    } catch {
      return t.group.someone;
    }
  }

  async function sendGroupResult(
    r: TelegramReply,
    result: ScanResult,
    sanitized: Buffer | undefined,
  ): Promise<void> {
    if (!result.ok) {
      logger.info({ code: result.error.code }, 'group scan failed; nothing posted');
      return;
    }
    if (decideGroupReply(result.report, r.threshold) === 'silent') return;
    const t = MESSAGES[result.locale];
    const view = toView(result);
    const warn = async (notes: string[]): Promise<void> => {
      const html = renderReplyHtml(view, { prefixHtml: escapeHtml(t.group.warnIntro), notes });
      await api.sendMessage(r.chatId, html, {
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        reply_parameters: { message_id: r.messageId, allow_sending_without_reply: true },
      });
    };
    if (r.mode === 'warn') {
      await warn([]);
      return;
    }
    // replace: the original must go first; without the right, warn instead of posting a duplicate.
    if (!(await tryDelete(r.chatId, r.messageId, 'group original'))) {
      await warn([t.group.cannotDelete]);
      return;
    }
    const mention = renderMention(r.senderId, await toMentionLabel(r.chatId, r.senderId, t));
    const prefixHtml = t.group.replaced('\u0000').split('\u0000').map(escapeHtml).join(mention);
    if (sanitized) {
      const caption = renderReplyHtml(view, { prefixHtml, limit: TELEGRAM_CAPTION_LIMIT });
      if (await sendCopy(r, result, sanitized, caption)) return;
    }
    await api.sendMessage(r.chatId, renderReplyHtml(view, { prefixHtml, notes: [t.noCopy] }), {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
    });
  }

  /** The report in the user's language, naming Telegram where the generic text says "the app". */
  function toView(result: Extract<ScanResult, { ok: true }>): ReplyView {
    const view = renderReport(result.report, result.locale);
    const generic = messagesFor(result.locale).recompressed;
    const specific = MESSAGES[result.locale].recompressed;
    return { ...view, notChecked: view.notChecked.map((l) => (l === generic ? specific : l)) };
  }

  const sendResult: ResultSender = async (result, sanitized) => {
    let r: TelegramReply;
    try {
      r = parseTelegramReply(result.reply);
    } catch {
      logger.error(
        { scanId: result.scanId },
        'result has a reply address this adapter did not write; dropped',
      );
      return;
    }
    const log = logger.child({ scanId: result.scanId, mode: r.mode });
    try {
      if (r.mode === 'dm') await sendDmResult(r, result, sanitized);
      else await sendGroupResult(r, result, sanitized);
      log.info({ ok: result.ok }, 'result sent');
    } catch (e) {
      log.warn({ api: describeError(e) }, 'sending the result failed');
      throw new Error(`Telegram refused the reply: ${JSON.stringify(describeError(e))}`);
    }
  };

  // ------------------------------------------------------------------------------------------
  // Lifecycle

  async function registerCommands(): Promise<void> {
    for (const locale of ['en', 'fr'] as const) {
      const c = MESSAGES[locale].commands;
      const language = locale === 'fr' ? { language_code: 'fr' as const } : {};
      const common = [
        { command: 'help', description: c.help },
        { command: 'privacy', description: c.privacy },
      ];
      await api.setMyCommands([{ command: 'start', description: c.start }, ...common], {
        scope: { type: 'all_private_chats' },
        ...language,
      });
      await api.setMyCommands([{ command: 'autoscan', description: c.autoscan }, ...common], {
        scope: { type: 'all_group_chats' },
        ...language,
      });
    }
  }

  const allowedUpdates = ['message'] as const;

  return {
    sendResult,
    async start() {
      await bot.init();
      logger.info({ username: bot.botInfo.username, webhook: !!config.webhookUrl }, 'telegram bot starting');
      await registerCommands().catch((e: unknown) =>
        logger.warn({ api: describeError(e) }, 'could not register the command list'),
      );
      if (config.webhookUrl) {
        const secret = randomBytes(24).toString('hex');
        const path = new URL(config.webhookUrl).pathname;
        const handle = webhookCallback(bot, 'http', {
          secretToken: secret,
          onTimeout: 'return',
          timeoutMilliseconds: 8000,
        });
        webhookServer = createServer((req, res) => {
          if (req.method === 'POST' && req.url === path) {
            handle(req, res).catch((e: unknown) =>
              logger.warn({ api: describeError(e) }, 'webhook request failed'),
            );
          } else {
            res.writeHead(404).end();
          }
        });
        await new Promise<void>((resolve) => webhookServer?.listen(config.webhookPort, resolve));
        await api.setWebhook(config.webhookUrl, {
          secret_token: secret,
          allowed_updates: [...allowedUpdates],
        });
        return;
      }
      await api.deleteWebhook();
      runner = run(bot, { runner: { fetch: { allowed_updates: [...allowedUpdates] } } });
    },
    async stop() {
      if (runner?.isRunning()) await runner.stop();
      runner = undefined;
      if (webhookServer) {
        const server = webhookServer;
        webhookServer = undefined;
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      logger.info('telegram bot stopped');
    },
  };
}
