// The Discord bot: /check, the "Check photo" message command, DMs, and auto-scan for servers.
// Interaction tokens stay in this process's memory (a registry from scanId to the pending group,
// dropped after at most 15 minutes); job data and Redis only ever see ids.
import {
  ChannelType,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Partials,
  PermissionFlagsBits,
  Routes,
  type APIEmbed,
  type Attachment,
  type ChatInputCommandInteraction,
  type Interaction,
  type Message,
  type PermissionsBitField,
  type MessageContextMenuCommandInteraction,
  type RESTPostAPIChannelMessageJSONBody,
} from 'discord.js';
import type { Redis } from 'ioredis';
import type { ErrorCode } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import type { ResultSender } from '../../queue/results.ts';
import { renderError, toLocale } from '../../render.ts';
import { decideGroupReply } from '../../risk.ts';
import type { ScanService, SubmitOutcome } from '../../scan-service.ts';
import type { Locale, ScanResult } from '../../types.ts';
import { parseDiscordReply, toReplyAddress, type DiscordReply } from './address.ts';
import { AUTOSCAN_COMMAND, CHECK_COMMAND, CHECK_PHOTO_COMMAND } from './commands.ts';
import type { DiscordConfig } from './config.ts';
import { isExpiredLink, isImageAttachment, toIncomingPhoto, type DownloadProbe } from './download.ts';
import { AUTOSCAN_THRESHOLD, renderErrorEmbed, renderOwnerEmbed, renderPublicEmbed } from './embed.ts';
import { discordMessages } from './messages.ts';
import {
  createAutoscanSettingsStore,
  decideAutoscanMode,
  decideMissingRequirements,
  isAutoscanMode,
  toUpdatedSettings,
  type AutoscanSettingsStore,
} from './settings.ts';

