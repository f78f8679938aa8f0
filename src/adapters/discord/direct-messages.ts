// Direct messages: help when there is no attachment, else "Checking…" turned into the answer once
// every attachment has an outcome (in the language learnt from the user's interactions).
import type { Message } from 'discord.js';
import { DEFAULT_UPLOAD_LIMIT, type DiscordParts } from './client.ts';
import { toScanOptions } from './choices.ts';
import { discordMessages } from './messages.ts';
import { postMessage } from './send-result.ts';

/** A DM to the bot: answers help text, or queues a scan of each attachment. */
export async function handleDirectMessage(parts: DiscordParts, msg: Message): Promise<void> {
  const { client, pending, locales } = parts;
  const locale = locales.get(msg.author.id) ?? 'en';
  const m = discordMessages(locale);
  const attachments = [...msg.attachments.values()];
  if (attachments.length === 0) {
    await postMessage(client, msg.channelId, { content: m.dmHelp }, [], msg.id);
    return;
  }
  const progress = await postMessage(
    client,
    msg.channelId,
    { content: m.checking(attachments.length) },
    [],
    msg.id,
  );
  const group = pending.open(
    {
      kind: 'dm',
      locale,
      channelId: msg.channelId,
      messageId: msg.id,
      authorId: msg.author.id,
      guildId: null,
      mode: null,
      uploadLimit: DEFAULT_UPLOAD_LIMIT,
      progressMessageId: progress.id,
      hadText: msg.content.trim().length > 0,
    },
    attachments.length,
  );
  group.scanOptions = await toScanOptions(parts, msg.author.id, attachments.length);
  await pending.submitAll(group, attachments);
  await pending.maybeFinalize(group);
}
