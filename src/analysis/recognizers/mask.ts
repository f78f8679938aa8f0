// Masking for summaries: enough to recognise one's own data, never enough to reuse it.

/** "jean.dupont@example.com" -> "j***@e***.com". */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const tld = dot > 0 ? domain.slice(dot) : '';
  const host = dot > 0 ? domain.slice(0, dot) : domain;
  return `${local.slice(0, 1)}***@${host.slice(0, 1)}***${tld}`;
}

/** The last `n` characters of the alphanumerics in `value`. */
export function toTail(value: string, n: number): string {
  const clean = value.replace(/[^0-9A-Za-z]/g, '');
  return clean.slice(Math.max(0, clean.length - n));
}

/** "Aarav Navuluri" -> "A. N." */
export function maskName(name: string): string {
  return name
    .split(/[\s-]+/)
    .filter((w) => w.length > 0)
    .map((w) => `${w.slice(0, 1).toUpperCase()}.`)
    .join(' ');
}
