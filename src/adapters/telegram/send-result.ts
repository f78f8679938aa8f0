// Sending results: the private-chat answer (copy, then delete the original, then the report in place of
// "Checking…") and the group answer (warn, or replace the original), with the sanitized copy uploaded.
import { InputFile, type Api } from 'grammy';
import type { Logger } from '../../log.ts';
import type { ResultSender } from '../../queue/results.ts';
import { decideGroupReply } from '../../risk.ts';
import { messagesFor, renderError, renderReport, type ReplyView } from '../../render.ts';
import type { ScanResult } from '../../types.ts';
import { describeError } from './api-error.ts';
import {
  decideUploadKind,
  parseTelegramReply,
  TELEGRAM_CAPTION_LIMIT,
  type TelegramReply,
} from './mapping.ts';
import { MESSAGES, type TelegramMessages } from './messages.ts';
import { escapeHtml, renderMention, renderReplyHtml } from './render-html.ts';

/** The Bot API client and the logger the senders use. */
export interface SendKit {
  api: Api;
  logger: Logger;
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

/** Uploads the sanitized copy; returns false (logged) when Telegram refuses it. */
async function sendCopy(
  { api, logger }: SendKit,
  r: TelegramReply,
  result: OkResult,
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
): Promise<void> {
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
  const sent = sanitized ? await sendCopy(kit, r, result, sanitized, escapeHtml(t.copyCaption)) : false;
  // Without a copy in the report, renderReport already says so; here the upload (or the blob) failed.
  if (!sent && result.report.sanitized) notes.push(t.noCopy);
  // The original goes only once the answer (or at least the copy) is there.
  const deleted = await tryDelete(kit, r.chatId, r.messageId, 'original');
  notes.push(deleted ? t.deleted : t.deleteFailed);
  await editOrSend(kit, r.chatId, r.progressMessageId, renderReplyHtml(view, { notes }));
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
): Promise<void> {
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
    return;
  }
  // replace: the original must go first; without the right, warn instead of posting a duplicate.
  if (!(await tryDelete(kit, r.chatId, r.messageId, 'group original'))) {
    await warn([t.group.cannotDelete]);
    return;
  }
  const mention = renderMention(r.senderId, await toMentionLabel(api, r.chatId, r.senderId, t));
  const prefixHtml = t.group.replaced('\u0000').split('\u0000').map(escapeHtml).join(mention);
  if (sanitized) {
    const caption = renderReplyHtml(view, { prefixHtml, limit: TELEGRAM_CAPTION_LIMIT });
    if (await sendCopy(kit, r, result, sanitized, caption)) return;
  }
  await api.sendMessage(r.chatId, renderReplyHtml(view, { prefixHtml, notes: [t.noCopy] }), {
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
  });
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
      if (r.mode === 'dm') await sendDmResult(kit, r, result, sanitized);
      else await sendGroupResult(kit, r, result, sanitized);
      log.info({ ok: result.ok }, 'result sent');
    } catch (e) {
      log.warn({ api: describeError(e) }, 'sending the result failed');
      throw new Error(`Telegram refused the reply: ${JSON.stringify(describeError(e))}`);
    }
  };
}
