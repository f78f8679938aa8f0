// Every finding kind renders, in English and in French, to the sentence the user reads: one case
// per kind (and per variant the renderer distinguishes), pinned, through the whole report view.
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/render.ts';
import { FINDING_KINDS, type Finding, type FindingKind, type RiskReport } from '../../src/types.ts';

const f = (kind: FindingKind, over: Partial<Finding> = {}): Finding => ({
  kind,
  severity: 'medium',
  certainty: 'likely',
  ...over,
});

// [case, finding(s), English lines, French lines]
const CASES: [string, Finding[], string[], string[]][] = [
  [
    'gps',
    [
      f('gps', {
        severity: 'high',
        certainty: 'confirmed',
        details: { latitude: 48.8584, longitude: 2.2945, accuracyM: 10 },
      }),
    ],
    [
      'Location where the photo was taken: 48.858, 2.295 (precise to about 10 m: enough to find the building)',
    ],
    ['Lieu de la prise de vue : 48,858 ; 2,295 (précis à environ 10 m : assez pour retrouver le bâtiment)'],
  ],
  [
    'gps (empty fields)',
    [f('gps', { severity: 'low', details: { empty: true } })],
    ['Location fields are present but empty'],
    ['Des champs de localisation sont présents mais vides'],
  ],
  [
    'device (camera)',
    [f('device', { severity: 'low', details: { camera: 'Canon EOS 5D' } })],
    ['Camera or phone: Canon EOS 5D'],
    ['Appareil : Canon EOS 5D'],
  ],
  [
    'device (serial)',
    [f('device', { details: { serial: true, masked: '****4821' } })],
    ["The camera's serial number: ****4821"],
    ['Le numéro de série de l’appareil : ****4821'],
  ],
  [
    'timestamp',
    [f('timestamp', { severity: 'low', details: { when: '2024-05-01 14:32', timeZone: '+02:00' } })],
    ['Taken on 2024-05-01 14:32 (time zone +02:00)'],
    ['Prise le 2024-05-01 14:32 (fuseau horaire +02:00)'],
  ],
  [
    'person_name_metadata (owner)',
    [f('person_name_metadata', { details: { tagged: false, masked: 'J*** D***' } })],
    ['A name (owner or author) hidden in the file: J*** D***'],
    ['Un nom (propriétaire ou auteur) caché dans le fichier : J*** D***'],
  ],
  [
    'person_name_metadata (tagged)',
    [f('person_name_metadata', { details: { tagged: true, masked: 'A***, B***' } })],
    ['Names of people tagged in the photo, hidden in the file: A***, B***'],
    ['Les noms de personnes identifiées sur la photo, cachés dans le fichier : A***, B***'],
  ],
  [
    'embedded_thumbnail',
    [f('embedded_thumbnail', { details: { differs: false } })],
    ['A hidden preview copy of the photo inside the file'],
    ['Une copie miniature de la photo cachée dans le fichier'],
  ],
  [
    'embedded_thumbnail (differs)',
    [f('embedded_thumbnail', { details: { differs: true } })],
    ['A hidden preview image that differs from the photo (it may show what was cropped or edited out)'],
    ['Un aperçu caché différent de la photo (il peut montrer ce qui a été recadré ou retouché)'],
  ],
  [
    'other_metadata (places)',
    [f('other_metadata', { severity: 'low', details: { what: 'places', masked: 'P***' } })],
    ['Place names hidden in the file: P***'],
    ['Des noms de lieux cachés dans le fichier : P***'],
  ],
  [
    'other_metadata (text)',
    [f('other_metadata', { severity: 'low', details: { what: 'text' } })],
    ['Comments, keywords or descriptions hidden in the file'],
    ['Des commentaires, mots-clés ou descriptions cachés dans le fichier'],
  ],
  [
    'other_metadata (software)',
    [f('other_metadata', { severity: 'low', details: { what: 'software' } })],
    ['The software that wrote the file (phone system or editor version)'],
    ['Le logiciel qui a produit le fichier (version du téléphone ou du logiciel de retouche)'],
  ],
  ['face', [f('face'), f('face')], ['2 faces'], ['2 visages']],
  [
    'possible_minor',
    [f('face'), f('possible_minor', { severity: 'high', details: { age: 7.4 } })],
    ['May show a child (estimated age 7; age estimates are rough)', '1 face'],
    ['Peut montrer un enfant (âge estimé 7 ; estimation approximative)', '1 visage'],
  ],
  [
    'id_document',
    [f('id_document', { severity: 'high', summary: 'an identity document (passport)' })],
    ['An identity document (passport)'],
    ['Une pièce d’identité'],
  ],
  [
    'mrz',
    [
      f('mrz', {
        severity: 'high',
        certainty: 'confirmed',
        summary: 'a machine-readable zone (passport, check digits valid)',
        details: { masked: 'P<UTO****' },
      }),
    ],
    ['A machine-readable zone (passport, check digits valid) (checked)'],
    ['Les lignes lisibles par machine d’une pièce d’identité : P<UTO**** (vérifié)'],
  ],
  [
    'national_id',
    [
      f('national_id', {
        severity: 'high',
        summary: 'a national ID number ****1234',
        details: { masked: '****1234' },
      }),
    ],
    ['A national ID number ****1234'],
    ['Un numéro d’identification national : ****1234'],
  ],
  [
    'date_of_birth',
    [f('date_of_birth', { summary: 'a date of birth **/**/1990', details: { masked: '**/**/1990' } })],
    ['A date of birth **/**/1990'],
    ['Une date de naissance : **/**/1990'],
  ],
  [
    'email',
    [f('email', { summary: 'e-mail j***@e***.com', details: { masked: 'j***@e***.com' } })],
    ['E-mail j***@e***.com'],
    ['Une adresse e-mail : j***@e***.com'],
  ],
  [
    'phone',
    [f('phone', { summary: 'phone number ****78', details: { masked: '****78' } })],
    ['Phone number ****78'],
    ['Un numéro de téléphone : ****78'],
  ],
  [
    'card_number',
    [
      f('card_number', {
        severity: 'high',
        certainty: 'confirmed',
        summary: 'card number ****4242',
        details: { masked: '****4242' },
      }),
    ],
    ['Card number ****4242 (checked)'],
    ['Un numéro de carte bancaire : ****4242 (vérifié)'],
  ],
  [
    'iban',
    [
      f('iban', {
        severity: 'high',
        certainty: 'confirmed',
        summary: 'IBAN FR76 **** 189',
        details: { masked: 'FR76 **** 189' },
      }),
    ],
    ['IBAN FR76 **** 189 (checked)'],
    ['Un numéro de compte bancaire (IBAN) : FR76 **** 189 (vérifié)'],
  ],
  [
    'address',
    [f('address', { summary: 'a postal address', details: { masked: '** rue ***' } })],
    ['A postal address'],
    ['Une adresse postale : ** rue ***'],
  ],
  [
    'person_name',
    [f('person_name', { summary: 'a name C*** M***', details: { masked: 'C*** M***' } })],
    ['A name C*** M***'],
    ['Le nom d’une personne : C*** M***'],
  ],
  [
    'qr_code',
    [
      f('qr_code', {
        severity: 'high',
        certainty: 'confirmed',
        source: 'code',
        summary: 'QR code: a Wi-Fi password',
        details: { payload: 'wifi', masked: 'H***' },
      }),
    ],
    ['QR code: a Wi-Fi password (checked)'],
    ['Un QR code : un réseau Wi-Fi et son mot de passe, H*** (vérifié)'],
  ],
  [
    'barcode',
    [
      f('barcode', {
        severity: 'low',
        certainty: 'confirmed',
        source: 'code',
        summary: 'barcode: a product number',
        details: { payload: 'product', masked: '****0017' },
      }),
    ],
    ['Barcode: a product number (checked)'],
    ['Un code-barres : un numéro de produit, ****0017 (vérifié)'],
  ],
  [
    'document',
    [f('document', { summary: 'a document or form' })],
    ['A document or form'],
    ['Un document (texte imprimé dense)'],
  ],
  [
    'screen',
    [f('screen', { summary: 'a screenshot or a photo of a screen' })],
    ['A screenshot or a photo of a screen'],
    ['Un écran ou une capture d’écran'],
  ],
  [
    'location_clue',
    [f('location_clue', { severity: 'low', certainty: 'possible', summary: 'a street sign or place name' })],
    ['A street sign or place name (possibly)'],
    ['Des indices visibles sur un lieu (rue, numéro, plaque) (peut-être)'],
  ],
];

