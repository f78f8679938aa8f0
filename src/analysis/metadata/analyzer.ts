// Metadata analyzer: reads what the file says (EXIF, XMP, IPTC, comments, the EXIF thumbnail) with
// exifr and libvips; findings.ts turns it into findings.
import exifr from 'exifr';
import sharp from 'sharp';
import { CheckFailedError } from '../check-failed-error.ts';
import type { Analyzer, ImageFormat } from '../../types.ts';
import { toMetadataFindings } from './findings.ts';

const EXIFR_OPTIONS = {
  tiff: true,
  exif: true,
  gps: true,
  xmp: true,
  iptc: true,
  ifd1: true,
  icc: false,
  interop: false,
  makerNote: false,
  userComment: true,
  mergeOutput: false,
  translateValues: true,
  reviveValues: true,
  sanitize: true,
  multiSegment: true,
};

/** What the parsers read, and whether any block could not be read (exifr threw or reported errors). */
interface Reading {
  raw: unknown;
  damaged: boolean;
}

/** exifr's answer (what it could read), `damaged` when it threw or (silentErrors mode) listed `errors`. */
async function tryParse<T>(p: Promise<T>): Promise<{ value?: T; damaged: boolean }> {
  try {
    const value = await p;
    const errors = (value as { errors?: unknown } | undefined)?.errors;
    return { value, damaged: Array.isArray(errors) && errors.length > 0 };
  } catch {
    return { damaged: true };
  }
}

/** Every metadata block exifr (or, for WebP/AVIF/GIF, libvips) can read, and whether one was damaged. */
async function readMetadata(source: Buffer, format: ImageFormat): Promise<Reading> {
  // exifr reads JPEG, TIFF, PNG and HEIC containers itself; for WebP and AVIF it throws or returns
  // nothing, so hand it the raw EXIF and XMP blocks that libvips extracts.
  if (format === 'webp' || format === 'avif' || format === 'gif') {
    const meta = await sharp(source, { limitInputPixels: false }).metadata();
    const parts: unknown[] = [];
    let damaged = false;
    if (meta.exif) {
      const exif = await tryParse(exifr.parse(stripExifHeader(meta.exif), EXIFR_OPTIONS));
      damaged ||= exif.damaged;
      parts.push(exif.value);
    }
    if (meta.xmp) {
      const xmp = await tryParse(exifr.parse(meta.xmp, { xmp: true }));
      damaged ||= xmp.damaged;
      parts.push({ xmpRaw: xmp.value as unknown });
    }
    if (meta.comments) parts.push({ comments: meta.comments.map((c) => ({ [c.keyword]: c.text })) });
    return { raw: parts, damaged };
  }
  const full = await tryParse(exifr.parse(source, EXIFR_OPTIONS));
  if (!full.damaged) return { raw: full.value, damaged: false };
  // One malformed IFD0 entry makes exifr drop everything (seen on a Sony DSC-HX5V file): read the
  // other blocks without IFD0, and IFD0's useful tags one by one. What even these cannot read makes
  // the check `failed` (damaged_metadata), with what they did read kept.
  // The typings say IFD0 cannot be skipped; the parser honours it.
  const noIfd0 = { ...EXIFR_OPTIONS, ifd0: false } as unknown as Parameters<typeof exifr.parse>[1];
  const rest = await tryParse(exifr.parse(source, noIfd0) as Promise<unknown>);
  const ifd0 = await tryParse(
    exifr.parse(source, { pick: IFD0_TAGS, mergeOutput: false }) as Promise<unknown>,
  );
  const gps = await tryParse(exifr.gps(source));
  return {
    raw: [full.value, rest.value, ifd0.value, gps.value ? { gps: gps.value } : undefined],
    damaged: rest.damaged || ifd0.damaged || gps.damaged,
  };
}

const IFD0_TAGS = [
  'Make',
  'Model',
  'Software',
  'Artist',
  'Copyright',
  'XPAuthor',
  'XPComment',
  'ImageDescription',
];

function stripExifHeader(b: Buffer): Buffer {
  return b.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? b.subarray(6) : b;
}

/** Compares the EXIF thumbnail with the main image: true when they visibly differ (edited, cropped). */
async function thumbnailDiffers(thumb: Uint8Array, source: Buffer): Promise<boolean | undefined> {
  try {
    const tiny = async (input: Buffer | Uint8Array, orient: boolean): Promise<Buffer> => {
      let p = sharp(input, { limitInputPixels: 64_000_000 });
      if (orient) p = p.autoOrient();
      return p.resize(16, 16, { fit: 'fill' }).grayscale().raw().toBuffer();
    };
    const [a, b, bRot] = await Promise.all([tiny(thumb, false), tiny(source, false), tiny(source, true)]);
    const mad = (x: Buffer, y: Buffer): number => {
      let s = 0;
      for (let i = 0; i < x.length; i++) s += Math.abs((x[i] ?? 0) - (y[i] ?? 0));
      return s / x.length;
    };
    return Math.min(mad(a, b), mad(a, bRot)) > 28;
  } catch {
    return undefined;
  }
}

/** The metadata check: reads the blocks, compares the EXIF thumbnail, reports findings (`failed` when damaged). */
export function createMetadataAnalyzer(): Analyzer {
  return {
    name: 'metadata',
    timeoutMs: 5_000,
    async analyze({ image }) {
      const { raw, damaged } = await readMetadata(image.source, image.format);
      let thumbnail: { differs?: boolean } | undefined;
      let thumbDamaged = false;
      if (image.format === 'jpeg' || image.format === 'tiff') {
        const thumb = await tryParse(exifr.thumbnail(image.source));
        thumbDamaged = thumb.damaged;
        if (thumb.value && thumb.value.length > 0) {
          const differs = await thumbnailDiffers(thumb.value, image.source);
          thumbnail = differs === undefined ? {} : { differs };
        }
      }
      const findings = toMetadataFindings(raw, thumbnail ? { thumbnail } : {});
      if (damaged || thumbDamaged) throw new CheckFailedError('damaged_metadata', findings);
      return findings;
    },
  };
}
