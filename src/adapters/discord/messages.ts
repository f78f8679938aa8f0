// Sentences only the Discord bot says. The report itself and the refusals come from src/render.ts.
import type { Locale } from '../../types.ts';

export type AutoscanMode = 'off' | 'warn' | 'replace';

/** What the bot lacks to auto-scan (each named in the reply to /autoscan). */
export type MissingRequirement =
  'message_content' | 'manage_messages' | 'send_messages' | 'attach_files' | 'read_history' | 'view_channel';

export interface DiscordMessages {
  photoLabel(index: number, total: number): string;
  checking(count: number): string;
  noImage: string;
  dmHelp: string;
  linkExpired: string;
  copyTooLarge: string;
  copyAttached: string;
  tookTooLong: string;
  dmCannotDelete: string;
  serverOnly: string;
  needManageGuild: string;
  modeName: Record<AutoscanMode, string>;
  autoscanSaved(mode: AutoscanMode, channelMention: string | undefined): string;
  autoscanNotChanged(missing: string[]): string;
  missing: Record<MissingRequirement, string>;
  warnReply(authorMention: string): string;
  replacePost(authorMention: string, hadText: boolean): string;
  couldNotDelete: string;
}

const en: DiscordMessages = {
  photoLabel: (i, n) => (n > 1 ? `Photo ${i} of ${n}` : 'Your photo'),
  checking: (n) => (n > 1 ? `Checking ${n} photos…` : 'Checking your photo…'),
  noImage:
    'There is no image attachment to check here. Attach a photo (JPEG, PNG, WebP, HEIC…) and try again.',
  dmHelp: 'Send me a photo as an attachment and I will check what it gives away, or use /check in a server.',
  linkExpired: 'The link to that attachment has expired. Send or attach the photo again.',
  copyTooLarge: 'The cleaned copy is too large to send here, so it is not attached.',
  copyAttached: 'A cleaned copy is attached.',
  tookTooLong: 'The check took too long and was abandoned. Please try again.',
  dmCannotDelete:
    'I cannot delete messages in a direct conversation: delete your original message yourself if you do not want it kept here.',
  serverOnly: 'Auto-scan works in servers only.',
  needManageGuild: 'Only members with the **Manage Server** permission can change auto-scan.',
  modeName: { off: 'off', warn: 'warn', replace: 'replace' },
  autoscanSaved: (mode, ch) =>
    mode === 'off'
      ? `Auto-scan is now off${ch ? ` in ${ch}` : ''}.`
      : `Auto-scan is now **${en.modeName[mode]}**${ch ? ` in ${ch}` : ' in every channel I can read'}. ` +
        (mode === 'warn'
          ? 'I will reply to photos that reveal something.'
          : 'I will delete photos that reveal something and post a cleaned copy.'),
  autoscanNotChanged: (missing) => `Auto-scan was not changed. Missing: ${missing.join('; ')}.`,
  missing: {
    message_content:
      "the Message Content intent (the bot's operator must enable it for the application in the Discord Developer Portal and start the bot with DISCORD_AUTOSCAN=true)",
    manage_messages: 'the **Manage Messages** permission (to delete the original photo)',
    send_messages: 'the **Send Messages** permission',
    attach_files: 'the **Attach Files** permission (to post the cleaned copy)',
    read_history: 'the **Read Message History** permission (to reply to a message)',
    view_channel: 'the **View Channel** permission',
  },
  warnReply: (m) => `${m}, this photo may give away more than you think:`,
  replacePost: (m, hadText) =>
    `${m}, I removed your photo because it gave away personal information. Here is a cleaned copy.` +
    (hadText ? ' Your message text was removed with it: please post it again.' : ''),
  couldNotDelete:
    'I could not delete the original: I need the **Manage Messages** permission in this channel.',
};

const fr: DiscordMessages = {
  photoLabel: (i, n) => (n > 1 ? `Photo ${i} sur ${n}` : 'Votre photo'),
  checking: (n) => (n > 1 ? `Vérification de ${n} photos…` : 'Vérification de votre photo…'),
  noImage:
    "Il n'y a aucune image jointe à vérifier ici. Joignez une photo (JPEG, PNG, WebP, HEIC…) et réessayez.",
  dmHelp:
    'Envoyez-moi une photo en pièce jointe et je vérifierai ce qu’elle révèle, ou utilisez /vérifier sur un serveur.',
  linkExpired: 'Le lien de cette pièce jointe a expiré. Envoyez ou joignez la photo à nouveau.',
  copyTooLarge: "La copie nettoyée est trop lourde pour être envoyée ici : elle n'est pas jointe.",
  copyAttached: 'Une copie nettoyée est jointe.',
  tookTooLong: 'La vérification a pris trop de temps et a été abandonnée. Veuillez réessayer.',
  dmCannotDelete:
    'Je ne peux pas supprimer de messages dans une conversation privée : supprimez vous-même votre message d’origine si vous ne voulez pas qu’il reste ici.',
  serverOnly: 'L’analyse automatique ne fonctionne que sur un serveur.',
  needManageGuild:
    'Seuls les membres ayant la permission **Gérer le serveur** peuvent modifier l’analyse automatique.',
  modeName: { off: 'désactivée', warn: 'avertir', replace: 'remplacer' },
  autoscanSaved: (mode, ch) =>
    mode === 'off'
      ? `L’analyse automatique est désactivée${ch ? ` dans ${ch}` : ''}.`
      : `L’analyse automatique est en mode **${fr.modeName[mode]}**${ch ? ` dans ${ch}` : ' dans tous les salons que je peux lire'}. ` +
        (mode === 'warn'
          ? 'Je répondrai aux photos qui révèlent quelque chose.'
          : 'Je supprimerai les photos qui révèlent quelque chose et publierai une copie nettoyée.'),
  autoscanNotChanged: (missing) =>
    `L’analyse automatique n’a pas été modifiée. Il manque : ${missing.join(' ; ')}.`,
  missing: {
    message_content:
      "l'intent Message Content (l'opérateur du bot doit l'activer pour l'application dans le Discord Developer Portal et démarrer le bot avec DISCORD_AUTOSCAN=true)",
    manage_messages: 'la permission **Gérer les messages** (pour supprimer la photo d’origine)',
    send_messages: 'la permission **Envoyer des messages**',
    attach_files: 'la permission **Joindre des fichiers** (pour publier la copie nettoyée)',
    read_history: 'la permission **Voir les anciens messages** (pour répondre à un message)',
    view_channel: 'la permission **Voir le salon**',
  },
  warnReply: (m) => `${m}, cette photo en dit peut-être plus que vous ne pensez :`,
  replacePost: (m, hadText) =>
    `${m}, j’ai retiré votre photo car elle révélait des informations personnelles. Voici une copie nettoyée.` +
    (hadText ? ' Le texte de votre message a été retiré avec elle : publiez-le à nouveau.' : ''),
  couldNotDelete:
    'Je n’ai pas pu supprimer l’original : il me faut la permission **Gérer les messages** dans ce salon.',
};

const TABLES: Record<Locale, DiscordMessages> = { en, fr };

/** The bot's Discord sentences in the given language. */
export function discordMessages(locale: Locale): DiscordMessages {
  return TABLES[locale];
}
