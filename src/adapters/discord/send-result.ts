// Sending results: a finished group's answer (the owner's ephemeral reply or DM with the sanitized
// copies, or the public auto-scan warning/replacement), and the sender the results dispatcher calls.
import { Routes, type APIEmbed, type Client, type RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import type { Logger } from '../../log.ts';
import type { ChoiceKit } from '../../choices/kit.ts';
import type { DeliveryReceipt, ResultSender } from '../../queue/results.ts';
import { decideGroupReply } from '../../risk.ts';
import { planDiscordChoices, type DiscordChoiceOffer } from './choices.ts';
import { messagesFor, renderError } from '../../render.ts';
import { parseDiscordReply } from './address.ts';
import { apiErrorCode, DEFAULT_UPLOAD_LIMIT } from './client.ts';
import { AUTOSCAN_THRESHOLD, renderErrorEmbed, renderOwnerEmbed, renderPublicEmbed } from './embed.ts';
import { discordMessages } from './messages.ts';
import type { Group, PendingScans } from './pending-scans.ts';

const MAX_FILES = 10;
const MAX_EMBEDS = 10;
/** Discord's "Unknown Message": the original is already gone. */
const UNKNOWN_MESSAGE = 10008;

const EXT: Record<string, string> = {
  jpeg: 'jpg',
  png: 'png',
  webp: 'webp',
  gif: 'gif',
  tiff: 'tiff',
  avif: 'avif',
  heif: 'heic',
};

/** A file to attach to a message. */
export interface OutFile {
  name: string;
  data: Buffer;
}

/** Posts a message through REST, optionally replying to one and mentioning at most one user. */
export async function postMessage(
  client: Client,
  channelId: string,
  body: RESTPostAPIChannelMessageJSONBody,
  files: OutFile[],
  replyTo: string | null,
  mention?: string,
): Promise<{ id: string }> {
  return (await client.rest.post(Routes.channelMessages(channelId), {
    body: {
      ...body,
      ...(replyTo ? { message_reference: { message_id: replyTo, fail_if_not_exists: false } } : {}),
      allowed_mentions: { parse: [], users: mention ? [mention] : [], replied_user: false },
      ...(files.length > 0 ? { attachments: files.map((f, n) => ({ id: n, filename: f.name })) } : {}),
    },
    files: files.map((f) => ({ name: f.name, data: f.data })),
  })) as { id: string };
}

/** The owner's answer: one embed per photo and the copies that fit the upload limit. */
function ownerAnswer(g: Group): { embeds: APIEmbed[]; files: OutFile[]; anyFinding: boolean } {
  const m = discordMessages(g.locale);
  const embeds: APIEmbed[] = [];
  const files: OutFile[] = [];
  let budget = g.uploadLimit;
  let anyFinding = false;
  const total = g.entries.length;
  g.entries.forEach((e, i) => {
    const label = total > 1 ? m.photoLabel(i + 1, total) : undefined;
    if (!e) {
      embeds.push(renderErrorEmbed(m.tookTooLong, label));
    } else if (e.kind === 'refused') {
      embeds.push(renderErrorEmbed(e.expired ? m.linkExpired : renderError(e.code, g.locale), label));
    } else if (!e.result.ok) {
      embeds.push(renderErrorEmbed(renderError(e.result.error.code, g.locale), label));
    } else {
      const report = e.result.report;
      if (report.findings.length > 0) anyFinding = true;
      let note: string | undefined;
      if (e.sanitized && report.sanitized) {
        if (e.sanitized.length <= budget && files.length < MAX_FILES) {
          budget -= e.sanitized.length;
          files.push({
            name: `preflight-${i + 1}.${EXT[report.sanitized.format] ?? 'jpg'}`,
            data: e.sanitized,
          });
        } else note = m.copyTooLarge;
      }
      embeds.push(
        renderOwnerEmbed(report, g.locale, { ...(label ? { label } : {}), ...(note ? { note } : {}) }),
      );
    }
  });
  return { embeds: embeds.slice(0, MAX_EMBEDS), files, anyFinding };
}

async function deliverAutoscan(
  client: Client,
  logger: Logger,
  g: Group,
  kit?: ChoiceKit,
): Promise<DeliveryReceipt | undefined> {
  const m = discordMessages(g.locale);
  const total = g.entries.length;
  const flagged: APIEmbed[] = [];
  const copies: OutFile[] = [];
  let budget = g.uploadLimit;
  g.entries.forEach((e, i) => {
    if (e?.kind !== 'result' || !e.result.ok) return;
    const label = total > 1 ? m.photoLabel(i + 1, total) : undefined;
    if (decideGroupReply(e.result.report, AUTOSCAN_THRESHOLD) === 'reply')
      flagged.push(renderPublicEmbed(e.result.report, g.locale, label));
    const format = e.result.report.sanitized?.format;
    if (e.sanitized && format && e.sanitized.length <= budget && copies.length < MAX_FILES) {
      budget -= e.sanitized.length;
      copies.push({ name: `preflight-${i + 1}.${EXT[format] ?? 'jpg'}`, data: e.sanitized });
    }
  });
  if (flagged.length === 0 || !g.messageId) {
    logger.debug({ photos: total }, 'auto-scan: nothing to say');
    return undefined;
  }
  const mention = `<@${g.authorId}>`;
  if (g.mode === 'replace') {
    let deleted = false;
    try {
      await client.rest.delete(Routes.channelMessage(g.channelId, g.messageId));
      deleted = true;
    } catch (e) {
      if (apiErrorCode(e) === UNKNOWN_MESSAGE) return undefined; // the author already deleted it: nothing left to replace
      logger.warn({ err: e }, 'auto-scan: could not delete the original');
    }
    if (deleted) {
      await postMessage(
        client,
        g.channelId,
        { content: m.replacePost(mention, g.hadText), embeds: flagged.slice(0, MAX_EMBEDS) },
        copies,
        null,
        g.authorId,
      );
      return offerByDm(client, logger, g, copies[0], kit);
    }
    await postMessage(
      client,
      g.channelId,
      { content: `${m.warnReply(mention)}\n${m.couldNotDelete}`, embeds: flagged.slice(0, MAX_EMBEDS) },
      [],
      g.messageId,
      g.authorId,
    );
    return undefined;
  }
  await postMessage(
    client,
    g.channelId,
    { content: m.warnReply(mention), embeds: flagged.slice(0, MAX_EMBEDS) },
    [],
    g.messageId,
    g.authorId,
  );
  return undefined;
}

/** The face choices of a one-photo answer whose copy is attached (several photos: no buttons). */
function toOffer(g: Group, files: OutFile[], kit: ChoiceKit | undefined): DiscordChoiceOffer | undefined {
  const e = g.entries[0];
  if (g.entries.length !== 1 || files.length !== 1 || e?.kind !== 'result') return undefined;
  return planDiscordChoices(kit, e.result, g.authorId);
}

/** Records the posted message's choices; a failure only leaves its buttons saying "expired". */
async function commitOffer(
  logger: Logger,
  offer: DiscordChoiceOffer | undefined,
  channelId: string,
  messageId: string | undefined,
  file: OutFile | undefined,
): Promise<DeliveryReceipt | undefined> {
  if (!offer || !messageId || !file) return undefined;
  try {
    return await offer.commit(channelId, messageId, file.name.split('.').pop() ?? 'jpg');
  } catch (e) {
    logger.warn({ err: e }, "could not record the copy's choices; its buttons will say expired");
    return undefined;
  }
}

/**
 * Posts a finished group's answer where it belongs: the interaction, the DM, or the server channel;
 * resolves to the receipt of the blobs its buttons keep.
 */
export function createDelivery(
  client: Client,
  logger: Logger,
  kit?: ChoiceKit,
): (g: Group) => Promise<DeliveryReceipt | undefined> {
  return async (g) => {
    const m = discordMessages(g.locale);
    switch (g.kind) {
      case 'interaction': {
        const i = g.interaction;
        if (!i) return undefined;
        const { embeds, files } = ownerAnswer(g);
        const offer = toOffer(g, files, kit);
        const sent = await i.editReply({
          content: offer?.caption ?? '',
          embeds,
          files: files.map((f) => ({ attachment: f.data, name: f.name })),
          ...(offer ? { components: offer.components } : {}),
        });
        return commitOffer(logger, offer, sent.channelId, sent.id, files[0]);
      }
      case 'dm': {
        const { embeds, files, anyFinding } = ownerAnswer(g);
        const offer = toOffer(g, files, kit);
        const content = [anyFinding ? m.dmCannotDelete : '', offer?.caption ?? ''].filter(Boolean).join('\n');
        const components = offer ? { components: offer.components } : {};
        let sent: { id: string };
        if (g.progressMessageId) {
          sent = (await client.rest.patch(Routes.channelMessage(g.channelId, g.progressMessageId), {
            body: {
              content,
              embeds,
              attachments: files.map((f, n) => ({ id: n, filename: f.name })),
              ...components,
            },
            files: files.map((f) => ({ name: f.name, data: f.data })),
          })) as { id: string };
        } else {
          sent = await postMessage(
            client,
            g.channelId,
            { content, embeds, ...components },
            files,
            g.messageId,
          );
        }
        return commitOffer(logger, offer, g.channelId, sent.id, files[0]);
      }
      case 'autoscan':
        return deliverAutoscan(client, logger, g, kit);
    }
  };
}

/**
 * After a server copy (always all faces pixelated), the author gets the choices by DM when their DMs
 * are open (a message's author cannot get an ephemeral follow-up). A refusal is only logged.
 */
async function offerByDm(
  client: Client,
  logger: Logger,
  g: Group,
  copy: OutFile | undefined,
  kit: ChoiceKit | undefined,
): Promise<DeliveryReceipt | undefined> {
  const offer = copy ? toOffer(g, [copy], kit) : undefined;
  if (!offer || !copy) return undefined;
  try {
    const dm = (await client.rest.post(Routes.userChannels(), { body: { recipient_id: g.authorId } })) as {
      id: string;
    };
    const content = [messagesFor(g.locale).choices.groupPrivate, offer.caption].filter(Boolean).join('\n');
    const sent = await postMessage(client, dm.id, { content, components: offer.components }, [copy], null);
    return await commitOffer(logger, offer, dm.id, sent.id, copy);
  } catch (e) {
    logger.info({ code: apiErrorCode(e) }, 'auto-scan: the author does not take DMs; no choices offered');
    return undefined;
  }
}

/** The sender the results dispatcher calls: files the result in its group, or answers it alone. */
export function createResultSender(pending: PendingScans, logger: Logger): ResultSender {
  return async (result, sanitized) => {
    const addr = parseDiscordReply(result.reply);
    if (!addr) {
      logger.error({ scanId: result.scanId }, 'result with an invalid Discord reply address');
      return;
    }
    if (pending.isFinished(result.scanId)) return;
    let group = await pending.findGroup(result.scanId);
    if (!group) {
      if (addr.kind === 'interaction') {
        logger.warn({ scanId: result.scanId }, 'result for an interaction that is no longer pending');
        return;
      }
      // This process did not queue it (restart): answer this photo on its own from the address.
      const { platform: _p, index: _i, total: _t, ...ids } = addr;
      group = pending.open(
        { ...ids, locale: result.locale, uploadLimit: DEFAULT_UPLOAD_LIMIT, hadText: false },
        1,
      );
      group.scanIds[0] = result.scanId;
      group.entries[0] = { kind: 'result', result, sanitized };
      return pending.maybeFinalize(group);
    }
    const index = group.scanIds.indexOf(result.scanId);
    if (index < 0 || group.entries[index]) return;
    group.entries[index] = { kind: 'result', result, sanitized };
    return pending.maybeFinalize(group);
  };
}
