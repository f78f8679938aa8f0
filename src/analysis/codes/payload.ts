// What a decoded QR code or barcode reveals: a pure classifier from the payload text to a kind,
// a severity and a masked English summary. Never returns the payload itself.
import { maskEmail, maskIban, maskName, maskPhone } from '../../mask.ts';
import type { Severity } from '../../types.ts';
import { findCardNumbers } from '../text/recognizers/card.ts';
import { findEmails } from '../text/recognizers/email.ts';
import { findIbans, isIbanValid } from '../text/recognizers/iban.ts';
import { toTextSeverity, type TextMatch } from '../text/recognizers/match.ts';
import { findPhones } from '../text/recognizers/phone.ts';

export type PayloadKind =
  | 'wifi'
  | 'contact'
  | 'email'
  | 'phone'
  | 'sms'
  | 'geo'
  | 'url'
  | 'payment'
  | 'boarding_pass'
  | 'driver_licence'
  | 'ticket'
  | 'otp'
  | 'event'
  | 'product'
  | 'identifier'
  | 'binary'
  | 'text';

export interface CodePayload {
  kind: PayloadKind;
  severity: Severity;
  /** One masked English line; never the full payload or a sensitive value. */
  summary: string;
  /**
   * Non-sensitive facts for rendering in other languages; always carries `payload` (the kind), and
   * `masked` when the summary shows masked values (src/mask.ts).
   */
  details: Record<string, string | number | boolean>;
}

export interface PayloadContext {
  /** zxing format name, e.g. 'QRCode', 'EAN13', 'PDF417'. */
  format: string;
  /** The decoder reported binary content (not text). */
  binary?: boolean;
}

/** Retail product symbologies: a plain product number, nothing personal. */
const PRODUCT_FORMATS: ReadonlySet<string> = new Set(['EAN13', 'EAN8', 'UPCA', 'UPCE', 'ISBN']);

/** 1-D (linear) symbologies; everything else we read is a 2-D code. */
const LINEAR_FORMATS: ReadonlySet<string> = new Set([
  'Codabar',
  'Code39',
  'Code39Std',
  'Code39Ext',
  'Code32',
  'PZN',
  'Code93',
  'Code128',
  'ITF',
  'ITF14',
  'DataBar',
  'DataBarOmni',
  'DataBarStk',
  'DataBarStkOmni',
  'DataBarLtd',
  'DataBarExp',
  'DataBarExpStk',
  'EAN13',
  'EAN8',
  'EAN5',
  'EAN2',
  'ISBN',
  'UPCA',
  'UPCE',
  'Telepen',
  'TelepenAlpha',
  'TelepenNumeric',
  'DXFilmEdge',
]);

export function isLinearFormat(format: string): boolean {
  return LINEAR_FORMATS.has(format);
}

export function isProductFormat(format: string): boolean {
  return PRODUCT_FORMATS.has(format);
}

/** A human label for a zxing format name ("EAN13" -> "EAN-13"). */
export function toFormatLabel(format: string): string {
  const labels: Record<string, string> = {
    QRCode: 'QR code',
    MicroQRCode: 'Micro QR code',
    RMQRCode: 'rMQR code',
    DataMatrix: 'Data Matrix',
    Aztec: 'Aztec code',
    PDF417: 'PDF417',
    EAN13: 'EAN-13',
    EAN8: 'EAN-8',
    UPCA: 'UPC-A',
    UPCE: 'UPC-E',
    ISBN: 'ISBN',
    Code128: 'Code 128',
    Code39: 'Code 39',
    Code93: 'Code 93',
    ITF: 'ITF',
  };
  return labels[format] ?? format;
}

// ---------------------------------------------------------------------------------------------
// Structured payload helpers

/** Splits "K:v;K2:v2;;" (MECARD, WIFI, MATMSG) into fields, honouring backslash escapes. */
export function parseSemicolonFields(body: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let key = '';
  let value = '';
  let inValue = false;
  const push = (): void => {
    if (key) out.set(key.toUpperCase(), [...(out.get(key.toUpperCase()) ?? []), value]);
    key = '';
    value = '';
    inValue = false;
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i] ?? '';
    if (c === '\\' && i + 1 < body.length) {
      const next = body[++i] ?? '';
      if (inValue) value += next;
      else key += next;
    } else if (c === ';') push();
    else if (c === ':' && !inValue) inValue = true;
    else if (inValue) value += c;
    else key += c;
  }
  if (key) push();
  return out;
}

