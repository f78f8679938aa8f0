// The Discord reply address: ids and flags only. Interaction tokens stay in the bot's memory.
import { z } from 'zod';
import type { ReplyAddress } from '../../types.ts';

const id = z.string().regex(/^\d{1,20}$/);

const schema = z.object({
  platform: z.literal('discord'),
  kind: z.enum(['interaction', 'autoscan', 'dm']),
  channelId: id,
  /** The user's message (auto-scan, DM, context menu target), or null for /check. */
  messageId: id.nullable(),
  authorId: id,
  guildId: id.nullable(),
  mode: z.enum(['warn', 'replace']).nullable(),
  /** Position of this photo among the message's photos (1-based) and how many were queued. */
  index: z.number().int().min(1).max(100),
  total: z.number().int().min(1).max(100),
});

export type DiscordReply = z.infer<typeof schema>;

/** The reply address job data carries for a Discord photo: ids and its position, never a token. */
export function toReplyAddress(r: Omit<DiscordReply, 'platform'>): ReplyAddress {
  return { platform: 'discord', ...r };
}

/** Reads back an address this adapter wrote; undefined when it is not one. */
export function parseDiscordReply(a: ReplyAddress): DiscordReply | undefined {
  const r = schema.safeParse(a);
  return r.success ? r.data : undefined;
}
