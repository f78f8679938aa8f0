// Application command definitions (English names, French localizations), registered by
// deploy-commands.ts with one REST PUT — never at every start.
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord.js';

export const CHECK_COMMAND = 'check';
export const CHECK_PHOTO_COMMAND = 'Check photo';
export const AUTOSCAN_COMMAND = 'autoscan';
export const SETTINGS_COMMAND = 'settings';

/** The slash and message commands, in English with French localizations, as Discord registers them. */
export function toCommandDefinitions(): RESTPutAPIApplicationCommandsJSONBody {
  return [
    {
      type: ApplicationCommandType.ChatInput,
      name: CHECK_COMMAND,
      name_localizations: { fr: 'vérifier' },
      description: 'Check a photo for what it gives away, and get a cleaned copy (only you see the answer).',
      description_localizations: {
        fr: 'Vérifie ce qu’une photo révèle et donne une copie nettoyée (vous seul voyez la réponse).',
      },
      contexts: [
        InteractionContextType.Guild,
        InteractionContextType.BotDM,
        InteractionContextType.PrivateChannel,
      ],
      options: [
        {
          type: ApplicationCommandOptionType.Attachment,
          name: 'image',
          name_localizations: { fr: 'image' },
          description: 'The photo to check',
          description_localizations: { fr: 'La photo à vérifier' },
          required: true,
        },
      ],
    },
    {
      type: ApplicationCommandType.Message,
      name: CHECK_PHOTO_COMMAND,
      name_localizations: { fr: 'Vérifier la photo' },
      contexts: [
        InteractionContextType.Guild,
        InteractionContextType.BotDM,
        InteractionContextType.PrivateChannel,
      ],
    },
    {
      type: ApplicationCommandType.ChatInput,
      name: AUTOSCAN_COMMAND,
      name_localizations: { fr: 'analyse-auto' },
      description: 'Check photos posted in this server automatically (Manage Server only).',
      description_localizations: {
        fr: 'Vérifie automatiquement les photos publiées sur ce serveur (Gérer le serveur uniquement).',
      },
      default_member_permissions: String(PermissionFlagsBits.ManageGuild),
      contexts: [InteractionContextType.Guild],
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'mode',
          name_localizations: { fr: 'mode' },
          description: 'off, warn (reply to risky photos) or replace (delete them and post a cleaned copy)',
          description_localizations: {
            fr: 'désactivé, avertir (répondre) ou remplacer (supprimer et publier une copie nettoyée)',
          },
          required: true,
          choices: [
            { name: 'off', name_localizations: { fr: 'désactivé' }, value: 'off' },
            { name: 'warn', name_localizations: { fr: 'avertir' }, value: 'warn' },
            { name: 'replace', name_localizations: { fr: 'remplacer' }, value: 'replace' },
          ],
        },
        {
          type: ApplicationCommandOptionType.Channel,
          name: 'channel',
          name_localizations: { fr: 'salon' },
          description: 'Only this channel (default: the whole server)',
          description_localizations: { fr: 'Seulement ce salon (par défaut : tout le serveur)' },
          channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildForum],
          required: false,
        },
      ],
    },
    {
      type: ApplicationCommandType.ChatInput,
      name: SETTINGS_COMMAND,
      name_localizations: { fr: 'réglages' },
      description: 'Which faces your cleaned copies keep by default (only you see it).',
      description_localizations: {
        fr: 'Les visages que vos copies nettoyées gardent par défaut (vous seul le voyez).',
      },
      contexts: [
        InteractionContextType.Guild,
        InteractionContextType.BotDM,
        InteractionContextType.PrivateChannel,
      ],
    },
  ];
}
