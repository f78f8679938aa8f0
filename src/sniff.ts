// The real type of a file from its magic bytes (never a name or a declared MIME type): the scan
// service refuses non-images before queueing, the decoder before decoding; no image library needed.
import type { ImageFormat } from './types.ts';

export type Sniffed = ImageFormat | 'pdf' | 'svg' | 'bmp' | 'text' | 'unknown';

const ascii = (b: Buffer, start: number, end: number): string => b.subarray(start, end).toString('latin1');

/** The real type from magic bytes; never from a file name or a declared MIME type. */
export function sniffFormat(b: Buffer): Sniffed {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 8 && b.readUInt32BE(0) === 0x89504e47 && b.readUInt32BE(4) === 0x0d0a1a0a) return 'png';
  if (b.length >= 6 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a')) return 'gif';
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return 'webp';
  if (b.length >= 4 && (ascii(b, 0, 4) === 'II*\0' || ascii(b, 0, 4) === 'MM\0*')) return 'tiff';
  if (b.length >= 16 && ascii(b, 4, 8) === 'ftyp') {
    const boxSize = Math.min(b.readUInt32BE(0), b.length, 256);
    const brands = [ascii(b, 8, 12)];
    for (let i = 16; i + 4 <= boxSize; i += 4) brands.push(ascii(b, i, i + 4));
    if (brands.some((x) => x === 'avif' || x === 'avis')) return 'avif';
    if (brands.some((x) => ['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'].includes(x)))
      return 'heif';
    return 'unknown';
  }
  if (b.length >= 5 && ascii(b, 0, 5) === '%PDF-') return 'pdf';
  if (b.length >= 2 && ascii(b, 0, 2) === 'BM') return 'bmp';
  const head = ascii(b, 0, Math.min(b.length, 512))
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) return 'svg';
  if (b.length > 0 && isMostlyText(b.subarray(0, 512))) return 'text';
  return 'unknown';
}

function isMostlyText(b: Buffer): boolean {
  let printable = 0;
  for (const c of b) if (c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127) || c >= 0xc2) printable++;
  return printable / b.length > 0.95;
}

/** Whether the sniffed type is one of the image formats Preflight reads. */
export function isImageFormat(s: Sniffed): s is ImageFormat {
  return ['jpeg', 'png', 'webp', 'gif', 'tiff', 'avif', 'heif'].includes(s);
}
