// What a file's metadata says about where, when, with what and by whom it was taken: a pure mapping
// from exifr's nested output to findings (GPS and its precision, dates, camera and owner, names…).
import { maskName, maskTail } from '../../mask.ts';
import type { Finding } from '../../types.ts';

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

/** The findings in exifr's output; `thumbnail.differs` says the EXIF preview shows another picture. */
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
