// Refuse what the bytes' sniffed format cannot be read as, enforce limits, decode once, and serve oriented copies.
import { createRequire } from 'node:module';
import sharp from 'sharp';
import type { Metadata, Sharp, SharpOptions } from 'sharp';
import { AppError } from '../../errors.ts';
import { checkImageBytes, DEFAULT_LIMITS, type DecodeLimits } from './limits.ts';
import type { ImageFormat, PreparedImage, RawImage } from '../../types.ts';

const require = createRequire(import.meta.url);

// libvips' operation cache off, for the whole process: every scan's pixels are new, so the cache
// (50 MB by default) only held users' decoded pixels after their scan had ended.
sharp.cache(false);

export { DEFAULT_LIMITS, type DecodeLimits } from './limits.ts';

/**
 * Largest copy an analyzer gets, in pixels (a 12-MP photo is analysed whole; a 60-MP panorama on a
 * copy of 16 MP). The sanitized copy is made at full resolution all the same.
 */
export const ANALYSIS_MAX_PIXELS = 16_000_000;

interface HeicDecoded {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}
type HeicDecode = (opts: { buffer: Uint8Array }) => Promise<HeicDecoded>;
let heicDecode: HeicDecode | undefined;

/** HEIC through libheif compiled to WASM (shipped in the npm package; nothing is downloaded). */
async function decodeHeic(bytes: Buffer): Promise<{ raw: Buffer; width: number; height: number }> {
  heicDecode ??= require('heic-decode') as HeicDecode;
  try {
    const out = await heicDecode({ buffer: bytes });
    return { raw: Buffer.from(out.data.buffer, out.data.byteOffset, out.data.byteLength), ...out };
  } catch (e) {
    throw new AppError('corrupt_image', 'The HEIC file could not be decoded.', { cause: e });
  }
}

/** Reads the displayed size a sharp header gives, with orientation 5–8 swapping the sides. */
function displayedSize(meta: Metadata): { width: number; height: number } {
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  return (meta.orientation ?? 1) >= 5 ? { width: h, height: w } : { width: w, height: h };
}

function checkDimensions(width: number, height: number, limits: DecodeLimits): void {
  if (!(width > 0 && height > 0))
    throw new AppError('corrupt_image', 'The image has no readable size; the file is probably damaged.');
  if (width * height > limits.maxPixels)
    throw new AppError(
      'too_many_pixels',
      `The image is ${width}×${height} pixels; the limit is ${Math.round(limits.maxPixels / 1e6)} million pixels.`,
    );
  if (width > limits.maxSide || height > limits.maxSide)
    throw new AppError(
      'bad_dimensions',
      `The image is ${width}×${height} pixels; each side must be at most ${limits.maxSide} pixels.`,
    );
}

function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  if (/pixel limit/i.test(msg))
    return new AppError('too_many_pixels', 'The image has more pixels than we accept.', { cause: e });
  return new AppError('corrupt_image', 'The image is damaged or incomplete and could not be read.', {
    cause: e,
  });
}

export interface ImageHeader {
  format: ImageFormat;
  /** The header sharp reads; undefined for a HEIC sharp cannot read (libheif decides then). */
  meta: Metadata | undefined;
}

/**
 * The checks that need no decoding: size, real format, and the size the header declares against the
 * limits. Throws AppError (an input error) for anything we refuse; cheap enough to run on every
 * input before any engine loads.
 */
export async function checkImageHeader(
  bytes: Buffer,
  limits: DecodeLimits = DEFAULT_LIMITS,
): Promise<ImageHeader> {
  const sniffed = checkImageBytes(bytes, bytes.length, limits);
  const sharpOpts: SharpOptions = { limitInputPixels: limits.maxPixels, failOn: 'warning' };
  if (sniffed === 'heif') {
    // Read the header cheaply first, so a HEIC bomb is refused before libheif allocates it.
    const meta = await sharp(bytes, sharpOpts)
      .metadata()
      .catch(() => undefined);
    if (meta?.width && meta.height) checkDimensions(meta.width, meta.height, limits);
    return { format: sniffed, meta };
  }
  let meta: Metadata;
  try {
    meta = await sharp(bytes, sharpOpts).metadata();
  } catch (e) {
    throw toAppError(e);
  }
  checkDimensions(meta.width ?? 0, meta.height ?? 0, limits);
  return { format: sniffed, meta };
}

export interface PrepareOptions {
  /**
   * Decode the base copy now, so a truncated or corrupt file is refused here (default). Off for the
   * sanitized copy, our own encode: its re-scan reads crops of it and its container, and the whole
   * picture only when an analyzer asks for it.
   */
  decodeNow?: boolean;
}

/**
 * Check the bytes and decode them enough to prove they are a readable image.
 * Throws AppError (an input error) for anything we refuse.
 */
