// ReplyView → Discord embeds, and the policy for auto-scan replies. Pure.
import type { APIEmbed } from 'discord.js';
import { messagesFor, renderReport, type ReplyView } from '../../render.ts';
import type { FindingKind, Locale, RiskReport, Severity, Verdict } from '../../types.ts';

export const VERDICT_COLOURS: Record<Verdict, number> = {
  high: 0xd93025,
  medium: 0xf29900,
  low: 0xf9cb00,
  review: 0x5f6368,
  none: 0x1e8e3e,
};

// Discord's embed limits.
const TITLE_MAX = 256;
const DESCRIPTION_MAX = 4096;
const FIELD_MAX = 1024;

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function bullets(items: string[], max: number): string {
  return clip(items.map((i) => `• ${i}`).join('\n'), max);
}

/** One embed for one checked photo, in the reader's language: verdict colour, one line per finding. */
export function renderResultEmbed(view: ReplyView, opts: { label?: string; note?: string } = {}): APIEmbed {
  const fields: NonNullable<APIEmbed['fields']> = [];
  const field = (name: string, items: string[]): void => {
    if (items.length > 0) fields.push({ name, value: bullets(items, FIELD_MAX) });
  };
  field(view.sections.notChecked, view.notChecked);
  field(view.sections.removed, view.removed);
  field(view.sections.remains, view.remains);
  field(view.sections.advice, view.advice);
  const description = [
    view.headline,
    ...(view.lines.length > 0 ? ['', clip(view.lines.join('\n'), DESCRIPTION_MAX)] : []),
  ]
    .concat(opts.note ? ['', opts.note] : [])
    .join('\n');
  return {
    title: clip(opts.label ? `${opts.label} — ${view.verdictLabel}` : view.verdictLabel, TITLE_MAX),
    description: clip(description, DESCRIPTION_MAX),
    color: VERDICT_COLOURS[view.verdict],
    ...(fields.length > 0 ? { fields } : {}),
  };
}

/** A refusal or failure for one photo, as an embed (grey). */
export function renderErrorEmbed(text: string, label?: string): APIEmbed {
  return {
    ...(label ? { title: clip(label, TITLE_MAX) } : {}),
    description: clip(text, DESCRIPTION_MAX),
    color: VERDICT_COLOURS.review,
  };
}

/** The full report for the owner of the photo (ephemeral reply or DM). */
export function renderOwnerEmbed(
  report: RiskReport,
  locale: Locale,
  opts: { label?: string; note?: string } = {},
) {
  return renderResultEmbed(renderReport(report, locale), opts);
}

/** Discord's auto-scan threshold (fixed; decideGroupReply in risk.ts decides with it). */
export const AUTOSCAN_THRESHOLD: Severity = 'medium';

/**
 * The embed for a public channel: kinds only, never values (no coordinates, no masked numbers),
 * since everyone in the channel reads it.
 */
export function renderPublicEmbed(report: RiskReport, locale: Locale, label?: string): APIEmbed {
  const m = messagesFor(locale);
  const view = renderReport(report, locale);
  const kinds: FindingKind[] = [];
  for (const f of report.findings) {
    if ((f.severity === 'high' || f.severity === 'medium') && !kinds.includes(f.kind)) kinds.push(f.kind);
  }
  return {
    title: clip(label ? `${label} — ${view.verdictLabel}` : view.verdictLabel, TITLE_MAX),
    description: clip(
      bullets(
        kinds.map((k) => m.kind[k]),
        DESCRIPTION_MAX,
      ),
      DESCRIPTION_MAX,
    ),
    color: VERDICT_COLOURS[report.verdict],
  };
}
