// A Discord attachment → IncomingPhoto. The signed CDN URL lives only inside the download closure:
// it is fetched at once, never stored, never logged.
import { readCappedBody } from '../../capped-download.ts';
import { AppError } from '../../errors.ts';
import type { IncomingPhoto, Locale } from '../../types.ts';

export interface AttachmentLike {
  url: string;
  size: number;
  contentType: string | null;
  width?: number | null;
  name?: string | null;
}

/** What the download saw, for wording the answer (an expired link vs any other failure). */
export interface DownloadProbe {
  status?: number;
}

const IMAGE_EXT = /\.(jpe?g|png|webp|gif|tiff?|heic|heif|avif)$/i;

/** An attachment Discord or its name says is an image (a hint only: the scan service sniffs the bytes). */
export function isImageAttachment(a: AttachmentLike): boolean {
  if (a.contentType) return a.contentType.toLowerCase().startsWith('image/');
  return (typeof a.width === 'number' && a.width > 0) || IMAGE_EXT.test(a.name ?? '');
}

/** A 403/404/410 from the CDN means the signed link expired (or the file was deleted). */
export function isExpiredLink(probe: DownloadProbe): boolean {
  return probe.status === 403 || probe.status === 404 || probe.status === 410;
}

/** Reads at most `maxBytes` from the signed URL, aborting on `signal`. */
export async function downloadCapped(
  url: string,
  maxBytes: number,
  signal: AbortSignal,
  probe: DownloadProbe,
) {
  const res = await fetch(url, { signal, redirect: 'follow' });
  probe.status = res.status;
  if (!res.ok || !res.body) {
    await res.body?.cancel().catch(() => undefined);
    throw new AppError('download_failed', `CDN answered ${res.status}`);
  }
  return readCappedBody(res, maxBytes, 'attachment larger than the limit');
}

/** The attachment as an IncomingPhoto whose download reads the signed URL once, capped, into memory. */
export function toIncomingPhoto(
  att: AttachmentLike,
  ctx: { userId: string; locale: Locale },
  probe: DownloadProbe = {},
): IncomingPhoto {
  const url = att.url;
  return {
    platform: 'discord',
    userId: ctx.userId,
    declaredBytes: att.size,
    ...(att.contentType ? { declaredMime: att.contentType } : {}),
    recompressed: false,
    locale: ctx.locale,
    download: (maxBytes, signal) => downloadCapped(url, maxBytes, signal, probe),
  };
}
