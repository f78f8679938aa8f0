// One masking style per kind of value, used by every analyzer (text recognizers, metadata, code
// payloads): enough for the owner to recognise their own data, never enough to reuse it. The masked
// value is also put in a finding's `details.masked`, so every language shows the same one.
//
//   names (people, places, networks)  "Jane Doe"                    → "J*** D***"
//   e-mail addresses                  "jean.dupont@example.com"     → "j***@e***.com"
//   tails of numbers (card, id, serial) "4242 4242 4242 4242"       → "****4242"
//   phone numbers                     "+33 6 12 34 56 78"           → "****78"
//   IBANs                             "DE89 3704 0044 0532 0130 00" → "DE****3000"

const HIDDEN = '***';

/** Each word's first letter, then "***": "Jane Doe" → "J*** D***". At most four words. */
export function maskName(value: string): string {
  const words = value.split(/\s+/).filter((w) => w.length > 0);
  if (words.length === 0) return HIDDEN;
  return words
    .slice(0, 4)
    .map((w) => `${[...w][0] ?? ''}${HIDDEN}`)
    .join(' ');
}

/** First letter of the local part and of the host, then the top-level domain: "j***@e***.com". */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return HIDDEN;
  const local = email.slice(0, at).trim();
  const domain = email.slice(at + 1).trim();
  const dot = domain.lastIndexOf('.');
  const tld = dot > 0 ? domain.slice(dot) : '';
  const host = dot > 0 ? domain.slice(0, dot) : domain;
  return `${[...local][0] ?? ''}${HIDDEN}@${[...host][0] ?? ''}${HIDDEN}${tld}`;
}

/** The last `n` letters and digits of `value` (punctuation and spaces dropped). */
export function toTail(value: string, n: number): string {
  const clean = value.replace(/[^0-9A-Za-z]/g, '');
  return clean.slice(Math.max(0, clean.length - n));
}

/**
 * "****" and the last `keep` letters and digits: "****4242". The tail is shown only when at least as
 * many characters stay hidden; a shorter value is all stars.
 */
export function maskTail(value: string, keep = 4): string {
  const clean = value.replace(/[^0-9A-Za-z]/g, '');
  return clean.length >= 2 * keep ? `****${toTail(clean, keep)}` : '****';
}

/** The last two digits: "+33 6 12 34 56 78" → "****78". */
export function maskPhone(phone: string): string {
  return maskTail(phone.replace(/\D/g, ''), 2);
}

/** The country code and the last four characters: "DE89 3704 0044 0532 0130 00" → "DE****3000". */
export function maskIban(iban: string): string {
  const clean = iban.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
  const country = /^[A-Z]{2}/.test(clean) ? clean.slice(0, 2) : '';
  return `${country}${maskTail(clean.slice(country ? 4 : 0), 4)}`;
}
