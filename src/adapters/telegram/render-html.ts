// ReplyView (platform-neutral, from src/render.ts) -> Telegram HTML, escaped and within Telegram's limits.
import type { ReplyView } from '../../render.ts';
import { TELEGRAM_TEXT_LIMIT } from './mapping.ts';

/** Escapes text for Telegram's HTML parse mode (only &, < and > are special; quotes in attributes). */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** An inline mention by user id; the label is escaped. */
export function renderMention(userId: number, label: string): string {
  return `<a href="tg://user?id=${Math.trunc(userId)}">${escapeHtml(label)}</a>`;
}

interface Section {
  title?: string;
  items: string[];
  /** Items already numbered ("1. …"): no bullet. */
  numbered?: boolean;
}

/** Same order as the plain-text rendering: found, not checked, removed, remains, advice. */
function toSections(view: ReplyView): Section[] {
  const title = (s: string): string => `${s}${view.colon}`;
  return [
    { title: title(view.sections.found), items: view.lines, numbered: true },
    { title: title(view.sections.notChecked), items: view.notChecked },
    { title: title(view.sections.removed), items: view.removed },
    { title: title(view.sections.remains), items: view.remains },
    { title: title(view.sections.advice), items: view.advice },
  ];
}

function renderBlocks(head: string[], sections: Section[], tail: string[]): string {
  const blocks = [...head];
  for (const s of sections) {
    if (s.items.length === 0) continue;
    const list = s.items.map((i) => (s.numbered ? escapeHtml(i) : `• ${escapeHtml(i)}`)).join('\n');
    blocks.push(s.title ? `<b>${escapeHtml(s.title)}</b>\n${list}` : list);
  }
  blocks.push(...tail.map(escapeHtml));
  return blocks.join('\n\n');
}

/**
 * The full risk summary as Telegram HTML. `prefix` is already-formatted HTML (e.g. a mention);
 * `notes` are plain sentences appended as paragraphs (escaped here). Lists are shortened with "…"
 * until the text fits in `limit` characters.
 */
export function renderReplyHtml(
  view: ReplyView,
  opts: { prefixHtml?: string; notes?: string[]; limit?: number } = {},
): string {
  const limit = opts.limit ?? TELEGRAM_TEXT_LIMIT;
  const head = [...(opts.prefixHtml ? [opts.prefixHtml] : []), `<b>${escapeHtml(view.headline)}</b>`];
  const notes = opts.notes ?? [];
  const sections = toSections(view).map((s) => ({ ...s, items: [...s.items] }));
  let html = renderBlocks(head, sections, notes);
  // Shorten the longest list, one item at a time, keeping a trailing "…".
  while (html.length > limit) {
    const longest = sections.reduce((a, b) => (b.items.length > a.items.length ? b : a));
    if (longest.items.length <= 1) break;
    const last = longest.items[longest.items.length - 1];
    longest.items.splice(last === '…' ? -2 : -1, last === '…' ? 2 : 1, '…');
    html = renderBlocks(head, sections, notes);
  }
  if (html.length > limit) html = renderBlocks(head, [], notes);
  if (html.length > limit) html = head.join('\n\n');
  return html;
}