function first(fields: Map<string, string[]>, key: string): string | undefined {
  const v = fields.get(key)?.find((x) => x.trim().length > 0);
  return v?.trim();
}

const EMAIL_RE =
  /[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}/;

/**
 * Personal data inside free text, with the project's text recognizers (string entry points):
 * card numbers (Luhn), IBANs (mod 97), e-mail addresses and phone numbers.
 */
export function findPayloadText(text: string): TextMatch[] {
  return [...findCardNumbers(text), ...findIbans(text), ...findEmails(text), ...findPhones(text)];
}

// ---------------------------------------------------------------------------------------------
// URLs

const TRACKING_PARAM =
  /^(utm_[a-z_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_[ce]id|_hsenc|_hsmi|yclid|igshid|twclid|ttclid|li_fat_id|mkt_tok|oly_[a-z_]+|vero_id|_ga|_gl)$/i;
const TOKEN_PARAM =
  /(token|session|sessid|^sid$|auth|secret|passw|^pass$|^pwd$|^key$|apikey|api_key|_key$|^sig$|signature|^otp$|^code$|invite|^ticket$|^jwt$|^hash$|^uid$|user_?id|^email$|^e$|^phone$|^tel$|reset|magic|login|^account$|^member$|^customer$)/i;

/** A long, random-looking id: a capability link or a personal identifier. */
function isRandomId(s: string): boolean {
  if (/^eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+/.test(s)) return true; // JWT
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s)) return true; // UUID
  if (!/^[A-Za-z0-9_~-]{20,}$/.test(s)) return false;
  if (!/\d/.test(s) || !/[A-Za-z]/.test(s)) return /^[0-9a-f]{24,}$/i.test(s) && /\d/.test(s);
  return new Set(s).size >= 10;
}

const PAYMENT_HOSTS =
  /(^|\.)(paypal\.me|paypal\.com|venmo\.com|cash\.app|revolut\.me|monzo\.me|wise\.com|buy\.stripe\.com|checkout\.stripe\.com|lydia-app\.com|pay\.lydia\.me|paylib\.fr|twint\.ch|swish\.nu|mobilepay\.(dk|fi)|bizum\.es|satispay\.com|tikkie\.me|payconiq\.com|bunq\.me|ing\.(de|nl)|paypal-me\.com)$/i;
const MAP_HOSTS =
  /(^|\.)(maps\.google\.[a-z.]+|google\.[a-z.]+|maps\.apple\.com|openstreetmap\.org|waze\.com|bing\.com|here\.com|what3words\.com)$/i;
const COORDS = /-?\d{1,3}\.\d{3,}\s*(,|%2C)\s*-?\d{1,3}\.\d{3,}/i;

function toUrlPayload(raw: string): CodePayload | undefined {
  let text = raw.trim();
  if (/^www\.[^\s]+\.[a-z]{2,}/i.test(text)) text = `http://${text}`;
  if (!/^https?:\/\/\S+$/i.test(text)) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  const host = url.hostname.replace(/^www\./, '').toLowerCase();
  const path = url.pathname.toLowerCase();
  if (
    MAP_HOSTS.test(host) &&
    (host.startsWith('maps.') ||
      path.includes('map') ||
      host.endsWith('waze.com') ||
      host.endsWith('openstreetmap.org') ||
      host.endsWith('what3words.com')) &&
    (COORDS.test(text) || host.endsWith('what3words.com'))
  )
    return {
      kind: 'geo',
      severity: 'high',
      summary: `map link to a precise location (coordinates hidden)`,
      details: { payload: 'geo', host },
    };
  if (PAYMENT_HOSTS.test(host))
    return {
      kind: 'payment',
      severity: 'high',
      summary: `payment link (${host})`,
      details: { payload: 'payment', host, method: 'link' },
    };

  const credentials = url.username.length > 0 || url.password.length > 0;
  let token = credentials;
  let tracking = false;
  let uniqueId = false;
  for (const [name, value] of url.searchParams) {
    if (TRACKING_PARAM.test(name)) tracking = true;
    else if (TOKEN_PARAM.test(name) && value.length > 0) token = true;
    else if (isRandomId(value) || EMAIL_RE.test(value)) uniqueId = true;
  }
  for (const seg of url.pathname.split('/')) if (isRandomId(seg)) uniqueId = true;
  if (url.hash.length > 1) {
    const frag = new URLSearchParams(url.hash.slice(1));
    for (const [name, value] of frag) if (TOKEN_PARAM.test(name) && value.length > 0) token = true;
    if (isRandomId(url.hash.slice(1))) uniqueId = true;
  }
  let summary = `web link to ${host}`;
  if (credentials) summary += ' with a login name or password';
  else if (token) summary += ' with a personal token or login code';
  else if (uniqueId) summary += ' with a long unique id (may open a private page or identify you)';
  if (tracking) summary += token || uniqueId || credentials ? ' and tracking tags' : ' with tracking tags';
  return {
    kind: 'url',
    severity: token || uniqueId ? 'high' : 'medium',
    summary,
    details: { payload: 'url', host, token, tracking, uniqueId },
  };
}

