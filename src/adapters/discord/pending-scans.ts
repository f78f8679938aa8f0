// The photos of one command or one message, answered together once every one has an outcome: a registry
// from scanId to its pending group, held in this process's memory only (interaction tokens never leave
// it) and answered with whatever is known at the deadline (15 minutes at most).
import type {
  Attachment,
  ChatInputCommandInteraction,
  MessageContextMenuCommandInteraction,
} from 'discord.js';
import type { ErrorCode } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import { renderError } from '../../render.ts';
import type { ScanService, SubmitOutcome } from '../../scan-service.ts';
import type { DeliveryReceipt } from '../../queue/results.ts';
import type { Locale, ScanOptions, ScanResult } from '../../types.ts';
import { toReplyAddress, type DiscordReply } from './address.ts';
import { isExpiredLink, toIncomingPhoto, type DownloadProbe } from './download.ts';

/** Interaction tokens live 15 minutes; answer before that with whatever is known. */
const INTERACTION_DEADLINE_MS = 14 * 60 * 1000;
const MESSAGE_DEADLINE_MS = 15 * 60 * 1000;
const MAX_FINISHED = 10_000;

/** One photo's outcome: the worker's result, or the scan service's refusal. */
export type Entry =
  | { kind: 'result'; result: ScanResult; sanitized: Buffer | undefined }
  | { kind: 'refused'; code: ErrorCode; expired: boolean };

/** The photos of one command or one message, answered together once every one has an outcome. */
export interface Group {
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
  /** Options for every photo's scan (the owner's default face choice, the choices' copies). */
  scanOptions?: Partial<ScanOptions> | undefined;
  scanIds: string[];
  finalizing: boolean;
}

/** What a handler knows when it opens a group. */
export type GroupInit = Omit<Group, 'entries' | 'scanIds' | 'finalizing' | 'deadline'>;

export interface PendingScans {
  /** Opens a group of `total` photos with its deadline. */
  open(g: GroupInit, total: number): Group;
  /** Submits each photo of the group; its reply address is the group's ids and its position. */
  submitAll(group: Group, attachments: Attachment[]): Promise<void>;
  isComplete(g: Group): boolean;
  /**
   * Delivers the group's answer once complete (or now, when forced at the deadline), exactly once;
   * resolves to the receipt of the blobs its buttons keep, if any.
   */
  maybeFinalize(g: Group, force?: boolean): Promise<DeliveryReceipt | undefined>;
  /** Whether the scan was already answered (or abandoned at the deadline). */
  isFinished(scanId: string): boolean;
  /** The scan's pending group, waiting for submits still in flight (the worker may answer first). */
  findGroup(scanId: string): Promise<Group | undefined>;
  /** Answers every group past its deadline with what is known. */
  sweep(): void;
  /** Forgets every group and interaction (on stop). */
  clear(): void;
}

/** The registry of pending groups; `deliver` posts a finished group's answer. */
export function createPendingScans(deps: {
  scanService: ScanService;
  logger: Logger;
  clock: () => number;
  deliver: (g: Group) => Promise<DeliveryReceipt | undefined>;
}): PendingScans {
  const { scanService, logger, clock, deliver } = deps;
  const registry = new Map<string, Group>();
  const groups = new Set<Group>();
  const inFlight = new Set<Promise<void>>();
  /** Scans already answered (or abandoned at the deadline), so a late result is not posted twice. */
  const finished = new Set<string>();

  const isComplete = (g: Group): boolean => g.entries.every((e) => e !== undefined);

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
            outcome = await scanService.submit(photo, reply, group.scanOptions);
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

  async function maybeFinalize(g: Group, force = false): Promise<DeliveryReceipt | undefined> {
    if (g.finalizing || (!force && !isComplete(g))) return undefined;
    g.finalizing = true;
    groups.delete(g);
    for (const id of g.scanIds) {
      if (!id) continue;
      registry.delete(id);
      finished.add(id);
    }
    for (const id of finished) {
      if (finished.size <= MAX_FINISHED) break;
      finished.delete(id);
    }
    try {
      return await deliver(g);
    } catch (e) {
      logger.error({ err: e, kind: g.kind }, 'could not deliver the answer');
      if (g.interaction) {
        await g.interaction
          .editReply({ content: renderError('internal', g.locale), embeds: [], files: [] })
          .catch(() => undefined);
      }
      return undefined;
    } finally {
      delete g.interaction;
      g.entries = [];
    }
  }

  return {
    open(g, total) {
      const group: Group = {
        ...g,
        entries: Array.from({ length: total }, () => undefined),
        scanIds: [],
        finalizing: false,
        deadline: clock() + (g.kind === 'interaction' ? INTERACTION_DEADLINE_MS : MESSAGE_DEADLINE_MS),
      };
      groups.add(group);
      return group;
    },
    submitAll,
    isComplete,
    maybeFinalize,
    isFinished: (scanId) => finished.has(scanId),
    async findGroup(scanId) {
      let group = registry.get(scanId);
      if (!group && inFlight.size > 0) {
        await Promise.allSettled([...inFlight]);
        group = registry.get(scanId);
      }
      return group;
    },
    sweep() {
      const now = clock();
      for (const g of [...groups]) {
        if (g.deadline <= now) {
          void maybeFinalize(g, true).catch((e: unknown) => logger.error({ err: e }, 'sweep failed'));
        }
      }
    },
    clear() {
      for (const g of groups) delete g.interaction;
      groups.clear();
      registry.clear();
      finished.clear();
    },
  };
}
