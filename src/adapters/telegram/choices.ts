// The face choices and "Show where" under a copy (inline keyboard, callback queries, the copy swapped
// with editMessageMedia), and /settings: the user's default face choice.
import { InlineKeyboard, InputFile, type Context } from 'grammy';
import type { Message } from 'grammy/types';
import {
  decideChoiceButtons,
  decideSettingsButtons,
  parseChoiceData,
  parseSettingsData,
  type ChoiceButton,
} from '../../choices/buttons.ts';
import type { ChoiceRecord } from '../../choices/choice-store.ts';
import type { ChoiceKit } from '../../choices/kit.ts';
import { planOffer } from '../../choices/offer.ts';
import { hashUserId } from '../../choices/user-settings.ts';
import { decideTap, renderVariantCaption } from '../../choices/variant-report.ts';
import type { DeliveryReceipt } from '../../queue/results.ts';
import { messagesFor } from '../../render.ts';
import type { FacesMode, ScanResult } from '../../types.ts';
import type { TelegramParts } from './bot.ts';
import { toLocale } from './mapping.ts';
import { escapeHtml } from './render-html.ts';

/** The buttons as an inline keyboard, two a row. */
export function toKeyboard(buttons: readonly ChoiceButton[]): InlineKeyboard {
  const k = new InlineKeyboard();
  buttons.forEach((b, i) => {
    k.text(b.label, b.data);
    if (i % 2 === 1) k.row();
  });
  return k;
}

/** The hashed id of a Telegram user. */
export function ownerOf(kit: ChoiceKit, userId: number): string {
  return hashUserId(kit.userSecret, 'telegram', userId);
}

/** A copy's choices, ready to post: its caption line, its keyboard, and `commit` once it is posted. */
export interface ChoiceOffer {
  caption: string;
  keyboard: InlineKeyboard;
  /** Records the posted message; the receipt tells the dispatcher which blobs to keep. */
  commit(
    chatId: number,
    message: Message,
    upload: { document: boolean; ext: string },
  ): Promise<DeliveryReceipt>;
}

/** The offer for a result sent to the user `ownerId`, or undefined when there is nothing to choose. */
export function planChoices(
  kit: ChoiceKit | undefined,
  result: ScanResult,
  ownerId: number,
): ChoiceOffer | undefined {
  const offer = kit && planOffer(kit, result, ownerOf(kit, ownerId));
  if (!offer) return undefined;
  return {
    caption: offer.caption,
    keyboard: toKeyboard(offer.buttons),
    commit: (chatId, message, upload) =>
      offer.commit({ chatId, messageId: message.message_id, doc: upload.document, ext: upload.ext }),
  };
}

/** Registers the callback-query handler (copy buttons, /settings buttons) and the /settings command. */
export function registerChoiceHandlers(parts: TelegramParts, kit: ChoiceKit): void {
  const { bot, api, logger } = parts;

  bot.chatType('private').command('settings', async (ctx) => {
    const m = messagesFor(toLocale(ctx.from.language_code));
    const current = await kit.users.defaultFaces(ownerOf(kit, ctx.from.id));
    await ctx.reply(m.choices.settingsIntro(m.choices.button[current]), {
      reply_markup: toKeyboard(decideSettingsButtons(current, m)),
    });
  });

  bot.on('callback_query:data', async (ctx) => {
    const data = ctx.callbackQuery.data;
    const m = messagesFor(toLocale(ctx.from.language_code));
    const faces = parseSettingsData(data);
    if (faces) {
      await kit.users.setDefaultFaces(ownerOf(kit, ctx.from.id), faces);
      await ctx.answerCallbackQuery();
      await ctx.editMessageText(m.choices.settingsSaved(m.choices.button[faces]), {
        reply_markup: toKeyboard(decideSettingsButtons(faces, m)),
      });
      return;
    }
    const tap = parseChoiceData(data);
    if (!tap) {
      await ctx.answerCallbackQuery();
      return;
    }
    const record = await kit.store.get(tap.scanId);
    const decision = decideTap(record, ownerOf(kit, ctx.from.id), tap.choice);
    const log = logger.child({ scanId: tap.scanId, choice: tap.choice });
    const expired = async (): Promise<void> => {
      kit.metrics?.choiceExpired();
      log.info('choice tapped after expiry');
      await ctx.answerCallbackQuery({ text: m.choices.expired, show_alert: true });
    };
    switch (decision.kind) {
      case 'expired':
        return expired();
      case 'refused':
        kit.metrics?.choiceTaken('refused');
        log.info('choice tapped by someone else; refused');
        await ctx.answerCallbackQuery({ text: m.choices.notYours, show_alert: true });
        return;
      case 'unchanged':
        await ctx.answerCallbackQuery();
        return;
      case 'where':
      case 'swap': {
        const bytes = await kit.blobs.get(decision.blobKey);
        if (!bytes || !record) return expired();
        const chatId = Number(record.ref['chatId']);
        const messageId = Number(record.ref['messageId']);
        if (decision.kind === 'where') {
          await api.sendPhoto(chatId, new InputFile(bytes, 'preflight-where.jpg'), {
            caption: messagesFor(record.locale).choices.whereCaption,
            reply_parameters: { message_id: messageId, allow_sending_without_reply: true },
          });
        } else await swapCopy(ctx, kit, tap.scanId, record, decision.faces, bytes);
        kit.metrics?.choiceTaken(decision.kind === 'where' ? 'where' : decision.faces);
        log.info('choice taken');
        await ctx.answerCallbackQuery();
        return;
      }
    }
  });
}

/** Replaces the posted copy by the chosen variant, with its caption and the buttons for the others. */
async function swapCopy(
  ctx: Context,
  kit: ChoiceKit,
  scanId: string,
  record: ChoiceRecord,
  faces: FacesMode,
  bytes: Buffer,
): Promise<void> {
  const m = messagesFor(record.locale);
  const next: ChoiceRecord = { ...record, current: faces };
  const caption = escapeHtml(renderVariantCaption(record, faces, m));
  const doc = record.ref['doc'] === true;
  const ext = typeof record.ref['ext'] === 'string' ? record.ref['ext'] : 'jpg';
  await ctx.api.editMessageMedia(
    Number(record.ref['chatId']),
    Number(record.ref['messageId']),
    {
      type: doc ? 'document' : 'photo',
      media: new InputFile(bytes, `preflight-clean.${ext}`),
      caption,
      parse_mode: 'HTML',
    },
    { reply_markup: toKeyboard(decideChoiceButtons(scanId, next, m)) },
  );
  await kit.store.setCurrent(scanId, faces);
}