// ---------------------------------------------------------------------------------------------
// Kinds

function toWifi(text: string): CodePayload {
  const f = parseSemicolonFields(text.slice(5));
  const ssid = first(f, 'S') ?? '';
  const password = first(f, 'P') ?? '';
  const security = (first(f, 'T') ?? (password ? 'WPA' : 'nopass')).toUpperCase();
  const hasPassword = password.length > 0 && security !== 'NOPASS';
  const masked = maskName(ssid);
  return {
    kind: 'wifi',
    severity: hasPassword ? 'high' : 'medium',
    summary: hasPassword ? `Wi-Fi password for network ${masked}` : `Wi-Fi network ${masked} (no password)`,
    details: {
      payload: 'wifi',
      hasPassword,
      security,
      hidden: first(f, 'H')?.toLowerCase() === 'true',
      masked,
    },
  };
}

const CONTACT_FIELD_ORDER = [
  'name',
  'organisation',
  'phone',
  'e-mail',
  'address',
  'birthday',
  'web link',
  'note',
  'photo',
];

function toContactSummary(fields: Set<string>, kind: string): CodePayload {
  const list = CONTACT_FIELD_ORDER.filter((f) => fields.has(f));
  return {
    kind: 'contact',
    severity: 'high',
    summary: list.length > 0 ? `contact card: ${list.join(', ')}` : 'contact card',
    details: { payload: 'contact', card: kind, fields: list.join(',') },
  };
}

function toVCard(text: string): CodePayload {
  const fields = new Set<string>();
  const map: [RegExp, string][] = [
    [/^(FN|N)$/, 'name'],
    [/^ORG$/, 'organisation'],
    [/^TEL$/, 'phone'],
    [/^EMAIL$/, 'e-mail'],
    [/^ADR$/, 'address'],
    [/^BDAY$/, 'birthday'],
    [/^URL$/, 'web link'],
    [/^NOTE$/, 'note'],
    [/^PHOTO$/, 'photo'],
  ];
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon < 1) continue;
    const name = (line.slice(0, colon).split(';')[0] ?? '').replace(/^item\d+\./i, '').toUpperCase();
    const value = line.slice(colon + 1).replace(/[;,\s]/g, '');
    if (!value) continue;
    for (const [re, label] of map) if (re.test(name)) fields.add(label);
  }
  return toContactSummary(fields, 'vcard');
}

function toMecard(
  text: string,
  prefixLength: number,
  labels: Record<string, string>,
  kind: string,
): CodePayload {
  const f = parseSemicolonFields(text.slice(prefixLength));
  const fields = new Set<string>();
  for (const [key, label] of Object.entries(labels)) if (first(f, key)) fields.add(label);
  return toContactSummary(fields, kind);
}

const MECARD_LABELS = {
  N: 'name',
  NICKNAME: 'name',
  TEL: 'phone',
  EMAIL: 'e-mail',
  ADR: 'address',
  BDAY: 'birthday',
  URL: 'web link',
  NOTE: 'note',
  ORG: 'organisation',
};
const BIZCARD_LABELS = {
  N: 'name',
  X: 'name',
  C: 'organisation',
  B: 'phone',
  M: 'phone',
  E: 'e-mail',
  A: 'address',
};

