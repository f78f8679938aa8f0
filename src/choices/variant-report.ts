// What a tap on a copy's button does (refused, expired, the same copy, another copy, the picture),
// and the copy's caption for the choice it shows: pure decisions for both bots.
import type { Messages } from '../i18n/en.ts';
import type { FacesMode } from '../types.ts';
import type { ChoiceRecord } from './choice-store.ts';
import type { Choice } from './buttons.ts';

export type TapDecision =
  | { kind: 'expired' }
  | { kind: 'refused' }
  | { kind: 'unchanged' }
  | { kind: 'swap'; faces: FacesMode; blobKey: string }
  | { kind: 'where'; blobKey: string };

/** A tap on `choice` by the user hashed `tapper`, given the scan's record (undefined once expired). */
export function decideTap(record: ChoiceRecord | undefined, tapper: string, choice: Choice): TapDecision {
  if (!record) return { kind: 'expired' };
  if (record.owner !== tapper) return { kind: 'refused' };
  if (choice === 'where')
    return record.preview ? { kind: 'where', blobKey: record.preview } : { kind: 'expired' };
  if (choice === record.current) return { kind: 'unchanged' };
  const blobKey = record.variants[choice];
  return blobKey ? { kind: 'swap', faces: choice, blobKey } : { kind: 'expired' };
}

/** The copy's caption: which faces it keeps, and the child warning when one may be visible. */
export function renderVariantCaption(
  record: Pick<ChoiceRecord, 'minorVisible'>,
  faces: FacesMode,
  m: Messages,
): string {
  const caption = m.choices.caption[faces];
  return record.minorVisible.includes(faces) ? `${caption} ${m.choices.minorVisible}` : caption;
}

/** The first copy's caption: none when there is a single copy (no face to choose about). */
export function renderOfferCaption(
  record: Pick<ChoiceRecord, 'minorVisible' | 'variants' | 'current'>,
  m: Messages,
): string {
  return Object.keys(record.variants).length > 1 ? renderVariantCaption(record, record.current, m) : '';
}
