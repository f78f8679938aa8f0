// The reply shows the same masked value in every language: the analyzers put it in
// `details.masked` (src/mask.ts), English shows it inside its summary, French after the label.
import { describe, expect, it } from 'vitest';
import { toCodePayload } from '../../src/analysis/codes/payload.ts';
import { findCardNumbers } from '../../src/analysis/text/recognizers/card.ts';
import { findEmails } from '../../src/analysis/text/recognizers/email.ts';
import { findIbans } from '../../src/analysis/text/recognizers/iban.ts';
import { toTextSeverity, type TextMatch } from '../../src/analysis/text/recognizers/match.ts';
import { findNationalIds } from '../../src/analysis/text/recognizers/national-id.ts';
import { findPersonNames } from '../../src/analysis/text/recognizers/person-name.ts';
import { findPhones } from '../../src/analysis/text/recognizers/phone.ts';
import { messagesFor, renderFinding } from '../../src/render.ts';
import type { Finding } from '../../src/types.ts';

/** A text finding as the text analyzer makes it from a recognizer's match (boxes aside). */
function fromText(matches: TextMatch[]): Finding {
  const m = matches[0];
  if (!m) throw new Error('the recognizer found nothing');
  return {
    kind: m.kind,
    severity: toTextSeverity(m.kind),
    certainty: m.certainty,
    source: 'text',
    summary: m.summary,
    ...(m.details ? { details: m.details } : {}),
  };
}

/** A code finding as the codes analyzer makes it from a payload. */
function fromCode(text: string): Finding {
  const p = toCodePayload(text, { format: 'QRCode' });
  return {
    kind: 'qr_code',
    severity: p.severity,
    certainty: 'confirmed',
    source: 'code',
    summary: `QR code: ${p.summary}`,
    details: { ...p.details, format: 'QRCode' },
  };
}

const render = (f: Finding): { en: string; fr: string } => ({
  en: renderFinding(f, messagesFor('en'), 'en'),
  fr: renderFinding(f, messagesFor('fr'), 'fr'),
});

describe('the same masked value in English and French', () => {
  it.each([
    [
      'e-mail',
      fromText(findEmails('write to jane.doe@example.com')),
      'E-mail j***@e***.com',
      'Une adresse e-mail : j***@e***.com',
    ],
    [
      'phone',
      fromText(findPhones('Tél : 06 12 34 56 78')),
      'Phone number ****78',
      'Un numéro de téléphone : ****78',
    ],
    [
      'card',
      fromText(findCardNumbers('card: 4095-2609-9393-4932.')),
      'Card number ****4932 (checked)',
      'Un numéro de carte bancaire : ****4932 (vérifié)',
    ],
    [
      'IBAN',
      fromText(findIbans('IBAN FR76 1333 5000 4008 9328 9136 106')),
      'IBAN FR****6106 (checked)',
      'Un numéro de compte bancaire (IBAN) : FR****6106 (vérifié)',
    ],
    [
      'national id',
      fromText(findNationalIds('N° SS : 1 85 01 75 123 456 09')),
      /^.+ \*\*\*\*09 \(checked\)$/,
      'Un numéro d’identification national : ****09 (vérifié)',
    ],
    [
      'name',
      fromText(findPersonNames('My name is Aarav Navuluri and my')),
      'Name A*** N***',
      'Le nom d’une personne : A*** N***',
    ],
    [
      'Wi-Fi QR code',
      fromCode('WIFI:T:WPA;S:HomeNet-42;P:correct horse battery;;'),
      'QR code: Wi-Fi password for network H*** (checked)',
      'Un QR code : un réseau Wi-Fi et son mot de passe, H*** (vérifié)',
    ],
    [
      'phone QR code',
      fromCode('tel:+33612345678'),
      'QR code: phone number ****78 (checked)',
      'Un QR code : un numéro de téléphone, ****78 (vérifié)',
    ],
    [
      'payment QR code',
      fromCode('BCD\n002\n1\nSCT\nBFSWDE33BER\nWikimedia\nDE33100205000001194700\nEUR1.00\n\n\nx'),
      'QR code: bank transfer request (EPC QR): beneficiary name, IBAN DE****4700, amount (checked)',
      'Un QR code : des coordonnées de paiement, DE****4700 (vérifié)',
    ],
    [
      'QR code with text',
      fromCode('Call +33 6 12 34 56 78 or bob.smith@example.com'),
      'QR code: text containing e-mail b***@e***.com, phone number ****78 (checked)',
      'Un QR code : du texte, b***@e***.com, ****78 (vérifié)',
    ],
  ] as const)('%s', (_, finding, en, fr) => {
    const out = render(finding);
    if (typeof en === 'string') expect(out.en).toBe(en);
    else expect(out.en).toMatch(en);
    expect(out.fr).toBe(fr);
    const masked = finding.details?.['masked'];
    expect(typeof masked).toBe('string');
    for (const part of String(masked).split(', ')) {
      expect(out.en).toContain(part);
      expect(out.fr).toContain(part);
    }
  });

  it('metadata: serial numbers, names and places', () => {
    const meta = (kind: Finding['kind'], details: NonNullable<Finding['details']>): Finding => ({
      kind,
      severity: 'medium',
      certainty: 'confirmed',
      source: 'metadata',
      details,
    });
    expect(render(meta('device', { serial: true, count: 1, masked: '****ABCD' }))).toEqual({
      en: "The camera's serial number: ****ABCD",
      fr: 'Le numéro de série de l’appareil : ****ABCD',
    });
    expect(render(meta('person_name_metadata', { count: 1, masked: 'J*** D***' }))).toEqual({
      en: 'A name (owner or author) hidden in the file: J*** D***',
      fr: 'Un nom (propriétaire ou auteur) caché dans le fichier : J*** D***',
    });
    expect(render(meta('other_metadata', { what: 'places', masked: 'P***, F***' }))).toEqual({
      en: 'Place names hidden in the file: P***, F***',
      fr: 'Des noms de lieux cachés dans le fichier : P***, F***',
    });
  });

  it('a finding without a masked value shows the label alone', () => {
    const f: Finding = {
      kind: 'address',
      severity: 'medium',
      certainty: 'likely',
      summary: 'postal address',
    };
    expect(render(f)).toEqual({ en: 'Postal address', fr: 'Une adresse postale' });
    const serial: Finding = {
      kind: 'device',
      severity: 'medium',
      certainty: 'confirmed',
      details: { serial: true },
    };
    expect(render(serial)).toEqual({
      en: "The camera's serial number",
      fr: 'Le numéro de série de l’appareil',
    });
  });
});