function toEpcPayment(lines: string[]): CodePayload {
  const iban = (lines[6] ?? '').replace(/\s/g, '');
  const name = (lines[5] ?? '').trim();
  const amount = /^[A-Z]{3}\d/.test(lines[7] ?? '');
  const masked = iban ? maskIban(iban) : undefined;
  const parts = [name ? 'beneficiary name' : '', masked ? `IBAN ${masked}` : '', amount ? 'amount' : ''];
  return {
    kind: 'payment',
    severity: 'high',
    summary: `bank transfer request (EPC QR): ${parts.filter(Boolean).join(', ')}`,
    details: {
      payload: 'payment',
      method: 'sepa',
      ibanValid: isIbanValid(iban),
      amount,
      ...(masked ? { masked } : {}),
    },
  };
}

function toSwissBill(lines: string[]): CodePayload {
  const iban = (lines[3] ?? '').replace(/\s/g, '');
  const masked = maskIban(iban);
  return {
    kind: 'payment',
    severity: 'high',
    summary: `Swiss QR bill: beneficiary, IBAN ${masked}, address`,
    details: {
      payload: 'payment',
      method: 'qr-bill',
      ibanValid: isIbanValid(iban),
      amount: /\d/.test(lines[18] ?? ''),
      masked,
    },
  };
}

