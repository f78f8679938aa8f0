// Pure mapping between Telegram updates and Preflight's vocabulary. No I/O here.
import { z } from 'zod';
import type { Message, PhotoSize } from 'grammy/types';
import type { Locale, ReplyAddress } from '../../types.ts';
import type { RefusedKind, Threshold } from './messages.ts';

/** Telegram's getFile limit for bots on the public Bot API. */
export const TELEGRAM_DOWNLOAD_LIMIT = 20 * 1024 * 1024;
/** sendPhoto limits: 10 MB, width + height ≤ 10000, ratio ≤ 20. */
export const TELEGRAM_PHOTO_UPLOAD_LIMIT = 10 * 1024 * 1024;
export const TELEGRAM_PHOTO_MAX_SIDES = 10_000;
export const TELEGRAM_PHOTO_MAX_RATIO = 20;
export const TELEGRAM_TEXT_LIMIT = 4096;
export const TELEGRAM_CAPTION_LIMIT = 1024;

export function toLocale(languageCode: string | undefined): Locale {
  return languageCode?.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

/** What a message carries, from Preflight's point of view. */
export type MediaCandidate =
  | {
      kind: 'image';
      fileId: string;
      declaredBytes?: number;
      declaredMime?: string;
      /** Telegram "photo": recompressed, metadata already stripped. */
      recompressed: boolean;
      /** Sent as a file (document): answer with a document so Telegram does not recompress it. */
      asFile: boolean;
    }
  | { kind: 'too_big'; bytes: number }
  | { kind: 'refused'; reason: RefusedKind }
  | { kind: 'none' };

/** The largest photo size Telegram offers (by pixels, then by bytes). */
export function toLargestPhoto(sizes: readonly PhotoSize[]): PhotoSize | undefined {
  let best: PhotoSize | undefined;
  for (const s of sizes) {
    const area = s.width * s.height;
    const bestArea = best ? best.width * best.height : -1;
    if (!best || area > bestArea || (area === bestArea && (s.file_size ?? 0) > (best.file_size ?? 0)))
      best = s;
  }
  return best;
}

/** Declared types we hand to the scan service anyway: the bytes' sniff decides. */
const UNDECIDED_MIME = new Set(['application/octet-stream', 'binary/octet-stream', '']);

export function toRefusedKind(mime: string): RefusedKind | undefined {
  const m = mime.toLowerCase().trim();
  if (m.startsWith('image/') || UNDECIDED_MIME.has(m)) return undefined;
  if (m === 'application/pdf') return 'pdf';
  if (m.startsWith('video/')) return 'video';
  if (m.startsWith('audio/')) return 'audio';
  if (m.startsWith('text/') || m === 'application/json' || m === 'application/xml') return 'text';
  return 'file';
}

function tooBig(bytes: number | undefined): bytes is number {
  return bytes !== undefined && bytes > TELEGRAM_DOWNLOAD_LIMIT;
}

/** Classifies a message: an image to check, something we explain away, or nothing at all. */
export function toMediaCandidate(msg: Message): MediaCandidate {
  if (msg.photo && msg.photo.length > 0) {
    const p = toLargestPhoto(msg.photo);
    if (!p) return { kind: 'none' };
    if (tooBig(p.file_size)) return { kind: 'too_big', bytes: p.file_size };
    const c: MediaCandidate = {
      kind: 'image',
      fileId: p.file_id,
      declaredMime: 'image/jpeg',
      recompressed: true,
      asFile: false,
    };
    if (p.file_size !== undefined) c.declaredBytes = p.file_size;
    return c;
  }
  if (msg.document) {
    const d = msg.document;
    const mime = d.mime_type ?? '';
    const refused = toRefusedKind(mime);
    if (refused) return { kind: 'refused', reason: refused };
    if (tooBig(d.file_size)) return { kind: 'too_big', bytes: d.file_size };
    const c: MediaCandidate = { kind: 'image', fileId: d.file_id, recompressed: false, asFile: true };
    if (d.file_size !== undefined) c.declaredBytes = d.file_size;
    if (mime) c.declaredMime = mime;
    return c;
  }
  if (msg.video || msg.animation || msg.video_note) return { kind: 'refused', reason: 'video' };
  if (msg.voice) return { kind: 'refused', reason: 'voice' };
  if (msg.audio) return { kind: 'refused', reason: 'audio' };
  if (msg.sticker) return { kind: 'refused', reason: 'sticker' };
  return { kind: 'none' };
}

/** "25.3" — megabytes for humans, one decimal. */
export function toMegabytes(bytes: number): string {
  return (bytes / 1048576).toFixed(1);
}

// ---------------------------------------------------------------------------------------------
// Reply address: ids and flags only (never tokens, URLs, captions or file names).

export const THRESHOLDS = ['low', 'medium', 'high'] as const;
export const AUTO_SCAN_MODES = ['off', 'warn', 'replace'] as const;

const telegramReplySchema = z.object({
  platform: z.literal('telegram'),
  /** 'dm': private chat; 'warn' / 'replace': group auto-scan. */
  mode: z.enum(['dm', 'warn', 'replace']),
  chatId: z.number().int(),
  messageId: z.number().int(),
  senderId: z.number().int(),
  /** The "Checking…" message to edit (DMs only). */
  progressMessageId: z.number().int().nullable(),
  asFile: z.boolean(),
  recompressed: z.boolean(),
  threshold: z.enum(THRESHOLDS),
});
export type TelegramReply = z.infer<typeof telegramReplySchema>;

export function toReplyAddress(r: TelegramReply): ReplyAddress {
  return { ...r };
}

/** Parses a reply address back; throws a ZodError (no values in the message we log) when foreign. */
export function parseTelegramReply(address: ReplyAddress): TelegramReply {
  return telegramReplySchema.parse(address);
}

/**
 * How to upload the sanitized copy: a document when the user sent a file (so Telegram does not
 * recompress it) or when it exceeds sendPhoto's limits; a photo otherwise.
 */
export function decideUploadKind(
  asFile: boolean,
  copy: { bytes: number; width?: number; height?: number },
): 'photo' | 'document' {
  if (asFile) return 'document';
  if (copy.bytes > TELEGRAM_PHOTO_UPLOAD_LIMIT) return 'document';
  const { width, height } = copy;
  if (width !== undefined && height !== undefined) {
    if (width + height > TELEGRAM_PHOTO_MAX_SIDES) return 'document';
    const ratio = Math.max(width, height) / Math.max(1, Math.min(width, height));
    if (ratio > TELEGRAM_PHOTO_MAX_RATIO) return 'document';
  }
  return 'photo';
}

/** Anonymous group admins post as the group itself. */
export function isAnonymousAdmin(msg: Message): boolean {
  return msg.sender_chat !== undefined && msg.sender_chat.id === msg.chat.id;
}

/** Parses `/autoscan …` arguments. */
export type AutoScanCommand =
  | { kind: 'show' }
  | { kind: 'mode'; mode: (typeof AUTO_SCAN_MODES)[number] }
  | { kind: 'threshold'; threshold: Threshold }
  | { kind: 'usage' };

export function parseAutoScanArgs(args: string): AutoScanCommand {
  const words = args.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { kind: 'show' };
  const [a, b] = words;
  if (words.length === 1 && (AUTO_SCAN_MODES as readonly string[]).includes(a ?? ''))
    return { kind: 'mode', mode: a as (typeof AUTO_SCAN_MODES)[number] };
  if (words.length === 2 && a === 'threshold' && (THRESHOLDS as readonly string[]).includes(b ?? ''))
    return { kind: 'threshold', threshold: b as Threshold };
  return { kind: 'usage' };
}

export type MissingRight = 'see_photos' | 'delete_messages';

/**
 * What the bot lacks in a group for an auto-scan mode: seeing photos needs admin status or privacy
 * mode off (getMe's can_read_all_group_messages); replacing needs the delete right too.
 * `me` is the bot's own getChatMember answer (undefined when it could not be read).
 */
export function decideMissingRights(
  me: { status: string; can_delete_messages?: boolean } | undefined,
  canReadAllGroupMessages: boolean,
  mode: 'warn' | 'replace',
): MissingRight[] {
  const isAdmin = me?.status === 'administrator' || me?.status === 'creator';
  const canDelete =
    me?.status === 'creator' || (me?.status === 'administrator' && me.can_delete_messages === true);
  const missing: MissingRight[] = [];
  if (!isAdmin && !canReadAllGroupMessages) missing.push('see_photos');
  if (mode === 'replace' && !canDelete) missing.push('delete_messages');
  return missing;
}
