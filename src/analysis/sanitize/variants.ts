// The copy's face choices: which variants differ from each other, and the extra copies made at scan
// time so a bot can swap the copy in place (text, codes and metadata are cleaned in every variant).
import type {
  FacesMode,
  Finding,
  PreparedImage,
  ScanOptions,
  VariantInfo,
  VariantsInfo,
} from '../../types.ts';
import { decideRedactions, sanitizeImage } from './sanitize.ts';

/** Every face choice, safest first: all pixelated, adults kept (possible minors stay), all kept. */
export const FACE_CHOICES: readonly FacesMode[] = ['all', 'minors', 'none'];

const isFace = (f: Finding): boolean =>
  f.kind === 'face' || f.kind === 'possible_minor' || f.redact === 'obscure';

/** Which faces a choice pixelates, as a comparable key. */
function facesKey(findings: readonly Finding[], base: ScanOptions, faces: FacesMode): string {
  return decideRedactions(findings, { ...base, faces })
    .filter(isFace)
    .map((f) => findings.indexOf(f))
    .join(',');
}

/**
 * The distinct face choices for these findings, safest first: none when every choice gives the same
 * copy (no face found), and a choice pixelating the same faces as a safer one is left out. Pure.
 */
export function decideVariants(findings: readonly Finding[], base: ScanOptions): VariantInfo[] {
  const plans: VariantInfo[] = [];
  const seen = new Set<string>();
  for (const faces of FACE_CHOICES) {
    const key = facesKey(findings, base, faces);
    if (seen.has(key)) continue;
    seen.add(key);
    const chosen = decideRedactions(findings, { ...base, faces });
    plans.push({
      faces,
      facesObscured: chosen.filter((f) => f.kind === 'face').length,
      minorVisible: findings.some((f) => f.kind === 'possible_minor' && !chosen.includes(f)),
    });
  }
  return plans.length > 1 ? plans : [];
}

/** The listed choice that gives the same copy as `faces` (itself, or the safer one it equals). */
export function toListedChoice(
  findings: readonly Finding[],
  base: ScanOptions,
  faces: FacesMode,
  plans: readonly VariantInfo[],
): FacesMode {
  const key = facesKey(findings, base, faces);
  return plans.find((p) => facesKey(findings, base, p.faces) === key)?.faces ?? faces;
}

/**
 * The copies of every listed choice but the one the pipeline already made (`options.faces`), from
 * the same findings: one more sanitize each. Also what report.variants says.
 */
export async function sanitizeVariants(
  image: PreparedImage,
  findings: readonly Finding[],
  options: ScanOptions,
): Promise<{ info?: VariantsInfo; copies: { faces: FacesMode; bytes: Buffer }[] }> {
  const t0 = performance.now();
  const choices = decideVariants(findings, options);
  if (choices.length === 0) return { copies: [] };
  const current = toListedChoice(findings, options, options.faces, choices);
  const copies: { faces: FacesMode; bytes: Buffer }[] = [];
  for (const p of choices) {
    if (p.faces === current) continue;
    const s = await sanitizeImage(image, findings, { ...options, faces: p.faces });
    copies.push({ faces: p.faces, bytes: s.bytes });
  }
  const ms = Math.round((performance.now() - t0) * 10) / 10;
  return { info: { current, choices, ms }, copies };
}
