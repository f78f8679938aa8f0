// Sentences only the Telegram bot says, one typed table per locale. Plain text: the adapter escapes
// them for Telegram HTML. Sentences about findings come from src/render.ts.
import type { Locale } from '../../types.ts';

export type AutoScanMode = 'off' | 'warn' | 'replace';
export type Threshold = 'low' | 'medium' | 'high';
export type RefusedKind = 'pdf' | 'video' | 'audio' | 'voice' | 'sticker' | 'text' | 'file';

export interface TelegramMessages {
  start: (minutes: number) => string;
  help: (minutes: number) => string;
  privacy: (minutes: number) => string;
  commands: { start: string; help: string; privacy: string; settings: string; autoscan: string };
  checking: string;
  textHint: string;
  refused: (kind: RefusedKind) => string;
  tooBig: (mb: string) => string;
  tooBigUnknownSize: string;
  /** Replaces the report's generic "the app compressed the photo" line. */
  recompressed: string;
  copyCaption: string;
  deleted: string;
  deleteFailed: string;
  noCopy: string;
  group: {
    onlyInGroups: string;
    onlyAdmins: string;
    status: (mode: AutoScanMode, threshold: Threshold) => string;
    changed: (mode: AutoScanMode, threshold: Threshold) => string;
    usage: string;
    rightsOk: (mode: AutoScanMode) => string;
    needSeePhotos: string;
    needDelete: string;
    warnIntro: string;
    replaced: (mention: string) => string;
    cannotDelete: string;
    someone: string;
  };
}

const MODE_EN: Record<AutoScanMode, string> = {
  off: 'off — photos are not checked',
  warn: 'warn — I reply under a risky photo with what it gives away',
  replace: 'replace — I delete a risky photo and post a cleaned copy instead',
};
const MODE_FR: Record<AutoScanMode, string> = {
  off: 'désactivé — les photos ne sont pas vérifiées',
  warn: 'avertir — je réponds sous une photo risquée en expliquant ce qu’elle révèle',
  replace: 'remplacer — je supprime une photo risquée et publie une copie nettoyée à la place',
};
const THRESHOLD_EN: Record<Threshold, string> = {
  low: 'low (anything I find)',
  medium: 'medium (faces, contact details, documents and worse)',
  high: 'high (location, ID papers, card numbers, children)',
};
const THRESHOLD_FR: Record<Threshold, string> = {
  low: 'faible (tout ce que je trouve)',
  medium: 'moyen (visages, coordonnées, documents et plus grave)',
  high: 'élevé (lieu, papiers d’identité, numéros de carte, enfants)',
};

const REFUSED_EN: Record<RefusedKind, string> = {
  pdf: 'This is a PDF document, not a photo. I only check pictures (JPEG, PNG, WebP, HEIC, AVIF, TIFF, GIF).',
  video: 'I can’t check videos yet — only photos. Send a still picture instead.',
  audio: 'This is an audio file, not a photo. I only check pictures.',
  voice: 'I can’t listen to voice messages — send me a photo and I’ll check it.',
  sticker: 'Stickers aren’t checked. Send me a photo (or an image as a file).',
  text: 'This file is not a picture. I only check photos (JPEG, PNG, WebP, HEIC, AVIF, TIFF, GIF).',
  file: 'This file is not a picture I can read. I only check photos (JPEG, PNG, WebP, HEIC, AVIF, TIFF, GIF).',
};
const REFUSED_FR: Record<RefusedKind, string> = {
  pdf: 'C’est un document PDF, pas une photo. Je ne vérifie que les images (JPEG, PNG, WebP, HEIC, AVIF, TIFF, GIF).',
  video: 'Je ne sais pas encore vérifier les vidéos — seulement les photos. Envoyez plutôt une image fixe.',
  audio: 'C’est un fichier audio, pas une photo. Je ne vérifie que les images.',
  voice: 'Je ne peux pas écouter les messages vocaux — envoyez-moi une photo et je la vérifierai.',
  sticker: 'Les autocollants ne sont pas vérifiés. Envoyez-moi une photo (ou une image en tant que fichier).',
  text: 'Ce fichier n’est pas une image. Je ne vérifie que les photos (JPEG, PNG, WebP, HEIC, AVIF, TIFF, GIF).',
  file: 'Ce fichier n’est pas une image que je sais lire. Je ne vérifie que les photos (JPEG, PNG, WebP, HEIC, AVIF, TIFF, GIF).',
};

