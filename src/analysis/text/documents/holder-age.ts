// Whether a document's holder is an adult, from the birth date its MRZ gives (YYMMDD). The century is
// the latest that puts the birth in the past: "07" is 2007, not 1907 — a holder over 100 would be
// read as a child, the side the check errs on.

/** The age of majority the check uses: 18, as in most of the countries whose documents it reads. */
export const ADULT_AGE = 18;

/**
 * True when the holder born on `yymmdd` is `ADULT_AGE` or older on `now`, false when younger;
 * undefined for a date that is not one (month 13, day 32, all fillers).
 */
export function isAdultOn(yymmdd: string, now: Date): boolean | undefined {
  const m = /^(\d\d)(\d\d)(\d\d)$/.exec(yymmdd);
  if (!m) return undefined;
  const [yy, mm, dd] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mm < 1 || mm > 12 || dd < 1 || dd > 31) return undefined;
  const thisYear = now.getUTCFullYear();
  let year = Math.floor(thisYear / 100) * 100 + yy;
  const born = (y: number): number => Date.UTC(y, mm - 1, dd);
  if (born(year) > now.getTime()) year -= 100;
  const birthday = Date.UTC(year + ADULT_AGE, mm - 1, dd);
  return birthday <= now.getTime();
}
