// Downloads a Telegram file ourselves: getFile, then a capped, timed fetch of
// `${apiRoot}/file/bot${token}/${file_path}`. The URL embeds the token: it is never logged or thrown.
import type { Api } from 'grammy';
import { GrammyError } from 'grammy';
import { readCappedBody } from '../../capped-download.ts';
import { AppError } from '../../errors.ts';
import { TELEGRAM_DOWNLOAD_LIMIT } from './mapping.ts';

export interface DownloadDeps {
  api: Api;
  apiRoot: string;
  token: string;
  /** Default fetch; injectable for tests. */
  fetch?: typeof fetch;
}

/**
 * Fetches a file's bytes, failing with AppError('file_too_large') once more than `maxBytes`
 * (never above Telegram's 20 MB) arrive, and with AppError('download_failed') on any other error.
 */
export async function downloadTelegramFile(
  deps: DownloadDeps,
  fileId: string,
  maxBytes: number,
  signal: AbortSignal,
): Promise<Buffer> {
  const cap = Math.min(maxBytes, TELEGRAM_DOWNLOAD_LIMIT);
  let filePath: string | undefined;
  let declared: number | undefined;
  try {
    const file = await deps.api.getFile(fileId, signal as Parameters<Api['getFile']>[1]);
    filePath = file.file_path;
    declared = file.file_size;
  } catch (e) {
    if (e instanceof GrammyError && /too big/i.test(e.description))
      throw new AppError('file_too_large', 'Telegram refused to hand over a file above 20 MB.');
    throw new AppError('download_failed', 'Telegram did not give us the file.');
  }
  if (!filePath) throw new AppError('download_failed', 'Telegram gave no download path for the file.');
  if (declared !== undefined && declared > cap)
    throw new AppError('file_too_large', 'The file is larger than we accept.');

  const url = `${deps.apiRoot}/file/bot${deps.token}/${filePath.split('/').map(encodeURIComponent).join('/')}`;
  let res: Response;
  try {
    res = await (deps.fetch ?? fetch)(url, { signal, redirect: 'error' });
  } catch {
    // The error could quote the URL (and so the token): drop it.
    throw new AppError(
      'download_failed',
      signal.aborted ? 'The download took too long.' : 'The download failed.',
    );
  }
  if (!res.ok || !res.body) {
    await res.body?.cancel().catch(() => undefined);
    throw new AppError('download_failed', `The download failed (HTTP ${res.status}).`);
  }
  try {
    return await readCappedBody(res, cap, 'The file is larger than we accept.');
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError(
      'download_failed',
      signal.aborted ? 'The download took too long.' : 'The download was interrupted.',
    );
  }
}
