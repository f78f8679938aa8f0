// What a web link in a code reveals: a precise map location, a payment link, a login token or long
// unique id, tracking tags. Pure; the summary names the host only, never the link.
import type { CodePayload } from './payload-kinds.ts';

const EMAIL_RE =
  /[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}/;
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

/** Classifies an http(s) or www. link; undefined when the text is not a single link. */
export function toUrlPayload(raw: string): CodePayload | undefined {
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
