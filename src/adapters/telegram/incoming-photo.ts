// A Telegram photo or image file as the scan service's IncomingPhoto, downloaded only when scanned.
import type { Api } from 'grammy';
import type { IncomingPhoto, Locale } from '../../types.ts';
import type { TelegramConfig } from './config.ts';
import { downloadTelegramFile } from './download.ts';
import type { MediaCandidate } from './mapping.ts';

/** An image the bot accepted for scanning. */
export type ImageCandidate = Extract<MediaCandidate, { kind: 'image' }>;

/** The candidate as an IncomingPhoto whose download goes through the Bot API with a byte cap. */
export function toIncomingPhoto(
  api: Api,
  config: TelegramConfig,
  c: ImageCandidate,
  userId: number,
  locale: Locale,
): IncomingPhoto {
  const photo: IncomingPhoto = {
    platform: 'telegram',
    userId: String(userId),
    recompressed: c.recompressed,
    locale,
    download: (maxBytes, signal) =>
      downloadTelegramFile({ api, apiRoot: config.apiRoot, token: config.token }, c.fileId, maxBytes, signal),
  };
  if (c.declaredBytes !== undefined) photo.declaredBytes = c.declaredBytes;
  if (c.declaredMime !== undefined) photo.declaredMime = c.declaredMime;
  return photo;
}