export interface DiscordAdapter {
  sendResult: ResultSender;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Discord's default upload limit per message for bots. */
const DEFAULT_UPLOAD_LIMIT = 10 * 1024 * 1024;
/** Interaction tokens live 15 minutes; answer before that with whatever is known. */
const INTERACTION_DEADLINE_MS = 14 * 60 * 1000;
const MESSAGE_DEADLINE_MS = 15 * 60 * 1000;
const SWEEP_MS = 30_000;
const MAX_FILES = 10;
const MAX_EMBEDS = 10;

type Entry =
  | { kind: 'result'; result: ScanResult; sanitized: Buffer | undefined }
  | { kind: 'refused'; code: ErrorCode; expired: boolean };

/** The photos of one command or one message, answered together once every one has an outcome. */
interface Group {
  kind: DiscordReply['kind'];
  locale: Locale;
  channelId: string;
  messageId: string | null;
  authorId: string;
  /** The server, or null in a DM (an interaction may come from either). */
  guildId: string | null;
  mode: DiscordReply['mode'];
  entries: (Entry | undefined)[];
  deadline: number;
  uploadLimit: number;
  /** Only for kind 'interaction': held in memory, never serialized. */
  interaction?: ChatInputCommandInteraction | MessageContextMenuCommandInteraction;
  /** DM: the "Checking…" message to turn into the answer. */
  progressMessageId?: string;
  hadText: boolean;
  scanIds: string[];
  finalizing: boolean;
}

interface OutFile {
  name: string;
  data: Buffer;
}

const EXT: Record<string, string> = {
  jpeg: 'jpg',
  png: 'png',
  webp: 'webp',
  gif: 'gif',
  tiff: 'tiff',
  avif: 'avif',
  heif: 'heic',
};

function apiErrorCode(e: unknown): number | undefined {
  return e instanceof DiscordAPIError && typeof e.code === 'number' ? e.code : undefined;
}

export function createDiscordAdapter(deps: {
  config: DiscordConfig;
  scanService: ScanService;
  redis: Redis;
  logger: Logger;
  settings?: AutoscanSettingsStore;
  clock?: () => number;
}): DiscordAdapter {
  const { config, scanService } = deps;
  const logger = deps.logger.child({ platform: 'discord' });
  const clock = deps.clock ?? Date.now;
  const settings = deps.settings ?? createAutoscanSettingsStore({ redis: deps.redis });

  const intents = [
    GatewayIntentBits.Guilds,
    GatewayIntentBits.GuildMessages,
    GatewayIntentBits.DirectMessages,
  ];
  if (config.autoscan) intents.push(GatewayIntentBits.MessageContent);
  const client = new Client({
    intents,
    partials: [Partials.Channel],
    rest: { api: config.apiRoot },
    allowedMentions: { parse: [] },
  });

  const registry = new Map<string, Group>();
  const groups = new Set<Group>();
  const inFlight = new Set<Promise<void>>();
  /** Scans already answered (or abandoned at the deadline), so a late result is not posted twice. */
  const finished = new Set<string>();
  /** Users' interface language, learnt from their interactions, for answering their DMs. */
  const knownLocales = new Map<string, Locale>();
  let sweepTimer: NodeJS.Timeout | undefined;

  const rememberLocale = (userId: string, locale: Locale): void => {
    knownLocales.delete(userId);
    knownLocales.set(userId, locale);
    if (knownLocales.size > 10_000) {
      const oldest = knownLocales.keys().next().value;
      if (oldest !== undefined) knownLocales.delete(oldest);
    }
  };

  /** Every listener goes through this: nothing it does can reject into the Client 'error' path. */
  function guard<T>(what: string, fn: (arg: T) => Promise<void>): (arg: T) => void {
    return (arg) => {
      fn(arg).catch((e: unknown) => logger.error({ err: e, what }, 'discord handler failed'));
    };
  }

  // ------------------------------------------------------------------ submitting

  /** Submits each photo of the group; its reply address is the group's ids and its position. */
  async function submitAll(group: Group, attachments: Attachment[]): Promise<void> {
    const { kind, channelId, messageId, authorId, guildId, mode } = group;
    await Promise.all(
      attachments.map(async (att, i) => {
        const probe: DownloadProbe = {};
        const photo = toIncomingPhoto(att, { userId: authorId, locale: group.locale }, probe);
        const reply = toReplyAddress({
          kind,
          channelId,
          messageId,
          authorId,
          guildId,
          mode,
          index: i + 1,
          total: attachments.length,
        });
        const task = (async () => {
          let outcome: SubmitOutcome;
          try {
            outcome = await scanService.submit(photo, reply);
          } catch (e) {
            logger.error({ err: e }, 'submit threw');
            outcome = { status: 'refused', code: 'queue_unavailable' };
          }
          if (outcome.status === 'queued') {
            registry.set(outcome.scanId, group);
            group.scanIds[i] = outcome.scanId;
          } else {
            const expired = outcome.code === 'download_failed' && isExpiredLink(probe);
            group.entries[i] = { kind: 'refused', code: outcome.code, expired };
          }
        })();
        inFlight.add(task);
        try {
          await task;
        } finally {
          inFlight.delete(task);
        }
      }),
    );
  }

  function newGroup(g: Omit<Group, 'entries' | 'scanIds' | 'finalizing' | 'deadline'>, total: number): Group {
    const group: Group = {
      ...g,
      entries: Array.from({ length: total }, () => undefined),
      scanIds: [],
      finalizing: false,
      deadline: clock() + (g.kind === 'interaction' ? INTERACTION_DEADLINE_MS : MESSAGE_DEADLINE_MS),
    };
    groups.add(group);
    return group;
  }

  function isComplete(g: Group): boolean {
    return g.entries.every((e) => e !== undefined);
  }

  async function maybeFinalize(g: Group, force = false): Promise<void> {
    if (g.finalizing || (!force && !isComplete(g))) return;
    g.finalizing = true;
    groups.delete(g);
    for (const id of g.scanIds) {
      if (!id) continue;
      registry.delete(id);
      finished.add(id);
    }
    for (const id of finished) {
      if (finished.size <= 10_000) break;
      finished.delete(id);
    }
    try {
      await finalize(g);
    } catch (e) {
      logger.error({ err: e, kind: g.kind }, 'could not deliver the answer');
      if (g.interaction) {
        await g.interaction
          .editReply({ content: renderError('internal', g.locale), embeds: [], files: [] })
          .catch(() => undefined);
      }
    } finally {
      delete g.interaction;
      g.entries = [];
    }
  }

  // ------------------------------------------------------------------ answering

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

  async function finalize(g: Group): Promise<void> {
    const m = discordMessages(g.locale);
    switch (g.kind) {
      case 'interaction': {
        const i = g.interaction;
        if (!i) return;
        const { embeds, files } = ownerAnswer(g);
        await i.editReply({
          content: '',
          embeds,
          files: files.map((f) => ({ attachment: f.data, name: f.name })),
        });
        return;
      }
      case 'dm': {
        const { embeds, files, anyFinding } = ownerAnswer(g);
        const content = anyFinding ? m.dmCannotDelete : '';
        if (g.progressMessageId) {
          await client.rest.patch(Routes.channelMessage(g.channelId, g.progressMessageId), {
            body: { content, embeds, attachments: files.map((f, n) => ({ id: n, filename: f.name })) },
            files: files.map((f) => ({ name: f.name, data: f.data })),
          });
        } else {
          await postMessage(g.channelId, { content, embeds }, files, g.messageId);
        }
        return;
      }
      case 'autoscan':
        await finalizeAutoscan(g);
        return;
    }
  }

  async function postMessage(
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

  async function finalizeAutoscan(g: Group): Promise<void> {
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
      return;
    }
    const mention = `<@${g.authorId}>`;
    if (g.mode === 'replace') {
      let deleted = false;
      try {
        await client.rest.delete(Routes.channelMessage(g.channelId, g.messageId));
        deleted = true;
      } catch (e) {
        const code = apiErrorCode(e);
        if (code === 10008) return; // the author already deleted it: nothing left to replace
        logger.warn({ err: e }, 'auto-scan: could not delete the original');
      }
      if (deleted) {
        await postMessage(
          g.channelId,
          { content: m.replacePost(mention, g.hadText), embeds: flagged.slice(0, MAX_EMBEDS) },
          copies,
          null,
          g.authorId,
        );
        return;
      }
      await postMessage(
        g.channelId,
        { content: `${m.warnReply(mention)}\n${m.couldNotDelete}`, embeds: flagged.slice(0, MAX_EMBEDS) },
        [],
        g.messageId,
        g.authorId,
      );
      return;
    }
    await postMessage(
      g.channelId,
      { content: m.warnReply(mention), embeds: flagged.slice(0, MAX_EMBEDS) },
      [],
      g.messageId,
      g.authorId,
    );
  }

  // ------------------------------------------------------------------ results from the worker

  const sendResult: ResultSender = async (result, sanitized) => {
    const addr = parseDiscordReply(result.reply);
    if (!addr) {
      logger.error({ scanId: result.scanId }, 'result with an invalid Discord reply address');
      return;
    }
    if (finished.has(result.scanId)) return;
    let group = registry.get(result.scanId);
    if (!group && inFlight.size > 0) {
      // The worker may answer before submit() has returned here; wait for pending submits.
      await Promise.allSettled([...inFlight]);
      group = registry.get(result.scanId);
    }
    if (!group) {
      if (addr.kind === 'interaction') {
        logger.warn({ scanId: result.scanId }, 'result for an interaction that is no longer pending');
        return;
      }
      // This process did not queue it (restart): answer this photo on its own from the address.
      const { platform: _p, index: _i, total: _t, ...ids } = addr;
      group = newGroup(
        { ...ids, locale: result.locale, uploadLimit: DEFAULT_UPLOAD_LIMIT, hadText: false },
        1,
      );
      group.scanIds[0] = result.scanId;
      group.entries[0] = { kind: 'result', result, sanitized };
      await maybeFinalize(group);
      return;
    }
    const index = group.scanIds.indexOf(result.scanId);
    if (index < 0 || group.entries[index]) return;
    group.entries[index] = { kind: 'result', result, sanitized };
    await maybeFinalize(group);
  };

  // ------------------------------------------------------------------ interactions

  async function checkForInteraction(
    i: ChatInputCommandInteraction | MessageContextMenuCommandInteraction,
    attachments: Attachment[],
    locale: Locale,
    targetMessageId: string | null,
  ): Promise<void> {
    const m = discordMessages(locale);
    if (attachments.length === 0) {
      await i.editReply({ content: m.noImage });
      return;
    }
    const group = newGroup(
      {
        kind: 'interaction',
        locale,
        channelId: i.channelId,
        messageId: targetMessageId,
        authorId: i.user.id,
        guildId: i.guildId ?? null,
        mode: null,
        uploadLimit: i.attachmentSizeLimit ?? DEFAULT_UPLOAD_LIMIT,
        interaction: i,
        hadText: false,
      },
      attachments.length,
    );
    const total = attachments.length;
    await submitAll(group, attachments);
    if (isComplete(group)) {
      await maybeFinalize(group);
      return;
    }
    if (total > 1 && !group.finalizing) {
      await i.editReply({ content: m.checking(total) }).catch((e: unknown) => {
        logger.warn({ err: e }, 'could not show progress');
      });
    }
  }

  async function handleCheck(i: ChatInputCommandInteraction): Promise<void> {
    const locale = toLocale(i.locale);
    rememberLocale(i.user.id, locale);
    await i.deferReply({ flags: MessageFlags.Ephemeral });
    const att = i.options.getAttachment('image');
    await checkForInteraction(i, att ? [att] : [], locale, null);
  }

  async function handleCheckPhoto(i: MessageContextMenuCommandInteraction): Promise<void> {
    const locale = toLocale(i.locale);
    rememberLocale(i.user.id, locale);
    await i.deferReply({ flags: MessageFlags.Ephemeral });
    const images = [...i.targetMessage.attachments.values()].filter(isImageAttachment);
    await checkForInteraction(i, images, locale, i.targetId);
  }

  async function handleAutoscan(i: ChatInputCommandInteraction): Promise<void> {
    const locale = toLocale(i.locale);
    const m = discordMessages(locale);
    await i.deferReply({ flags: MessageFlags.Ephemeral });
    if (!i.inGuild()) {
      await i.editReply({ content: m.serverOnly });
      return;
    }
    if (!i.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
      await i.editReply({ content: m.needManageGuild });
      return;
    }
    const mode = i.options.getString('mode', true);
    if (!isAutoscanMode(mode)) {
      await i.editReply({ content: renderError('internal', locale) });
      return;
    }
    const channel = i.options.getChannel('channel');
    if (mode !== 'off') {
      const me = i.guild?.members.me ?? null;
      const perms: PermissionsBitField =
        (channel ? me?.permissionsIn(channel.id) : me?.permissions) ?? i.appPermissions;
      const missing = decideMissingRequirements(mode, perms, config.autoscan);
      if (missing.length > 0) {
        await i.editReply({ content: m.autoscanNotChanged(missing.map((x) => m.missing[x])) });
        return;
      }
    }
    const current = await settings.get(i.guildId);
    await settings.set(i.guildId, toUpdatedSettings(current, mode, channel?.id));
    await i.editReply({ content: m.autoscanSaved(mode, channel ? `<#${channel.id}>` : undefined) });
  }

  async function onInteraction(i: Interaction): Promise<void> {
    if (!i.isCommand()) return;
    logger.debug({ command: i.commandName, guild: i.guildId !== null }, 'interaction');
    try {
      if (i.isChatInputCommand() && i.commandName === CHECK_COMMAND) await handleCheck(i);
      else if (i.isChatInputCommand() && i.commandName === AUTOSCAN_COMMAND) await handleAutoscan(i);
      else if (i.isMessageContextMenuCommand() && i.commandName === CHECK_PHOTO_COMMAND)
        await handleCheckPhoto(i);
    } catch (e) {
      logger.error({ err: e, command: i.commandName }, 'command failed');
      const content = renderError('internal', toLocale(i.locale));
      if (i.deferred || i.replied)
        await i.editReply({ content, embeds: [], files: [] }).catch(() => undefined);
      else await i.reply({ content, flags: MessageFlags.Ephemeral }).catch(() => undefined);
    }
  }

  // ------------------------------------------------------------------ messages

  async function handleDm(msg: Message): Promise<void> {
    const locale = knownLocales.get(msg.author.id) ?? 'en';
    const m = discordMessages(locale);
    const attachments = [...msg.attachments.values()];
    if (attachments.length === 0) {
      await postMessage(msg.channelId, { content: m.dmHelp }, [], msg.id);
      return;
    }
    const progress = await postMessage(
      msg.channelId,
      { content: m.checking(attachments.length) },
      [],
      msg.id,
    );
    const group = newGroup(
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
    await submitAll(group, attachments);
    await maybeFinalize(group);
  }

  async function handleGuildMessage(msg: Message<true>): Promise<void> {
    const images = [...msg.attachments.values()].filter(isImageAttachment);
    if (images.length === 0) return;
    const parentId = msg.channel.isThread() ? msg.channel.parentId : null;
    const mode = decideAutoscanMode(await settings.get(msg.guildId), msg.channelId, parentId);
    if (mode === 'off') return;
    const locale = toLocale(msg.guild.preferredLocale);
    const group = newGroup(
      {
        kind: 'autoscan',
        locale,
        channelId: msg.channelId,
        messageId: msg.id,
        authorId: msg.author.id,
        guildId: msg.guildId,
        mode,
        uploadLimit: DEFAULT_UPLOAD_LIMIT,
        hadText: msg.content.trim().length > 0,
      },
      images.length,
    );
    await submitAll(group, images);
    await maybeFinalize(group);
  }

  async function onMessage(msg: Message): Promise<void> {
    if (msg.author.bot || msg.webhookId || msg.system) return;
    if (msg.channel.type === ChannelType.DM) await handleDm(msg);
    else if (msg.inGuild() && config.autoscan) await handleGuildMessage(msg);
  }

  // ------------------------------------------------------------------ lifecycle

  client.on(Events.Error, (e) => logger.error({ err: e }, 'discord client error'));
  client.on(Events.ShardError, (e) => logger.warn({ err: e }, 'discord gateway error'));
  client.on(Events.InteractionCreate, guard('interaction', onInteraction));
  client.on(Events.MessageCreate, guard('message', onMessage));

  function sweep(): void {
    const now = clock();
    for (const g of [...groups]) {
      if (g.deadline <= now) {
        void maybeFinalize(g, true).catch((e: unknown) => logger.error({ err: e }, 'sweep failed'));
      }
    }
  }

  return {
    sendResult,
    async start() {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(config.token);
      await ready;
      sweepTimer = setInterval(sweep, SWEEP_MS);
      sweepTimer.unref();
      logger.info({ autoscan: config.autoscan, guilds: client.guilds.cache.size }, 'discord bot ready');
    },
    async stop() {
      if (sweepTimer) clearInterval(sweepTimer);
      await client.destroy();
      for (const g of groups) delete g.interaction;
      groups.clear();
      registry.clear();
      finished.clear();
    },
  };
}
