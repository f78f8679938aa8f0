// Metadata analyzer: what the file says about where, when, with what and by whom it was taken.
import exifr from 'exifr';
import sharp from 'sharp';
import { maskName, maskTail } from '../../mask.ts';
import { CheckFailedError } from '../check-failed-error.ts';
import type { Analyzer, Finding, ImageFormat } from '../../types.ts';

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

type Flat = Map<string, unknown>;

/** Flattens exifr's nested output into "lowercased last key" → value, keeping the first value seen. */
function flatten(obj: unknown, into: Flat = new Map(), depth = 0): Flat {
  if (depth > 6 || obj === null || typeof obj !== 'object') return into;
  if (Array.isArray(obj)) {
    for (const v of obj) flatten(v, into, depth + 1);
    return into;
  }
  if (ArrayBuffer.isView(obj) || obj instanceof Date) return into;
  for (const [k, v0] of Object.entries(obj as Record<string, unknown>)) {
    const key = k.toLowerCase();
    const v = key === 'usercomment' && v0 instanceof Uint8Array ? decodeUserComment(v0) : v0;
    if (
      v !== null &&
      typeof v === 'object' &&
      !(v instanceof Date) &&
      !ArrayBuffer.isView(v) &&
      !Array.isArray(v)
    )
      flatten(v, into, depth + 1);
    else if (!into.has(key)) into.set(key, v);
    if (Array.isArray(v) && v.some((x) => x !== null && typeof x === 'object')) flatten(v, into, depth + 1);
  }
  return into;
}

/** EXIF UserComment: 8 bytes naming the charset, then the text. */
function decodeUserComment(b: Uint8Array): string {
  const head = Buffer.from(b.subarray(0, 8)).toString('latin1');
  const body = Buffer.from(b.subarray(8));
  return head.startsWith('UNICODE') ? body.toString('utf16le') : body.toString('utf8');
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') {
    // eslint-disable-next-line no-control-regex
    const s = v.replace(/[\u0000-\u001f]/g, ' ').trim();
    return s.length > 0 ? s : undefined;
  }
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (Array.isArray(v)) {
    const parts = v.map(str).filter((x): x is string => x !== undefined);
    return parts.length > 0 ? parts.join(', ') : undefined;
  }
  if (v && typeof v === 'object' && 'value' in v) return str(v.value);
  return undefined;
}

function pick(flat: Flat, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const s = str(flat.get(k.toLowerCase()));
    if (s !== undefined) return s;
  }
  return undefined;
}

/**
 * Accuracy in metres implied by how the coordinate was stored: seconds with two decimals is about
 * 0.3 m, whole seconds 31 m, minutes with two decimals 18 m, whole minutes 1.9 km.
 */
export function toGpsAccuracyMetres(dms: unknown, hPositioningError?: unknown): number | undefined {
  if (typeof hPositioningError === 'number' && Number.isFinite(hPositioningError) && hPositioningError > 0)
    return Math.max(1, Math.round(hPositioningError));
  if (!Array.isArray(dms) || dms.length < 2) return undefined;
  const [, m, s] = dms as number[];
  const decimals = (n: number): number => {
    const t = String(n).split('.')[1];
    return t ? Math.min(t.length, 6) : 0;
  };
  if (typeof s === 'number' && s !== 0) return Math.max(1, Math.round(30.9 / 10 ** decimals(s)));
  if (typeof m === 'number') return Math.max(1, Math.round(1852 / 10 ** decimals(m)));
  return undefined;
}

function describeAccuracy(m: number | undefined): string {
  if (m === undefined) return 'precision unknown';
  if (m < 1000) return `precise to about ${m < 10 ? m : Math.round(m / 10) * 10} m`;
  return `precise to about ${(m / 1000).toFixed(1)} km`;
}

