// Slash and context-menu commands: /check (one attachment), "Check photo" (a message's images), and
// /autoscan, answered ephemerally once every photo has an outcome.
import {
  MessageFlags,
  type Attachment,
  type ChatInputCommandInteraction,
  type Interaction,
  type MessageContextMenuCommandInteraction,
} from 'discord.js';
import { renderError, toLocale } from '../../render.ts';
import type { Locale } from '../../types.ts';
import { configureAutoscan } from './auto-scan.ts';
import { DEFAULT_UPLOAD_LIMIT, type DiscordParts } from './client.ts';
import { handleChoiceButton, handleSettingsCommand, toScanOptions } from './choices.ts';
import { AUTOSCAN_COMMAND, CHECK_COMMAND, CHECK_PHOTO_COMMAND, SETTINGS_COMMAND } from './commands.ts';
import { isImageAttachment } from './download.ts';
import { discordMessages } from './messages.ts';

/** The InteractionCreate handler: dispatches the three commands; a failure is answered, not thrown. */
export function createInteractionHandler(parts: DiscordParts): (i: Interaction) => Promise<void> {
  const { logger, pending, locales } = parts;

  async function checkForInteraction(
    i: ChatInputCommandInteraction | MessageContextMenuCommandInteraction,
    attachments: Attachment[],
    locale: Locale,
    targetMessageId: string | null,
  ): Promise<void> {
    const m = discordMessages(locale);
    if (attachments.length === 0) {
      await i.editReply({ content: m.noImage });
      return;
    }
    const group = pending.open(
      {
        kind: 'interaction',
        locale,
        channelId: i.channelId,
        messageId: targetMessageId,
        authorId: i.user.id,
        guildId: i.guildId ?? null,
        mode: null,
        uploadLimit: i.attachmentSizeLimit ?? DEFAULT_UPLOAD_LIMIT,
        interaction: i,
        hadText: false,
      },
      attachments.length,
    );
    group.scanOptions = await toScanOptions(parts, i.user.id, attachments.length);
    const total = attachments.length;
    await pending.submitAll(group, attachments);
    if (pending.isComplete(group)) {
      await pending.maybeFinalize(group);
      return;
    }
    if (total > 1 && !group.finalizing) {
      await i.editReply({ content: m.checking(total) }).catch((e: unknown) => {
        logger.warn({ err: e }, 'could not show progress');
      });
    }
  }

  async function handleCheck(i: ChatInputCommandInteraction): Promise<void> {
    const locale = toLocale(i.locale);
    locales.remember(i.user.id, locale);
    await i.deferReply({ flags: MessageFlags.Ephemeral });
    const att = i.options.getAttachment('image');
    await checkForInteraction(i, att ? [att] : [], locale, null);
  }

  async function handleCheckPhoto(i: MessageContextMenuCommandInteraction): Promise<void> {
    const locale = toLocale(i.locale);
    locales.remember(i.user.id, locale);
    await i.deferReply({ flags: MessageFlags.Ephemeral });
    const images = [...i.targetMessage.attachments.values()].filter(isImageAttachment);
    await checkForInteraction(i, images, locale, i.targetId);
  }

  return async (i) => {
    if (i.isButton()) {
      if (parts.choices) await handleChoiceButton(parts.choices, i);
      return;
    }
    if (!i.isCommand()) return;
    logger.debug({ command: i.commandName, guild: i.guildId !== null }, 'interaction');
    try {
      if (i.isChatInputCommand() && i.commandName === CHECK_COMMAND) await handleCheck(i);
      else if (i.isChatInputCommand() && i.commandName === AUTOSCAN_COMMAND)
        await configureAutoscan(parts, i);
      else if (i.isChatInputCommand() && i.commandName === SETTINGS_COMMAND && parts.choices)
        await handleSettingsCommand(parts.choices, i);
      else if (i.isMessageContextMenuCommand() && i.commandName === CHECK_PHOTO_COMMAND)
        await handleCheckPhoto(i);
    } catch (e) {
      logger.error({ err: e, command: i.commandName }, 'command failed');
      const content = renderError('internal', toLocale(i.locale));
      if (i.deferred || i.replied)
        await i.editReply({ content, embeds: [], files: [] }).catch(() => undefined);
      else await i.reply({ content, flags: MessageFlags.Ephemeral }).catch(() => undefined);
    }
  };
}
