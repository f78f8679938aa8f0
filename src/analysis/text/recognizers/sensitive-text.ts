// Runs every text recognizer over one text, strongest first, and drops weaker overlapping matches
// (a phone number inside an IBAN, a date inside an MRZ line).
import { findAddresses } from './address.ts';
import { findCardNumbers } from './card.ts';
import { findDatesOfBirth } from './date-of-birth.ts';
import { findEmails } from './email.ts';
import { findIbans } from './iban.ts';
import { findIdDocuments } from './id-document.ts';
import { isOverlapping } from './match.ts';
import type { TextMatch } from './match.ts';
import { findMrz } from './mrz.ts';
import { findNationalIds } from './national-id.ts';
import { findPersonNames } from './person-name.ts';
import { findPhones } from './phone.ts';

// Kinds that may overlap others: the document finding covers the MRZ and dates on purpose.
const MAY_OVERLAP = new Set(['id_document']);

export function findSensitiveText(text: string): TextMatch[] {
  const ordered = [
    ...findMrz(text),
    ...findIdDocuments(text),
    ...findCardNumbers(text),
    ...findIbans(text),
    ...findNationalIds(text),
    ...findEmails(text),
    ...findPhones(text),
    ...findDatesOfBirth(text),
    ...findAddresses(text),
    ...findPersonNames(text),
  ];
  const kept: TextMatch[] = [];
  for (const m of ordered) {
    if (MAY_OVERLAP.has(m.kind)) {
      kept.push(m);
      continue;
    }
    const clash = kept.some(
      (k) => !MAY_OVERLAP.has(k.kind) && k.ranges.some((r) => m.ranges.some((q) => isOverlapping(r, q))),
    );
    if (!clash) kept.push(m);
  }
  return kept;
}
