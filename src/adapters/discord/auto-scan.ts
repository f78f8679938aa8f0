// Servers: the /autoscan command (managers choose the mode, per server or per channel) and the
// auto-scan of every image posted where it is on.
import {
  MessageFlags,
  PermissionFlagsBits,
  type ChatInputCommandInteraction,
  type Message,
  type PermissionsBitField,
} from 'discord.js';
import { renderError, toLocale } from '../../render.ts';
import { DEFAULT_UPLOAD_LIMIT, type DiscordParts } from './client.ts';
import { isImageAttachment } from './download.ts';
import { discordMessages } from './messages.ts';
import {
  decideAutoscanMode,
  decideMissingRequirements,
  isAutoscanMode,
  toUpdatedSettings,
} from './settings.ts';

/** /autoscan: checks the caller's and the bot's permissions, then saves the mode. */
export async function configureAutoscan(parts: DiscordParts, i: ChatInputCommandInteraction): Promise<void> {
  const { config, settings } = parts;
  const locale = toLocale(i.locale);
  const m = discordMessages(locale);
  await i.deferReply({ flags: MessageFlags.Ephemeral });
  if (!i.inGuild()) {
    await i.editReply({ content: m.serverOnly });
    return;
  }
  if (!i.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
    await i.editReply({ content: m.needManageGuild });
    return;
  }
  const mode = i.options.getString('mode', true);
  if (!isAutoscanMode(mode)) {
    await i.editReply({ content: renderError('internal', locale) });
    return;
  }
  const channel = i.options.getChannel('channel');
  if (mode !== 'off') {
    const me = i.guild?.members.me ?? null;
    const perms: PermissionsBitField =
      (channel ? me?.permissionsIn(channel.id) : me?.permissions) ?? i.appPermissions;
    const missing = decideMissingRequirements(mode, perms, config.autoscan);
    if (missing.length > 0) {
      await i.editReply({ content: m.autoscanNotChanged(missing.map((x) => m.missing[x])) });
      return;
    }
  }
  const current = await settings.get(i.guildId);
  await settings.set(i.guildId, toUpdatedSettings(current, mode, channel?.id));
  await i.editReply({ content: m.autoscanSaved(mode, channel ? `<#${channel.id}>` : undefined) });
}

/** A server message: when auto-scan is on for its channel (or thread's parent), scans its images. */
export async function scanGuildMessage(parts: DiscordParts, msg: Message<true>): Promise<void> {
  const { settings, pending } = parts;
  const images = [...msg.attachments.values()].filter(isImageAttachment);
  if (images.length === 0) return;
  const parentId = msg.channel.isThread() ? msg.channel.parentId : null;
  const mode = decideAutoscanMode(await settings.get(msg.guildId), msg.channelId, parentId);
  if (mode === 'off') return;
  const locale = toLocale(msg.guild.preferredLocale);
  const group = pending.open(
    {
      kind: 'autoscan',
      locale,
      channelId: msg.channelId,
      messageId: msg.id,
      authorId: msg.author.id,
      guildId: msg.guildId,
      mode,
      uploadLimit: DEFAULT_UPLOAD_LIMIT,
      hadText: msg.content.trim().length > 0,
    },
    images.length,
  );
  // replace posts all faces pixelated; the author may get the other copies by DM (one photo only).
  if (mode === 'replace' && parts.choices && images.length === 1)
    group.scanOptions = { variants: true, preview: true };
  await pending.submitAll(group, images);
  await pending.maybeFinalize(group);
}