const report = (findings: Finding[]): RiskReport => ({
  version: 1,
  input: { format: 'jpeg', width: 10, height: 10, bytes: 100 },
  verdict: 'medium',
  findings,
  checks: [],
});

describe('render: every finding kind in English and French', () => {
  it('covers every kind of FINDING_KINDS', () => {
    const covered = new Set(CASES.flatMap(([, fs]) => fs.map((x) => x.kind)));
    expect(FINDING_KINDS.filter((k) => !covered.has(k))).toEqual([]);
  });

  it.each(CASES)('%s', (_name, findings, enLines, frLines) => {
    // Lines are numbered "1. …" (the numbers "Show where" repeats).
    const numbered = (ls: string[]): string[] => ls.map((l, i) => `${i + 1}. ${l}`);
    expect(renderReport(report(findings), 'en').lines).toEqual(numbered(enLines));
    expect(renderReport(report(findings), 'fr').lines).toEqual(numbered(frLines));
  });

  it('without an analyzer summary, English falls back to the kind name (with the masked value in French)', () => {
    for (const kind of FINDING_KINDS) {
      const en = renderReport(report([f(kind)]), 'en').lines.join(' ');
      const fr = renderReport(report([f(kind)]), 'fr').lines.join(' ');
      expect([kind, en.length > 0 && !/undefined|NaN|\[object/.test(en)]).toEqual([kind, true]);
      expect([kind, fr.length > 0 && !/undefined|NaN|\[object/.test(fr)]).toEqual([kind, true]);
      expect([kind, en === fr]).toEqual([kind, false]);
    }
  });
});