function isoMinute(v: unknown): string | undefined {
  // exifr builds the Date from the tag's wall-clock fields in local time: read them back the same way.
  if (v instanceof Date && !Number.isNaN(v.getTime())) {
    const p = (n: number): string => String(n).padStart(2, '0');
    return `${v.getFullYear()}-${p(v.getMonth() + 1)}-${p(v.getDate())} ${p(v.getHours())}:${p(v.getMinutes())}`;
  }
  const s = str(v);
  return s ? s.slice(0, 16) : undefined;
}

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

export function toMetadataFindings(
  raw: unknown,
  opts: { thumbnail?: { differs?: boolean } } = {},
): Finding[] {
  const flat = flatten(raw);
  const findings: Finding[] = [];
  const meta = (f: Omit<Finding, 'source'>): void => {
    findings.push({ ...f, source: 'metadata' });
  };

  // GPS
  const lat = flat.get('latitude');
  const lon = flat.get('longitude');
  if (typeof lat === 'number' && typeof lon === 'number' && Number.isFinite(lat) && Number.isFinite(lon)) {
    const valid = Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
    if (!valid || (lat === 0 && lon === 0)) {
      meta({
        kind: 'gps',
        severity: 'low',
        certainty: 'confirmed',
        summary: 'GPS tags present but with no real position',
        details: { empty: true },
      });
    } else {
      const acc = toGpsAccuracyMetres(flat.get('gpslatitude'), flat.get('gpshpositioningerror'));
      const details: Record<string, number | boolean> = {
        latitude: Math.round(lat * 1000) / 1000,
        longitude: Math.round(lon * 1000) / 1000,
      };
      if (acc !== undefined) details['accuracyM'] = acc;
      if (typeof flat.get('gpsaltitude') === 'number') details['altitude'] = true;
      if (typeof flat.get('gpsimgdirection') === 'number') details['direction'] = true;
      meta({
        kind: 'gps',
        severity: 'high',
        certainty: 'confirmed',
        summary: `GPS position ${lat.toFixed(3)}, ${lon.toFixed(3)} (${describeAccuracy(acc)})`,
        details,
      });
    }
  }

  // Device
  const make = pick(flat, 'make');
  const model = pick(flat, 'model');
  const lens = pick(flat, 'lensmodel');
  if (make || model) {
    const name = [
      make,
      model && make && model.toLowerCase().startsWith(make.toLowerCase())
        ? model.slice(make.length).trim()
        : model,
    ]
      .filter(Boolean)
      .join(' ');
    meta({
      kind: 'device',
      severity: 'low',
      certainty: 'confirmed',
      summary: `camera: ${name}${lens ? ` (lens ${lens})` : ''}`,
      details: { camera: name },
    });
  }
  const serials = [
    pick(flat, 'bodyserialnumber', 'serialnumber', 'internalserialnumber', 'cameraserialnumber'),
    pick(flat, 'lensserialnumber'),
  ].filter((s): s is string => s !== undefined && !/^0+$/.test(s));
  if (serials.length > 0) {
    const masked = serials.map((s) => maskTail(s)).join(', ');
    meta({
      kind: 'device',
      severity: 'medium',
      certainty: 'confirmed',
      summary: `device serial number ${masked}`,
      details: { serial: true, count: serials.length, masked },
    });
  }

  // Time
  const taken = flat.get('datetimeoriginal') ?? flat.get('createdate') ?? flat.get('datecreated');
  const when = isoMinute(taken);
  if (when) {
    const tz = pick(flat, 'offsettimeoriginal', 'offsettime');
    meta({
      kind: 'timestamp',
      severity: 'low',
      certainty: 'confirmed',
      summary: `taken on ${when}${tz ? ` (time zone ${tz})` : ''}`,
      details: { when, ...(tz ? { timeZone: tz } : {}) },
    });
  }

  // Names
  const names = new Set<string>();
  for (const k of [
    'artist',
    'xpauthor',
    'cameraownername',
    'ownername',
    'creator',
    'byline',
    'by-line',
    'author',
    'copyright',
    'rights',
    'copyrightnotice',
    'writer',
    'captionwriter',
  ]) {
    const s = pick(flat, k);
    if (s && /\p{L}{2,}/u.test(s)) names.add(s);
  }
  if (names.size > 0) {
    const masked = [...names].map(maskName).join(', ');
    meta({
      kind: 'person_name_metadata',
      severity: 'medium',
      certainty: 'confirmed',
      summary: `name in the file's metadata: ${masked}`,
      details: { count: names.size, masked },
    });
  }
  const regionNames = collectRegionNames(raw);
  if (regionNames.length > 0) {
    const masked = regionNames.map(maskName).join(', ');
    meta({
      kind: 'person_name_metadata',
      severity: 'medium',
      certainty: 'confirmed',
      summary: `people tagged by name in the metadata: ${masked}`,
      details: { count: regionNames.length, tagged: true, masked },
    });
  }

  // Place names, keywords, descriptions, comments, software
  const places = [
    'sublocation',
    'location',
    'city',
    'state',
    'provincestate',
    'province-state',
    'country',
    'countryname',
    'country-primarylocationname',
  ]
    .map((k) => pick(flat, k))
    .filter((s): s is string => s !== undefined && /\p{L}{2,}/u.test(s));
  if (places.length > 0) {
    const masked = [...new Set(places)].map(maskName).join(', ');
    meta({
      kind: 'other_metadata',
      severity: 'medium',
      certainty: 'confirmed',
      summary: `place names in the metadata: ${masked}`,
      details: { what: 'places', masked },
    });
  }
  const texts = [
    'usercomment',
    'imagedescription',
    'description',
    'caption-abstract',
    'headline',
    'title',
    'subject',
    'keywords',
    'comment',
    'comments',
    'xpcomment',
    'xpkeywords',
    'xpsubject',
    'xptitle',
  ]
    .map((k) => pick(flat, k))
    .filter(
      (s): s is string =>
        s !== undefined && /\p{L}{2,}/u.test(s) && !/^(SAMSUNG|OLYMPUS DIGITAL CAMERA|DCIM)$/i.test(s),
    );
  if (texts.length > 0) {
    meta({
      kind: 'other_metadata',
      severity: 'low',
      certainty: 'confirmed',
      summary: `${texts.length} text field${texts.length > 1 ? 's' : ''} in the metadata (comments, keywords or descriptions)`,
      details: { what: 'text', count: texts.length },
    });
  }
  const software = pick(flat, 'software', 'creatortool');
  if (software) {
    meta({
      kind: 'other_metadata',
      severity: 'low',
      certainty: 'confirmed',
      summary: `software that wrote the file: ${software.slice(0, 40)}`,
      details: { what: 'software' },
    });
  }

  // Embedded thumbnail
  if (typeof flat.get('thumbnaillength') === 'number' || opts.thumbnail) {
    const differs = opts.thumbnail?.differs === true;
    meta({
      kind: 'embedded_thumbnail',
      severity: 'medium',
      certainty: 'confirmed',
      summary: differs
        ? 'a hidden preview image that differs from the photo (it may show what was cropped or edited out)'
        : 'a hidden preview copy of the photo inside the file',
      details: { differs },
    });
  }
  return findings;
}

function collectRegionNames(raw: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown, inRegion: boolean, depth: number): void => {
    if (depth > 8 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x, inRegion, depth + 1);
      return;
    }
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const key = k.toLowerCase();
      const region = inRegion || key.includes('region') || key === 'personinimage';
      if (region && (key === 'name' || key === 'personinimage' || key === 'persondisplayname')) {
        const s = str(x);
        if (s && /\p{L}{2,}/u.test(s)) out.push(s);
      } else walk(x, region, depth + 1);
    }
  };
  walk(raw, false, 0);
  return [...new Set(out)].slice(0, 10);
}

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
