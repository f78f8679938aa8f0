// What a decoded QR code or barcode reveals: a pure classifier from the payload text to a kind,
// a severity and a masked English summary. Never returns the payload itself.
import { maskEmail, maskIban, maskName, maskPhone } from '../../mask.ts';
import { findCardNumbers } from '../text/recognizers/card.ts';
import { findEmails } from '../text/recognizers/email.ts';
import { findIbans, isIbanValid } from '../text/recognizers/iban.ts';
import { toTextSeverity, type TextMatch } from '../text/recognizers/match.ts';
import { findPhones } from '../text/recognizers/phone.ts';
import { isLinearFormat, isProductFormat, toFormatLabel } from './formats.ts';
import type { CodePayload, PayloadContext } from './payload-kinds.ts';
import { toUrlPayload } from './url-payload.ts';

export type { CodePayload, PayloadContext, PayloadKind } from './payload-kinds.ts';

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

/**
 * Personal data inside free text, with the project's text recognizers (string entry points):
 * card numbers (Luhn), IBANs (mod 97), e-mail addresses and phone numbers.
 */
export function findPayloadText(text: string): TextMatch[] {
  return [...findCardNumbers(text), ...findIbans(text), ...findEmails(text), ...findPhones(text)];
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
