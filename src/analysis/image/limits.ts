// The input limits and the refusals that need only the file's size and first bytes (no image
// library): the CLI answers an empty file or a PDF with these before loading sharp or any engine.
import { AppError } from '../../errors.ts';
import { isImageFormat, sniffFormat, type Sniffed } from '../../sniff.ts';
import type { ImageFormat } from '../../types.ts';

export interface DecodeLimits {
  /** Largest accepted input, in bytes. */
  maxBytes: number;
  /** Largest accepted width × height (also sharp's limitInputPixels). */
  maxPixels: number;
  /** Largest accepted side, in pixels. */
  maxSide: number;
}

// A 50 MP phone photo or a 20 000 × 3 000 panorama fits; 20 000 × 20 000 (400 MP) or a 100 000 × 1
// strip does not. 65 500 px is JPEG's (libjpeg's) own limit on a side.
export const DEFAULT_LIMITS: DecodeLimits = {
  maxBytes: 50 * 1024 * 1024,
  maxPixels: 64_000_000,
  maxSide: 65_500,
};

/** How many first bytes sniffFormat reads at most (a text file's opening, an ftyp box). */
export const SNIFF_BYTES = 512;

const REFUSED_WHAT: Record<Exclude<Sniffed, ImageFormat>, string> = {
  pdf: 'a PDF document',
  svg: 'an SVG drawing',
  bmp: 'a BMP image',
  text: 'a text file',
  unknown: 'not an image format we can read',
};

/**
 * The image format of a file from its size and first bytes (at least SNIFF_BYTES of them when the
 * file has that many); throws AppError (an input error) for an empty, too large or non-image file.
 */
export function checkImageBytes(
  head: Buffer,
  size: number,
  limits: DecodeLimits = DEFAULT_LIMITS,
): ImageFormat {
  if (size === 0) throw new AppError('empty_input', 'The file is empty.');
  if (size > limits.maxBytes)
    throw new AppError(
      'file_too_large',
      `The file is ${(size / 1048576).toFixed(1)} MB; the limit is ${Math.round(limits.maxBytes / 1048576)} MB.`,
    );
  const sniffed = sniffFormat(head);
  if (!isImageFormat(sniffed)) {
    throw new AppError(
      sniffed === 'unknown' ? 'unsupported_format' : 'not_an_image',
      `This is ${REFUSED_WHAT[sniffed]}, not a photo we can check (we read JPEG, PNG, WebP, HEIC, AVIF, TIFF and GIF).`,
    );
  }
  return sniffed;
}