export async function prepareImage(
  bytes: Buffer,
  limits: DecodeLimits = DEFAULT_LIMITS,
  options: PrepareOptions = {},
): Promise<PreparedImage> {
  const { format: sniffed, meta } = await checkImageHeader(bytes, limits);
  const sharpOpts: SharpOptions = { limitInputPixels: limits.maxPixels, failOn: 'warning' };

  let base: () => Sharp;
  let width: number;
  let height: number;
  let orientation: number | undefined;
  let hasAlpha = false;
  if (sniffed === 'heif') {
    const decoded = await decodeHeic(bytes);
    checkDimensions(decoded.width, decoded.height, limits);
    // libheif applies the container's rotation (irot/imir); the EXIF Orientation tag inside a HEIC
    // is informational and must not be applied a second time.
    const rawOpts = { raw: { width: decoded.width, height: decoded.height, channels: 4 as const } };
    base = () => sharp(decoded.raw, { ...rawOpts, limitInputPixels: limits.maxPixels });
    width = decoded.width;
    height = decoded.height;
    hasAlpha = hasTransparency(decoded.raw);
  } else if (meta) {
    ({ width, height } = displayedSize(meta));
    if (meta.orientation !== undefined) orientation = meta.orientation;
    hasAlpha = meta.hasAlpha === true;
    base = () => sharp(bytes, sharpOpts).autoOrient();
  } else throw new AppError('corrupt_image', 'The image has no readable header.');

  const cache = new Map<string, Promise<RawImage>>();
  const baseSide = Math.min(BASE_SIDE, Math.max(width, height));
  // The longest side of the largest copy an analyzer gets (the whole image up to ANALYSIS_MAX_PIXELS).
  const longest = Math.max(width, height);
  const boundedSide = Math.floor(longest * Math.min(1, Math.sqrt(ANALYSIS_MAX_PIXELS / (width * height))));
  const raw = (maxSide: number, channels: 1 | 3 | 4, opts?: { fresh?: boolean }): Promise<RawImage> => {
    const side = Math.max(1, Math.min(Math.round(maxSide), opts?.fresh ? longest : boundedSide));
    if (opts?.fresh) return decodeRaw(base(), side, channels, width);
    const key = `${side}:${channels}`;
    let p = cache.get(key);
    if (!p) {
      // Smaller opaque copies come from the decoded base copy (a resize of 4 MP instead of a
      // decode of the file: ~25 ms instead of ~170 ms for a 12 MP JPEG).
      const fromBase = channels !== 4 && side <= baseSide && key !== `${baseSide}:3`;
      p = fromBase
        ? raw(baseSide, 3).then((b) => shrinkRaw(b, side, channels, width))
        : decodeRaw(base(), side, channels, width);
      p.catch(() => cache.delete(key));
      cache.set(key, p);
    }
    return p;
  };

  // Decode once now: a truncated or corrupt file is refused here rather than in every analyzer.
  if (options.decodeNow !== false)
    try {
      await raw(BASE_SIDE, 3);
    } catch (e) {
      throw toAppError(e);
    }

  const prepared: PreparedImage = {
    format: sniffed,
    width,
    height,
    bytes: bytes.length,
    hasAlpha,
    source: bytes,
    raw,
  };
  if (orientation !== undefined) prepared.orientation = orientation;
  return prepared;
}

/** Longest side of the copy decoded up front, from which the analyzers' smaller copies are made. */
export const BASE_SIDE = 2048;

function shrinkRaw(b: RawImage, side: number, channels: 1 | 3, displayedWidth: number): Promise<RawImage> {
  const img = sharp(b.data, { raw: { width: b.width, height: b.height, channels: b.channels } });
  return decodeRaw(img, side, channels, displayedWidth);
}

/**
 * Every input as the detectors and the age net expect it: 8-bit sRGB, 3 channels. CMYK, grey and
 * 16-bit inputs are converted through their ICC profile (libvips' defaults when they carry none),
 * and transparency is flattened onto white, as a viewer shows it, instead of exposing hidden pixels.
 */
function toEightBitSrgb(p: Sharp): Sharp {
  return p.flatten({ background: '#ffffff' }).toColourspace('srgb');
}

async function decodeRaw(
  img: Sharp,
  side: number,
  channels: 1 | 3 | 4,
  displayedWidth: number,
): Promise<RawImage> {
  let p = img.resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true });
  if (channels === 1) p = p.grayscale().removeAlpha();
  else if (channels === 3) p = toEightBitSrgb(p);
  else p = p.toColourspace('srgb').ensureAlpha();
  const { data, info } = await p.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  return {
    data,
    width: info.width,
    height: info.height,
    channels: info.channels as 1 | 3 | 4,
    scale: displayedWidth / info.width,
  };
}

/** True when some pixel of an RGBA buffer is not fully opaque. */
function hasTransparency(rgba: Buffer): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) return true;
  return false;
}