export const MESSAGES: Record<Locale, TelegramMessages> = {
  en: {
    start: (m) =>
      'Send me a photo before you share it with an AI app or anyone else: I tell you what it gives away — ' +
      'the place it was taken, faces, children, ID papers, card numbers, Wi-Fi passwords in QR codes — ' +
      'and send back a cleaned copy. ' +
      'To check the hidden details too (like the GPS location), send the picture as a file.\n\n' +
      `Privacy: I keep nothing for long. Your photo is held encrypted in memory only while it is checked, then deleted with your message in this chat; the cleaned copies behind the buttons live at most ${m} minutes. ` +
      '/settings chooses which faces your copies keep by default.',
    help: (m) =>
      'How to use me:\n' +
      '• Send a photo — I check what can be seen in it.\n' +
      '• Send it as a file (📎 → File) — I also check the hidden details the camera stored in it, such as where and when it was taken, and remove them.\n' +
      '• I reply with what I found and a cleaned copy, then delete your original message.\n\n' +
      'In groups, an administrator can turn on automatic checks with /autoscan.\n' +
      '/settings — which faces your cleaned copies keep by default.\n' +
      `/privacy — what I keep and for how long anything lives (at most ${m} minutes).`,
    privacy: (m) =>
      'What I keep: nothing for long.\n\n' +
      `• Your photo is stored encrypted, in memory only, while it is being checked, and erased after at most ${m} minutes — usually within seconds.\n` +
      '• The cleaned copy is erased once it has been sent to you, except for the copies behind its buttons (see below).\n' +
      '• I delete your original message from this chat after replying.\n' +
      '• I never write pictures to disk, and my logs never contain pictures, text found in them, locations, file names or captions.\n\n' +
      'Telegram itself may keep a copy of files sent through it for a while; I cannot control that.',
    commands: {
      start: 'What this bot does',
      help: 'How to check a photo',
      privacy: 'What is kept and for how long',
      settings: 'Which faces your cleaned copies keep by default',
      autoscan: 'Group admins: check photos automatically (off, warn, replace)',
    },
    checking: 'Checking your photo…',
    textHint: 'Send me a photo (or a picture as a file) and I’ll check what it gives away.',
    refused: (k) => REFUSED_EN[k],
    tooBig: (mb) =>
      `This file is ${mb} MB. Telegram only lets bots download files up to 20 MB, so I can’t check it. ` +
      'Send a smaller version (for example a screenshot or an export at lower quality).',
    recompressed:
      'Hidden details such as the location could not be checked: Telegram compressed this photo and removed them before we received it. ' +
      'The original on your phone still has them. To check it, send the picture as a file (📎 → File).',
    tooBigUnknownSize:
      'This file is too large: Telegram only lets bots download files up to 20 MB, so I can’t check it. ' +
      'Send a smaller version (for example a screenshot or an export at lower quality).',
    copyCaption: 'Your cleaned copy — share this one instead of the original.',
    deleted:
      '🗑 We deleted your original message and our copy of the photo. Telegram may keep its own copy on its servers for a while.',
    deleteFailed:
      'We could not delete your original message — please delete it yourself (press and hold it → Delete). Our copy of the photo is deleted.',
    noCopy: 'We could not send you a cleaned copy of this picture.',
    group: {
      onlyInGroups: '/autoscan works in groups: add me to a group and ask an administrator to turn it on.',
      onlyAdmins: 'Sorry, only the group’s administrators can change automatic checks.',
      status: (mode, t) =>
        `Automatic photo checks: ${MODE_EN[mode]}.\nI react from severity ${THRESHOLD_EN[t]}.\n\n` +
        'Administrators can change this: /autoscan off | warn | replace, and /autoscan threshold low | medium | high.',
      changed: (mode, t) =>
        `Done. Automatic photo checks: ${MODE_EN[mode]}. I react from severity ${THRESHOLD_EN[t]}.`,
      usage: 'Usage: /autoscan off | warn | replace, or /autoscan threshold low | medium | high.',
      rightsOk: (mode) =>
        mode === 'replace'
          ? 'I can see photos and delete messages here, so this works.'
          : 'I can see the photos posted here, so this works.',
      needSeePhotos:
        'Missing: I can’t see photos posted here. Make me an administrator of this group (or turn off my privacy mode in BotFather with /setprivacy, then remove and re-add me).',
      needDelete:
        'Missing: to replace photos I need to be an administrator with the “Delete messages” right. Until then I can only warn.',
      warnIntro: '⚠️ Before sharing this photo further, note what it gives away:',
      replaced: (mention) =>
        `${mention} posted a photo that gave away personal details. We deleted it; here is a cleaned copy.`,
      cannotDelete:
        'We could not delete the original photo: the bot needs to be an administrator with the “Delete messages” right.',
      someone: 'A member',
    },
  },
  fr: {
    start: (m) =>
      'Envoyez-moi une photo avant de la confier à une application d’IA ou à quelqu’un d’autre : je vous dis ce qu’elle révèle — ' +
      'le lieu de la prise de vue, des visages, des enfants, des papiers d’identité, des numéros de carte, des mots de passe Wi-Fi dans des QR codes — ' +
      'et je vous renvoie une copie nettoyée. ' +
      'Pour vérifier aussi les informations cachées (comme la position GPS), envoyez l’image en tant que fichier.\n\n' +
      `Confidentialité : je ne garde rien longtemps. Votre photo est conservée chiffrée, en mémoire, le temps de la vérification, puis supprimée avec votre message dans cette conversation ; les copies nettoyées derrière les boutons vivent ${m} minutes au plus. ` +
      '/settings choisit les visages que vos copies gardent par défaut.',
    help: (m) =>
      'Mode d’emploi :\n' +
      '• Envoyez une photo — je vérifie ce qu’on y voit.\n' +
      '• Envoyez-la en tant que fichier (📎 → Fichier) — je vérifie aussi les informations cachées que l’appareil y a enregistrées, comme le lieu et l’heure de la prise de vue, et je les retire.\n' +
      '• Je réponds avec ce que j’ai trouvé et une copie nettoyée, puis je supprime votre message d’origine.\n\n' +
      'Dans un groupe, un administrateur peut activer la vérification automatique avec /autoscan.\n' +
      '/settings — les visages que vos copies nettoyées gardent par défaut.\n' +
      `/privacy — ce que je garde et combien de temps les données existent (${m} minutes au plus).`,
    privacy: (m) =>
      'Ce que je garde : rien longtemps.\n\n' +
      `• Votre photo est stockée chiffrée, uniquement en mémoire, pendant la vérification, et effacée au bout de ${m} minutes au plus — en général en quelques secondes.\n` +
      '• La copie nettoyée est effacée dès qu’elle vous a été envoyée, sauf les copies derrière ses boutons (voir plus bas).\n' +
      '• Je supprime votre message d’origine de cette conversation après avoir répondu.\n' +
      '• Je n’écris jamais d’image sur disque, et mes journaux ne contiennent ni images, ni texte lu dedans, ni lieux, ni noms de fichiers, ni légendes.\n\n' +
      'Telegram peut lui-même conserver un certain temps une copie des fichiers envoyés ; je n’y peux rien.',
    commands: {
      start: 'Ce que fait ce bot',
      help: 'Comment vérifier une photo',
      privacy: 'Ce qui est gardé et combien de temps',
      settings: 'Les visages que vos copies nettoyées gardent par défaut',
      autoscan: 'Admins de groupe : vérifier les photos automatiquement',
    },
    checking: 'Vérification de votre photo…',
    textHint: 'Envoyez-moi une photo (ou une image en tant que fichier) et je vérifierai ce qu’elle révèle.',
    refused: (k) => REFUSED_FR[k],
    tooBig: (mb) =>
      `Ce fichier fait ${mb} Mo. Telegram ne permet aux bots de télécharger que des fichiers de 20 Mo au plus : je ne peux donc pas le vérifier. ` +
      'Envoyez une version plus légère (par exemple une capture d’écran ou un export de moindre qualité).',
    recompressed:
      'Les informations cachées comme le lieu n’ont pas pu être vérifiées : Telegram a compressé cette photo et les a retirées avant de nous la transmettre. ' +
      'L’original sur votre téléphone les contient encore. Pour le vérifier, envoyez l’image en tant que fichier (📎 → Fichier).',
    tooBigUnknownSize:
      'Ce fichier est trop lourd : Telegram ne permet aux bots de télécharger que des fichiers de 20 Mo au plus, je ne peux donc pas le vérifier. ' +
      'Envoyez une version plus légère (par exemple une capture d’écran ou un export de moindre qualité).',
    copyCaption: 'Votre copie nettoyée — partagez celle-ci plutôt que l’original.',
    deleted:
      '🗑 Nous avons supprimé votre message d’origine et notre copie de la photo. Telegram peut conserver sa propre copie sur ses serveurs pendant un certain temps.',
    deleteFailed:
      'Nous n’avons pas pu supprimer votre message d’origine — supprimez-le vous-même (appui long → Supprimer). Notre copie de la photo est supprimée.',
    noCopy: 'Nous n’avons pas pu vous envoyer de copie nettoyée de cette image.',
    group: {
      onlyInGroups:
        '/autoscan fonctionne dans les groupes : ajoutez-moi à un groupe et demandez à un administrateur de l’activer.',
      onlyAdmins: 'Désolé, seuls les administrateurs du groupe peuvent modifier la vérification automatique.',
      status: (mode, t) =>
        `Vérification automatique des photos : ${MODE_FR[mode]}.\nJe réagis à partir de la gravité ${THRESHOLD_FR[t]}.\n\n` +
        'Les administrateurs peuvent la modifier : /autoscan off | warn | replace, et /autoscan threshold low | medium | high.',
      changed: (mode, t) =>
        `C’est fait. Vérification automatique des photos : ${MODE_FR[mode]}. Je réagis à partir de la gravité ${THRESHOLD_FR[t]}.`,
      usage: 'Utilisation : /autoscan off | warn | replace, ou /autoscan threshold low | medium | high.',
      rightsOk: (mode) =>
        mode === 'replace'
          ? 'Je vois les photos et je peux supprimer des messages ici : tout est en place.'
          : 'Je vois les photos publiées ici : tout est en place.',
      needSeePhotos:
        'Manquant : je ne vois pas les photos publiées ici. Nommez-moi administrateur du groupe (ou désactivez mon mode confidentialité dans BotFather avec /setprivacy, puis retirez-moi et ajoutez-moi de nouveau).',
      needDelete:
        'Manquant : pour remplacer les photos, je dois être administrateur avec le droit « Supprimer des messages ». En attendant, je peux seulement avertir.',
      warnIntro: '⚠️ Avant de partager cette photo plus loin, voici ce qu’elle révèle :',
      replaced: (mention) =>
        `${mention} a publié une photo qui révélait des informations personnelles. Nous l’avons supprimée ; voici une copie nettoyée.`,
      cannotDelete:
        'Nous n’avons pas pu supprimer la photo d’origine : le bot doit être administrateur avec le droit « Supprimer des messages ».',
      someone: 'Un membre',
    },
  },
};

/** The bot's Telegram sentences in the given language. */
export function toMessages(locale: Locale): TelegramMessages {
  return MESSAGES[locale];
}
