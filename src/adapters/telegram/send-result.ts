// Sending results: the private-chat answer (copy, then delete the original, then the report in place of
// "Checking…") and the group answer (warn, or replace the original), with the sanitized copy uploaded.
import { InputFile, type Api } from 'grammy';
import type { Message } from 'grammy/types';
import type { Logger } from '../../log.ts';
import type { DeliveryReceipt, ResultSender } from '../../queue/results.ts';
import { decideGroupReply } from '../../risk.ts';
import { messagesFor, renderError, renderReport, type ReplyView } from '../../render.ts';
import type { ScanResult } from '../../types.ts';
import { describeError } from './api-error.ts';
import type { ChoiceKit } from '../../choices/kit.ts';
import { planChoices, type ChoiceOffer } from './choices.ts';
import {
  decideUploadKind,
  parseTelegramReply,
  TELEGRAM_CAPTION_LIMIT,
  type TelegramReply,
} from './mapping.ts';
import { MESSAGES, type TelegramMessages } from './messages.ts';
import { escapeHtml, renderMention, renderReplyHtml } from './render-html.ts';

/** The Bot API client and the logger the senders use, and the face choices when offered. */
export interface SendKit {
  api: Api;
  logger: Logger;
  choices?: ChoiceKit | undefined;
}

type OkResult = Extract<ScanResult, { ok: true }>;

const FILE_EXT: Record<string, string> = {
  jpeg: 'jpg',
  png: 'png',
  webp: 'webp',
  gif: 'gif',
  tiff: 'tif',
  avif: 'avif',
  heif: 'heic',
};

