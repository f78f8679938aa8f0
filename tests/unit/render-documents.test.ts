// Replies for each document type, in English and French, as plain text, Telegram HTML and a Discord
// embed: the type named, "covered whole", the unbounded warning, the leftovers and the advice.
import { describe, expect, it } from 'vitest';
import { renderResultEmbed } from '../../src/adapters/discord/embed.ts';
import { renderReplyHtml } from '../../src/adapters/telegram/render-html.ts';
import { renderReplyText, renderReport } from '../../src/render.ts';
import type { Finding, Locale, RiskReport } from '../../src/types.ts';

const doc = (documentType: string, extra: Record<string, string | number | boolean> = {}): Finding => ({
  kind: documentType === 'payment card' ? 'document' : 'id_document',
  severity: 'high',
  certainty: 'likely',
  source: 'text',
  region: { x: 10, y: 10, width: 300, height: 200 },
  regions: [{ x: 10, y: 10, width: 300, height: 20 }],
  summary: documentType,
  redact: 'fill',
  removed: true,
  details: { documentType, whole: true, bounded: true, lines: 1, ...extra },
});

const report = (findings: Finding[], residual: Finding[] = []): RiskReport => ({
  version: 1,
  input: { format: 'jpeg', width: 400, height: 300, bytes: 1000 },
  verdict: 'high',
  findings,
  checks: [{ name: 'text', status: 'ok' }],
  sanitized: {
    format: 'jpeg',
    width: 400,
    height: 300,
    bytes: 900,
    actions: [
      { action: 'metadata_removed' },
      { action: 'text_covered', count: 1, kinds: [findings[0]!.kind] },
    ],
  },
  residual: { findings: residual },
});

const EXPECTED: Record<string, Record<Locale, string>> = {
  passport: { en: 'Passport', fr: 'Passeport' },
  'identity card': { en: 'Identity card', fr: 'Carte d’identité' },
  'driving licence': { en: 'Driving licence', fr: 'Permis de conduire' },
  'residence permit': { en: 'Residence permit', fr: 'Titre de séjour' },
  visa: { en: 'Visa', fr: 'Visa' },
  'payment card': { en: 'Payment card', fr: 'Carte bancaire' },
};

describe.each(['en', 'fr'] as const)('%s', (locale) => {
  it.each(Object.keys(EXPECTED))('%s: named, covered whole, rendered on every surface', (type) => {
    const name = EXPECTED[type]![locale];
    const view = renderReport(report([doc(type)]), locale);
    expect(view.lines[0]).toBe(`1. ${name}`);
    expect(view.removed).toContain(
      locale === 'en'
        ? `${name}: all printed details covered`
        : `${name} : toutes les mentions imprimées masquées`,
    );
    expect(view.advice.join(' ')).toMatch(
      type === 'payment card'
        ? locale === 'en'
          ? /fraud/
          : /fraude/
        : locale === 'en'
          ? /not send identity papers/
          : /pièce d’identité/,
    );
    const text = renderReplyText(view);
    const html = renderReplyHtml(view);
    const embed = JSON.stringify(renderResultEmbed(view));
    for (const out of [text, html, embed]) expect(out).toContain(name);
  });

  it('the back of a card says so', () => {
    const view = renderReport(report([doc('identity card', { side: 'back' })]), locale);
    expect(view.lines[0]).toBe(locale === 'en' ? '1. Identity card (back)' : '1. Carte d’identité (verso)');
  });

  it('an unbounded document: "may still be readable", never "nothing we can detect"', () => {
    const view = renderReport(report([doc('driving licence', { bounded: false })]), locale);
    expect(view.remains.join(' ')).toMatch(
      locale === 'en' ? /may still be readable/ : /peuvent encore être lisibles/,
    );
    expect(view.remains.join(' ')).not.toMatch(/Nothing we can detect|Rien que nous/);
  });

  it('text the re-scan still reads on a covered document is listed under "still in the copy"', () => {
    const left: Finding = { ...doc('passport', { leftover: true, lines: 2 }), removed: false };
    const view = renderReport(report([doc('passport')], [left]), locale);
    expect(view.remains.join(' ')).toMatch(
      locale === 'en' ? /2 lines of text are still readable/ : /2 lignes de texte restent lisibles/,
    );
  });

  it('a document number is named as one, masked', () => {
    const n: Finding = {
      kind: 'national_id',
      severity: 'high',
      certainty: 'likely',
      summary: 'document number ****99',
      details: { masked: '****99', documentNumber: true },
    };
    expect(renderReport(report([doc('driving licence'), n]), locale).lines).toContain(
      locale === 'en' ? '2. Document number ****99' : '2. Un numéro de document : ****99',
    );
  });

  it('work and personal documents', () => {
    const work: Finding = {
      kind: 'document',
      severity: 'medium',
      certainty: 'likely',
      details: { work: true, workKind: 'confidential' },
    };
    const personal: Finding = {
      kind: 'document',
      severity: 'medium',
      certainty: 'likely',
      details: { personal: true },
    };
    const view = renderReport(report([work, personal]), locale);
    expect(view.lines.join(' ')).toMatch(
      locale === 'en'
        ? /work document \(marked confidential/
        : /document professionnel \(marqué confidentiel/,
    );
    expect(view.lines.join(' ')).toMatch(locale === 'en' ? /personal document/ : /document personnel/);
    expect(view.advice.join(' ')).toMatch(locale === 'en' ? /employer/ : /employeur/);
  });
});
