// Private chats: every message gets an answer, a photo or image file a "Checking…" message and a scan.
import { renderError } from '../../render.ts';
import { describeError } from './api-error.ts';
import type { TelegramParts } from './bot.ts';
import { ownerOf } from './choices.ts';
import { toIncomingPhoto } from './incoming-photo.ts';
import { toLocale, toMediaCandidate, toMegabytes, toReplyAddress, type TelegramReply } from './mapping.ts';
import { toMessages } from './messages.ts';
import { escapeHtml } from './render-html.ts';
import { editOrSend } from './send-result.ts';

/** Registers the private-chat handler: hints, refusals, or a queued scan answered in place later. */
export function registerDirectMessages(parts: TelegramParts): void {
  const { bot, api, config, logger, scanService } = parts;
  bot.chatType('private').on('message', async (ctx) => {
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
      // The user's default face choice, and the other choices' copies for the buttons.
      const extras = parts.choices
        ? {
            faces: await parts.choices.users.defaultFaces(ownerOf(parts.choices, ctx.from.id)),
            variants: true,
            preview: true,
          }
        : {};
      outcome = await scanService.submit(
        toIncomingPhoto(api, config, candidate, ctx.from.id, locale),
        toReplyAddress(reply),
        { recompressed: candidate.recompressed, ...extras },
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
    await editOrSend(parts, ctx.chat.id, progress.message_id, escapeHtml(text));
  });
}