/** Turns the progress message into `html`, or sends it as a new message when there is none or editing fails. */
export async function editOrSend(
  { api, logger }: SendKit,
  chatId: number,
  messageId: number | null,
  html: string,
): Promise<void> {
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

async function tryDelete(
  { api, logger }: SendKit,
  chatId: number,
  messageId: number,
  what: string,
): Promise<boolean> {
  try {
    await api.deleteMessage(chatId, messageId);
    return true;
  } catch (e) {
    logger.warn({ api: describeError(e), what }, 'could not delete a message');
    return false;
  }
}

/**
 * Uploads the sanitized copy to `chatId` (the reply's chat unless given), with the choices' buttons
 * when offered; returns undefined (logged) when Telegram refuses it, else the posted message and
 * the receipt of the choices it recorded.
 */
async function sendCopy(
  { api, logger }: SendKit,
  r: TelegramReply,
  result: OkResult,
  bytes: Buffer,
  captionHtml: string,
  opts: { replyTo?: number; chatId?: number; offer?: ChoiceOffer | undefined } = {},
): Promise<{ receipt?: DeliveryReceipt } | undefined> {
  const info = result.report.sanitized;
  const ext = FILE_EXT[info?.format ?? 'jpeg'] ?? 'jpg';
  const file = new InputFile(bytes, `preflight-clean.${ext}`);
  const copy: { bytes: number; width?: number; height?: number } = { bytes: bytes.length };
  if (info) Object.assign(copy, { width: info.width, height: info.height });
  const chatId = opts.chatId ?? r.chatId;
  const other = {
    caption: captionHtml,
    parse_mode: 'HTML' as const,
    ...(opts.replyTo !== undefined
      ? { reply_parameters: { message_id: opts.replyTo, allow_sending_without_reply: true } }
      : {}),
    ...(opts.offer ? { reply_markup: opts.offer.keyboard } : {}),
  };
  const document = decideUploadKind(r.asFile, copy) !== 'photo';
  let message: Message;
  try {
    message = document
      ? await api.sendDocument(chatId, file, { ...other, disable_content_type_detection: true })
      : await api.sendPhoto(chatId, file, other);
  } catch (e) {
    logger.warn({ api: describeError(e) }, 'could not upload the sanitized copy');
    return undefined;
  }
  if (!opts.offer) return {};
  try {
    return { receipt: await opts.offer.commit(chatId, message, { document, ext }) };
  } catch (e) {
    logger.warn({ err: e }, "could not record the copy's choices; its buttons will say expired");
    return {};
  }
}

/** The report in the user's language, naming Telegram where the generic text says "the app". */
function toView(result: OkResult): ReplyView {
  const view = renderReport(result.report, result.locale);
  const generic = messagesFor(result.locale).recompressed;
  const specific = MESSAGES[result.locale].recompressed;
  return { ...view, notChecked: view.notChecked.map((l) => (l === generic ? specific : l)) };
}

async function sendDmResult(
  kit: SendKit,
  r: TelegramReply,
  result: ScanResult,
  sanitized: Buffer | undefined,
): Promise<DeliveryReceipt | undefined> {
  const t = MESSAGES[result.locale];
  if (!result.ok) {
    await editOrSend(
      kit,
      r.chatId,
      r.progressMessageId,
      escapeHtml(renderError(result.error.code, result.locale)),
    );
    return;
  }
  const view = toView(result);
  const notes: string[] = [];
  const offer = planChoices(kit.choices, result, r.senderId);
  const caption = [t.copyCaption, offer?.caption ?? ''].filter(Boolean).join('\n');
  const sent = sanitized
    ? await sendCopy(kit, r, result, sanitized, escapeHtml(caption), { offer })
    : undefined;
  // Without a copy in the report, renderReport already says so; here the upload (or the blob) failed.
  if (!sent && result.report.sanitized) notes.push(t.noCopy);
  if (sent?.receipt) notes.push(messagesFor(result.locale).choices.hint);
  // The original goes only once the answer (or at least the copy) is there.
  const deleted = await tryDelete(kit, r.chatId, r.messageId, 'original');
  notes.push(deleted ? t.deleted : t.deleteFailed);
  await editOrSend(kit, r.chatId, r.progressMessageId, renderReplyHtml(view, { notes }));
  return sent?.receipt;
}

async function toMentionLabel(
  api: Api,
  chatId: number,
  userId: number,
  t: TelegramMessages,
): Promise<string> {
  try {
    const member = await api.getChatMember(chatId, userId);
    return member.user.first_name || t.group.someone;
  } catch {
    return t.group.someone;
  }
}

async function sendGroupResult(
  kit: SendKit,
  r: TelegramReply,
  result: ScanResult,
  sanitized: Buffer | undefined,
): Promise<DeliveryReceipt | undefined> {
  const { api, logger } = kit;
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
    return undefined;
  }
  // replace: the original must go first; without the right, warn instead of posting a duplicate.
  if (!(await tryDelete(kit, r.chatId, r.messageId, 'group original'))) {
    await warn([t.group.cannotDelete]);
    return undefined;
  }
  const mention = renderMention(r.senderId, await toMentionLabel(api, r.chatId, r.senderId, t));
  const prefixHtml = t.group.replaced('\u0000').split('\u0000').map(escapeHtml).join(mention);
  if (sanitized) {
    const caption = renderReplyHtml(view, { prefixHtml, limit: TELEGRAM_CAPTION_LIMIT });
    if (await sendCopy(kit, r, result, sanitized, caption)) return offerPrivately(kit, r, result, sanitized);
  }
  await api.sendMessage(r.chatId, renderReplyHtml(view, { prefixHtml, notes: [t.noCopy] }), {
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
  });
  return undefined;
}

/**
 * After a group copy (always all faces pixelated), the author gets the choices in their private
 * chat, if they have started the bot: Telegram refuses a bot's first message otherwise (logged).
 */
async function offerPrivately(
  kit: SendKit,
  r: TelegramReply,
  result: OkResult,
  sanitized: Buffer,
): Promise<DeliveryReceipt | undefined> {
  if (r.senderId <= 0) return undefined; // sent on behalf of a chat: nobody to write to
  const offer = planChoices(kit.choices, result, r.senderId);
  if (!offer) return undefined;
  const caption = [messagesFor(result.locale).choices.groupPrivate, offer.caption].filter(Boolean).join('\n');
  const sent = await sendCopy(kit, r, result, sanitized, escapeHtml(caption), { chatId: r.senderId, offer });
  return sent?.receipt;
}

/** The sender the results dispatcher calls: reads the reply address this adapter wrote and answers. */
export function createResultSender(kit: SendKit): ResultSender {
  const { logger } = kit;
  return async (result, sanitized) => {
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
      const receipt =
        r.mode === 'dm'
          ? await sendDmResult(kit, r, result, sanitized)
          : await sendGroupResult(kit, r, result, sanitized);
      log.info({ ok: result.ok, choices: receipt !== undefined }, 'result sent');
      return receipt;
    } catch (e) {
      log.warn({ api: describeError(e) }, 'sending the result failed');
      throw new Error(`Telegram refused the reply: ${JSON.stringify(describeError(e))}`);
    }
  };
}