const BCBP = /^M[1-4][A-Z0-9/ .'-]{20}[E ][A-Z0-9 ]{7}[A-Z]{3}[A-Z]{3}[A-Z0-9 ]{3}[0-9 ]{4}[A-Z ]?[0-9]{3}/i;
// "@", then line feed, record separator (0x1e) and carriage return, then "ANSI " (AAMVA DL/ID card).
// eslint-disable-next-line no-control-regex
const AAMVA = /^@[\s\x1c\x1d\x1e]*(ANSI |AAMVA)/;

function toBoardingPass(text: string): CodePayload {
  return {
    kind: 'boarding_pass',
    severity: 'high',
    summary: 'boarding pass: passenger name, booking reference, flight and seat',
    details: { payload: 'boarding_pass', legs: Number(text[1]) },
  };
}

function toDriverLicence(text: string): CodePayload {
  const fields: string[] = [];
  if (/\n(DCS|DAA|DAC)/.test(text)) fields.push('name');
  if (/\nDBB/.test(text)) fields.push('date of birth');
  if (/\n(DAG|DAI)/.test(text)) fields.push('address');
  if (/(DAQ|\nDAQ)/.test(text)) fields.push('licence number');
  return {
    kind: 'driver_licence',
    severity: 'high',
    summary: `driving licence data${fields.length ? `: ${fields.join(', ')}` : ' (name, date of birth, address)'}`,
    details: { payload: 'driver_licence' },
  };
}

function toProduct(text: string, format: string): CodePayload {
  const isbn = format === 'ISBN' || (format === 'EAN13' && /^97[89]/.test(text));
  return {
    kind: 'product',
    severity: 'low',
    summary: isbn ? 'book barcode (ISBN)' : `product barcode (${toFormatLabel(format)})`,
    details: { payload: 'product', isbn },
  };
}

function toText(text: string, ctx: PayloadContext): CodePayload {
  const hits = findPayloadText(text);
  const linear = isLinearFormat(ctx.format);
  if (hits.length > 0) {
    const high = hits.some((h) => toTextSeverity(h.kind) === 'high');
    const masked = hits.map((h) => h.details?.['masked']).filter((m) => typeof m === 'string');
    return {
      kind: 'text',
      severity: high ? 'high' : 'medium',
      summary: `text containing ${hits.map((h) => h.summary).join(', ')}`,
      details: {
        payload: 'text',
        found: hits.map((h) => h.kind).join(','),
        ...(masked.length > 0 ? { masked: masked.join(', ') } : {}),
      },
    };
  }
  if (linear)
    return {
      kind: 'identifier',
      severity: 'medium',
      summary: `barcode with an identifier (${toFormatLabel(ctx.format)}): may be a ticket, parcel or membership number`,
      details: { payload: 'identifier', length: text.length },
    };
  return {
    kind: 'text',
    severity: 'low',
    summary: `text (${text.length} characters), no personal data recognised`,
    details: { payload: 'text', length: text.length },
  };
}

/** Classifies a decoded payload. Pure; the result never contains the payload or a sensitive value. */
export function toCodePayload(raw: string, ctx: PayloadContext): CodePayload {
  const text = raw.replace(/^\uFEFF/, '');
  const trimmed = text.trim();
  const upper = trimmed.slice(0, 16).toUpperCase();
  const lower = trimmed.toLowerCase();

  if (isProductFormat(ctx.format) && /^\d+$/.test(trimmed)) return toProduct(trimmed, ctx.format);
  if (AAMVA.test(text)) return toDriverLicence(text);
  if (BCBP.test(trimmed)) return toBoardingPass(trimmed);
  if (upper.startsWith('WIFI:')) return toWifi(trimmed);
  if (upper.startsWith('BEGIN:VCARD')) return toVCard(trimmed);
  if (upper.startsWith('MECARD:')) return toMecard(trimmed, 7, MECARD_LABELS, 'mecard');
  if (upper.startsWith('BIZCARD:')) return toMecard(trimmed, 8, BIZCARD_LABELS, 'bizcard');
  if (upper.startsWith('BEGIN:VEVENT') || upper.startsWith('BEGIN:VCALENDAR'))
    return {
      kind: 'event',
      severity: 'medium',
      summary: 'calendar event: date, time and place',
      details: { payload: 'event' },
    };
  if (lower.startsWith('otpauth://') || lower.startsWith('otpauth-migration://'))
    return {
      kind: 'otp',
      severity: 'high',
      summary: 'two-factor login secret (whoever scans it can generate your login codes)',
      details: { payload: 'otp' },
    };
  if (lower.startsWith('mailto:') || upper.startsWith('MATMSG:')) {
    const addr = upper.startsWith('MATMSG:')
      ? (first(parseSemicolonFields(trimmed.slice(7)), 'TO') ?? '')
      : decodeURIComponent(trimmed.slice(7).split('?')[0] ?? '');
    const masked = addr ? maskEmail(addr) : undefined;
    return {
      kind: 'email',
      severity: 'medium',
      summary: masked ? `e-mail address ${masked}` : 'e-mail message',
      details: { payload: 'email', ...(masked ? { masked } : {}) },
    };
  }
  if (lower.startsWith('tel:')) {
    const masked = maskPhone(trimmed.slice(4));
    return {
      kind: 'phone',
      severity: 'medium',
      summary: `phone number ${masked}`,
      details: { payload: 'phone', masked },
    };
  }
  if (
    lower.startsWith('sms:') ||
    lower.startsWith('smsto:') ||
    lower.startsWith('mms:') ||
    lower.startsWith('mmsto:')
  ) {
    const rest = trimmed.slice(trimmed.indexOf(':') + 1);
    const masked = maskPhone(rest.split(/[?:]/)[0] ?? '');
    return {
      kind: 'sms',
      severity: 'medium',
      summary: `text message to a phone number ${masked}`,
      details: { payload: 'sms', masked },
    };
  }
  if (lower.startsWith('geo:'))
    return {
      kind: 'geo',
      severity: 'high',
      summary: 'map location (coordinates hidden)',
      details: { payload: 'geo' },
    };
  const lines = trimmed.split(/\r?\n/);
  if (lines[0] === 'BCD' && lines.length >= 7) return toEpcPayment(lines);
  if (lines[0] === 'SPC' && lines.length >= 4) return toSwissBill(lines);
  if (/^(bitcoin|ethereum|litecoin|lightning|monero|bitcoincash|upi|bank|payto):/i.test(trimmed)) {
    const scheme = lower.slice(0, lower.indexOf(':'));
    return {
      kind: 'payment',
      severity: 'high',
      summary: `payment request (${scheme})`,
      details: { payload: 'payment', method: scheme },
    };
  }
  const url = toUrlPayload(trimmed);
  if (url) return url;
  if (
    /^#UT|^OTI|^U_FLEX/.test(trimmed.replace(/^[^\x20-\x7e]+/, '')) ||
    (ctx.format === 'Aztec' && ctx.binary)
  )
    return {
      kind: 'ticket',
      severity: 'high',
      summary: 'travel ticket (may hold the passenger name and date of birth)',
      details: { payload: 'ticket' },
    };
  if (ctx.binary)
    return {
      kind: 'binary',
      severity: 'medium',
      summary: `binary data (${toFormatLabel(ctx.format)}): may be a ticket or an ID`,
      details: { payload: 'binary' },
    };
  return toText(trimmed, ctx);
}
