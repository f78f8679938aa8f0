// The buttons under a copy and under /settings, platform-neutral: a label and callback data that
// carries only the scan id and the choice (or, for /settings, the choice alone).
import type { Messages } from '../i18n/en.ts';
import type { FacesMode } from '../types.ts';
import type { ChoiceRecord } from './choice-store.ts';

export type Choice = FacesMode | 'where';
const CHOICES = new Set<string>(['all', 'minors', 'none', 'where']);
const FACES: readonly FacesMode[] = ['all', 'minors', 'none'];

export interface ChoiceButton {
  label: string;
  data: string;
}

/** Callback data of a copy's button: `c1:<scanId>:<choice>` (≤ 64 bytes for a UUID scan id). */
export function formatChoiceData(scanId: string, choice: Choice): string {
  return `c1:${scanId}:${choice}`;
}

/** The copy's button data back, or undefined when it is not ours. */
export function parseChoiceData(data: string): { scanId: string; choice: Choice } | undefined {
  const m = /^c1:([A-Za-z0-9_.-]{1,64}):([a-z]+)$/.exec(data);
  if (!m || !CHOICES.has(m[2]!)) return undefined;
  return { scanId: m[1]!, choice: m[2] as Choice };
}

/** Callback data of a /settings button: `s1:<faces>`. */
export function formatSettingsData(faces: FacesMode): string {
  return `s1:${faces}`;
}

export function parseSettingsData(data: string): FacesMode | undefined {
  const m = /^s1:([a-z]+)$/.exec(data);
  return m && (FACES as readonly string[]).includes(m[1]!) ? (m[1] as FacesMode) : undefined;
}

/** The buttons under a copy: every other listed face choice, then "Show where" if there is a picture. */
export function decideChoiceButtons(scanId: string, record: ChoiceRecord, m: Messages): ChoiceButton[] {
  const buttons = FACES.filter((f) => f !== record.current && record.variants[f] !== undefined).map((f) => ({
    label: m.choices.button[f],
    data: formatChoiceData(scanId, f),
  }));
  if (record.preview) buttons.push({ label: m.choices.where, data: formatChoiceData(scanId, 'where') });
  return buttons;
}

/** The /settings buttons: one per face choice, the current one marked. */
export function decideSettingsButtons(current: FacesMode, m: Messages): ChoiceButton[] {
  return FACES.map((f) => ({
    label: f === current ? `✓ ${m.choices.button[f]}` : m.choices.button[f],
    data: formatSettingsData(f),
  }));
}
