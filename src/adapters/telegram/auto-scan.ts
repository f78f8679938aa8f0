// Groups: the /autoscan command (admins choose the mode and threshold) and the auto-scan of every photo
// posted while it is on, silent unless the result is worth answering.
import { GrammyError, HttpError, type Context } from 'grammy';
import type { Message } from 'grammy/types';
import { renderError } from '../../render.ts';
import type { Locale } from '../../types.ts';
import { describeError } from './api-error.ts';
import type { TelegramParts } from './bot.ts';
import { toIncomingPhoto } from './incoming-photo.ts';
import {
  decideMissingRights,
  isAnonymousAdmin,
  parseAutoScanArgs,
  toLocale,
  toMediaCandidate,
  toReplyAddress,
  type TelegramReply,
} from './mapping.ts';
import { toMessages, type AutoScanMode, type TelegramMessages } from './messages.ts';
import type { ChatSettings } from './settings.ts';

const ADMIN_STATUSES = new Set(['creator', 'administrator']);

/** Registers /autoscan: shows the chat's settings to anyone, changes them for admins only. */
export function registerAutoScanCommand(parts: TelegramParts): void {
  const { bot, api, logger, settings } = parts;

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
}

/** Registers the group photo handler: queues a scan of each image while auto-scan is on. */
export function registerGroupAutoScan(parts: TelegramParts): void {
  const { bot, api, config, logger, settings, scanService } = parts;
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
      toIncomingPhoto(api, config, candidate, senderId, s.locale),
      toReplyAddress(reply),
      // replace posts all faces pixelated; the author may get the other copies privately.
      {
        recompressed: candidate.recompressed,
        ...(s.mode === 'replace' && parts.choices ? { variants: true, preview: true } : {}),
      },
    );
    const log = logger.child({ chat: 'group', messageId: msg.message_id });
    if (outcome.status === 'queued') log.info({ scanId: outcome.scanId, mode: s.mode }, 'group scan queued');
    else log.info({ code: outcome.code }, 'group scan refused; nothing posted');
  });
}
