// The face choices and "Show where" under a Discord copy (buttons on the ephemeral reply or the DM,
// swapped with an interaction update), and /settings: the user's default face choice.
import {
  ButtonStyle,
  ComponentType,
  MessageFlags,
  type APIActionRowComponent,
  type APIButtonComponent,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import {
  decideChoiceButtons,
  decideSettingsButtons,
  parseChoiceData,
  parseSettingsData,
  type ChoiceButton,
} from '../../choices/buttons.ts';
import type { ChoiceRecord } from '../../choices/choice-store.ts';
import type { ChoiceKit } from '../../choices/kit.ts';
import { planOffer } from '../../choices/offer.ts';
import { hashUserId } from '../../choices/user-settings.ts';
import { decideTap, renderVariantCaption } from '../../choices/variant-report.ts';
import type { DeliveryReceipt } from '../../queue/results.ts';
import { messagesFor, toLocale } from '../../render.ts';
import type { ScanOptions, ScanResult } from '../../types.ts';

/** The buttons as action rows (at most five a row). */
export function toComponents(buttons: readonly ChoiceButton[]): APIActionRowComponent<APIButtonComponent>[] {
  if (buttons.length === 0) return [];
  return [
    {
      type: ComponentType.ActionRow,
      components: buttons.slice(0, 5).map((b) => ({
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        label: b.label,
        custom_id: b.data,
      })),
    },
  ];
}

/** The hashed id of a Discord user. */
export function ownerOf(kit: ChoiceKit, userId: string): string {
  return hashUserId(kit.userSecret, 'discord', userId);
}

/** A copy's choices, ready to post: the caption line, the buttons, and `commit` once posted. */
export interface DiscordChoiceOffer {
  caption: string;
  components: APIActionRowComponent<APIButtonComponent>[];
  commit(channelId: string, messageId: string, ext: string): Promise<DeliveryReceipt>;
}

/** The offer for a result owned by `authorId`, or undefined when there is nothing to choose. */
export function planDiscordChoices(
  kit: ChoiceKit | undefined,
  result: ScanResult,
  authorId: string,
): DiscordChoiceOffer | undefined {
  const offer = kit && planOffer(kit, result, ownerOf(kit, authorId));
  if (!offer) return undefined;
  return {
    caption: offer.caption,
    components: toComponents(offer.buttons),
    commit: (channelId, messageId, ext) => offer.commit({ channelId, messageId, ext }),
  };
}

/**
 * The scan options of a photo its owner checks: their default face choice, and the other choices'
 * copies and the picture when it is alone (buttons go on one-photo answers only).
 */
export async function toScanOptions(
  parts: { choices?: ChoiceKit | undefined },
  userId: string,
  photos: number,
): Promise<Partial<ScanOptions>> {
  const kit = parts.choices;
  if (!kit) return {};
  const faces = await kit.users.defaultFaces(ownerOf(kit, userId));
  return photos === 1 ? { faces, variants: true, preview: true } : { faces };
}

/** /settings: the user's default face choice, as ephemeral buttons. */
export async function handleSettingsCommand(kit: ChoiceKit, i: ChatInputCommandInteraction): Promise<void> {
  const m = messagesFor(toLocale(i.locale));
  const current = await kit.users.defaultFaces(ownerOf(kit, i.user.id));
  await i.reply({
    content: m.choices.settingsIntro(m.choices.button[current]),
    components: toComponents(decideSettingsButtons(current, m)),
    flags: MessageFlags.Ephemeral,
  });
}

/** A tap on a copy's or /settings's button; true when it was one of ours. */
export async function handleChoiceButton(kit: ChoiceKit, i: ButtonInteraction): Promise<boolean> {
  const m = messagesFor(toLocale(i.locale));
  const faces = parseSettingsData(i.customId);
  if (faces) {
    await kit.users.setDefaultFaces(ownerOf(kit, i.user.id), faces);
    await i.update({
      content: m.choices.settingsSaved(m.choices.button[faces]),
      components: toComponents(decideSettingsButtons(faces, m)),
    });
    return true;
  }
  const tap = parseChoiceData(i.customId);
  if (!tap) return false;
  const record = await kit.store.get(tap.scanId);
  const decision = decideTap(record, ownerOf(kit, i.user.id), tap.choice);
  const say = (content: string): Promise<unknown> => i.reply({ content, flags: MessageFlags.Ephemeral });
  const expired = async (): Promise<boolean> => {
    kit.metrics?.choiceExpired();
    await say(m.choices.expired);
    return true;
  };
  switch (decision.kind) {
    case 'expired':
      return expired();
    case 'refused':
      kit.metrics?.choiceTaken('refused');
      await say(m.choices.notYours);
      return true;
    case 'unchanged':
      await i.deferUpdate();
      return true;
    case 'where':
    case 'swap': {
      const bytes = await kit.blobs.get(decision.blobKey);
      if (!bytes || !record) return expired();
      const rm = messagesFor(record.locale);
      if (decision.kind === 'where') {
        await i.reply({
          content: rm.choices.whereCaption,
          files: [{ attachment: bytes, name: 'preflight-where.jpg' }],
          flags: MessageFlags.Ephemeral,
        });
        kit.metrics?.choiceTaken('where');
        return true;
      }
      const next: ChoiceRecord = { ...record, current: decision.faces };
      const ext = typeof record.ref['ext'] === 'string' ? record.ref['ext'] : 'jpg';
      await i.update({
        content: renderVariantCaption(record, decision.faces, rm),
        files: [{ attachment: bytes, name: `preflight-1.${ext}` }],
        attachments: [],
        components: toComponents(decideChoiceButtons(tap.scanId, next, rm)),
      });
      await kit.store.setCurrent(tap.scanId, decision.faces);
      kit.metrics?.choiceTaken(decision.faces);
      return true;
    }
  }
}
