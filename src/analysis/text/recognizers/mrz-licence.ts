// The one-line machine-readable zone of ISO/IEC 18013 (EU model) driving licences: 30 characters,
// "D", a configuration character, the issuing state, the licence number and the holder's name, with
// one 7-3-1 check digit over the first 29 characters. Not an ICAO 9303 layout: the `mrz` package
// does not read it.

export interface LicenceMrz {
  /** True when the check digit verifies. */
  valid: boolean;
  issuingState: string;
}

const SHAPE = /^D[0-9A-Z<][A-Z]{3}[0-9A-Z<]{24}[0-9]$/;

const toValue = (c: string): number =>
  c === '<' ? 0 : c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 55;

/** The ICAO 7-3-1 check digit of `s` (A–Z count 10–35, "<" 0). */
export function toCheckDigit(s: string): number {
  let sum = 0;
  for (let i = 0; i < s.length; i++) sum += toValue(s[i]!) * [7, 3, 1][i % 3]!;
  return sum % 10;
}

/**
 * `line` (already over the MRZ alphabet, 30 characters) read as a licence MRZ: the shape and a "<"
 * filler, confirmed by the check digit; a line of that shape whose digit does not verify counts
 * only with a "<<" run after a name.
 */
export function toLicenceMrz(line: string): LicenceMrz | undefined {
  if (!SHAPE.test(line) || !line.includes('<')) return undefined;
  const valid = toCheckDigit(line.slice(0, 29)) === Number(line[29]);
  if (!valid && !/[A-Z]{2}<</.test(line)) return undefined;
  return { valid, issuingState: line.slice(2, 5) };
}
