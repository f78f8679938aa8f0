// A scan result's face choices before they are posted, the same for both bots: the caption line, the
// buttons, and `commit` that records the posted message so a later tap finds the copies.
import { messagesFor } from '../render.ts';
import type { DeliveryReceipt, ScanResult } from '../types.ts';
import { decideChoiceButtons, type ChoiceButton } from './buttons.ts';
import { recordBlobKeys, toChoiceRecord, type ChoiceRecord } from './choice-store.ts';
import type { ChoiceKit } from './kit.ts';
import { renderOfferCaption } from './variant-report.ts';

/** What a bot posts under a copy; `commit(ref)` stores the record once the message exists. */
export interface PlannedOffer {
  caption: string;
  buttons: ChoiceButton[];
  /** Records where the copy was posted; the receipt tells the dispatcher which blobs to keep. */
  commit(ref: ChoiceRecord['ref']): Promise<DeliveryReceipt>;
}

/** The offer for a result owned by the hashed user `owner`, or undefined when there is nothing to choose. */
export function planOffer(
  kit: ChoiceKit | undefined,
  result: ScanResult,
  owner: string,
): PlannedOffer | undefined {
  if (!kit || !result.ok) return undefined;
  const base = toChoiceRecord(result, owner);
  if (!base) return undefined;
  const m = messagesFor(result.locale);
  return {
    caption: renderOfferCaption(base, m),
    buttons: decideChoiceButtons(result.scanId, { ...base, ref: {} }, m),
    async commit(ref) {
      const record: ChoiceRecord = { ...base, ref };
      await kit.store.put(result.scanId, record, kit.ttlMs);
      return { keep: recordBlobKeys(record), ttlMs: kit.ttlMs };
    },
  };
}
