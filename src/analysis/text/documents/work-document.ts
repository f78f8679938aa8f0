// Work and personal documents: confidentiality marks, code on a screen, spreadsheets, slides; letters,
// statements and forms that print a name beside an address or a date of birth.
import type { Finding } from '../../../types.ts';
import type { OcrPage } from '../page.ts';

/** The page's findings with a work or personal document finding added when the page is one. */
export function findWorkOrPersonalDocument(
  _page: OcrPage,
  _size: { width: number; height: number },
  findings: Finding[],
): Finding[] {
  return findings;
}
