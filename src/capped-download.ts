// Reads an HTTP response body into memory with a byte cap, for both bots' downloads.
import { AppError } from './errors.ts';

/**
 * The body of `res` (already checked `ok`), failing with AppError('file_too_large', tooLarge) as soon as
 * the declared length or the bytes received pass `maxBytes`; the rest of the body is cancelled.
 */
export async function readCappedBody(res: Response, maxBytes: number, tooLarge: string): Promise<Buffer> {
  if (!res.body) return Buffer.alloc(0);
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body.cancel().catch(() => undefined);
    throw new AppError('file_too_large', tooLarge);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader: ReadableStreamDefaultReader<Uint8Array> = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new AppError('file_too_large', tooLarge);
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  return Buffer.concat(chunks, total);
}
