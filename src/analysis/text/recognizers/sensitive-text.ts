// Runs every text recognizer over one text, strongest first, and drops weaker overlapping matches
// (a phone number inside an IBAN, a date inside an MRZ line).
import { findAddresses } from './address.ts';
import { findCardNumbers } from './card.ts';
import { findDatesOfBirth } from './date-of-birth.ts';
import { findDocumentNumbers } from './document-number.ts';
import { findEmails } from './email.ts';
import { findIbans } from './iban.ts';
import { findIdDocuments } from './id-document.ts';
import { findLabelledAddresses } from './labelled-address.ts';
import { isOverlapping } from './match.ts';
import type { TextMatch } from './match.ts';
import { findMrz } from './mrz.ts';
import { findNationalIds } from './national-id.ts';
import { findPersonNames } from './person-name.ts';
import { PHONE_LABEL, findPhones } from './phone.ts';

/**
 * On an identity document (an MRZ or a document title found), a "phone number" that is one unbroken
 * run of digits with no phone label is a document number or a date run together: dropped.
 */
function isDocumentDigitRun(text: string, m: TextMatch): boolean {
  const r = m.ranges[0];
  if (!r || m.ranges.length !== 1) return false;
  if (!/^\d+$/.test(text.slice(r.start, r.end).trim())) return false;
  const lineStart = text.lastIndexOf('\n', r.start - 1) + 1;
  const prevStart = text.lastIndexOf('\n', Math.max(0, lineStart - 2)) + 1;
  return !PHONE_LABEL.test(text.slice(prevStart, r.end));
}

// Kinds that may overlap others: the document finding covers the MRZ and dates on purpose.
const MAY_OVERLAP = new Set(['id_document']);

export function findSensitiveText(text: string): TextMatch[] {
  const mrz = findMrz(text);
  const documents = findIdDocuments(text);
  const onDocument = mrz.length > 0 || documents.length > 0;
  const ordered = [
    ...mrz,
    ...documents,
    ...findCardNumbers(text),
    ...findIbans(text),
    ...findNationalIds(text),
    ...findDocumentNumbers(text),
    ...findEmails(text),
    ...findPhones(text).filter((m) => !onDocument || !isDocumentDigitRun(text, m)),
    ...findDatesOfBirth(text),
    ...findAddresses(text),
    ...findLabelledAddresses(text),
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
