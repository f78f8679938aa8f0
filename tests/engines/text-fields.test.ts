// The field recognizers on real fixture bytes through the text analyzer: the digits printed with a
// book's barcode are no phone; a health card's serial is no phone beside its NIR; the labelled
// address of an identity card is found and covered.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareImage } from '../../src/analysis/image/decode.ts';
import { createTextAnalyzer } from '../../src/analysis/text/analyzer.ts';
import type { TextAnalyzer } from '../../src/analysis/text/analyzer.ts';
import type { Finding } from '../../src/types.ts';
import { DEFAULT_SCAN_OPTIONS } from '../../src/types.ts';

const fixture = (name: string): Buffer =>
  readFileSync(new URL(`../fixtures/images/${name}`, import.meta.url));

let text: TextAnalyzer;
beforeAll(async () => {
  text = await createTextAnalyzer();
});
afterAll(async () => {
  await text?.close();
});

async function analyze(name: string): Promise<Finding[]> {
  const image = await prepareImage(fixture(name));
  return text.analyze({ image, options: DEFAULT_SCAN_OPTIONS, signal: new AbortController().signal });
}
const kinds = (fs: Finding[]): string[] => [...new Set(fs.map((f) => f.kind))];

describe('field recognizers on fixture bytes', () => {
  it('book barcode: the ISBN and EAN digits are not a phone number', async () => {
    expect(kinds(await analyze('barcode_ean13_book-isbn.png'))).not.toContain('phone');
  });
  it('health card: the NIR is a national number, the card serial beside it no phone', async () => {
    const found = kinds(await analyze('pii_health-card_fr_carte-vitale_specimen_nir.jpg'));
    expect(found).toContain('national_id');
    expect(found).not.toContain('phone');
  });
  it('Monaco identity card: the address after "Adresse du titulaire" is found and covered', async () => {
    const address = (await analyze('id_card_monaco_specimen_td1_address.png')).filter(
      (f) => f.kind === 'address',
    );
    expect(address.length).toBeGreaterThan(0);
    expect(address[0]).toMatchObject({ source: 'text', redact: 'fill' });
    expect(address[0]?.regions?.length).toBeGreaterThan(0);
  });
});
