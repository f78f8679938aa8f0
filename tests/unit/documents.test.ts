// The document rules on text: titles and labels in seven languages and with OCR errors, the type and
// side of an identity document, its fields, payment cards, work and personal documents, and the
// whole-document cover and leftovers on OCR pages built here.
import { describe, expect, it } from 'vitest';
import { classifyId } from '../../src/analysis/text/documents/classify-id.ts';
import {
  findAnyDates,
  findLabelledFields,
  findLooseMrzFields,
  findMrzFields,
  findUnlabelledFields,
} from '../../src/analysis/text/documents/fields.ts';
import { findDocuments } from '../../src/analysis/text/documents/find-documents.ts';
import { findFieldLabels, findTitle, foldText, toTokens } from '../../src/analysis/text/documents/labels.ts';
import {
  countCardWords,
  findPaymentCardNumbers,
  hasCardMarks,
  toCardCertainty,
} from '../../src/analysis/text/documents/payment-card.ts';
import { toWorkKind } from '../../src/analysis/text/documents/work-document.ts';
import { findPersonNames } from '../../src/analysis/text/recognizers/person-name.ts';
import { renderReport } from '../../src/render.ts';
import type { RiskReport } from '../../src/types.ts';
import { toOcrPage, type OcrLine } from '../../src/analysis/text/page.ts';
import { crossCheckDocuments } from '../../src/analysis/pipeline/documents.ts';
import { isAdultOn } from '../../src/analysis/text/documents/holder-age.ts';
import type { Finding } from '../../src/types.ts';
import { intersectionArea } from '../../src/analysis/image/regions.ts';

const tokens = (s: string) => toTokens(foldText(s));

describe('titles, exact and as OCR reads them', () => {
  it.each([
    ['PASSPORT', 'passport'],
    ['PASSEPORT', 'passport'],
    ['REISEPASS', 'passport'],
    ['PASAPORTE', 'passport'],
    ['PASSAPORTO', 'passport'],
    ['PASPOORT', 'passport'],
    ['PASSAPORTE', 'passport'],
    ['CARTE NATIONALE D’IDENTITÉ', 'identity card'],
    ['PERSONALAUSWEIS', 'identity card'],
    ['DOCUMENTO NACIONAL DE IDENTIDAD', 'identity card'],
    ['CARTA D’IDENTITÀ', 'identity card'],
    ['IDENTITEITSKAART', 'identity card'],
    ['CARTÃO DE CIDADÃO', 'identity card'],
    ['DRIVER LICENSE', 'driving licence'],
    ["DRIVER'S LICENSE", 'driving licence'],
    ['DRIVING LICENCE', 'driving licence'],
    ['PERMIS DE CONDUIRE', 'driving licence'],
    ['FÜHRERSCHEIN', 'driving licence'],
    ['PERMISO DE CONDUCCIÓN', 'driving licence'],
    ['PATENTE DI GUIDA', 'driving licence'],
    ['RIJBEWIJS', 'driving licence'],
    ['TITRE DE SÉJOUR', 'residence permit'],
    ['AUFENTHALTSTITEL', 'residence permit'],
    ['RESIDENCE PERMIT', 'residence permit'],
    // OCR errors: a lost first letter, a merged word, a split word, a misread letter.
    ['ITRE DE SEJOUR', 'residence permit'],
    ['IVER’S LICENSE', 'driving licence'],
    ['DRIVERLICENSE', 'driving licence'],
    ['PASSE PORT', 'passport'],
    ['PERS0NALAUSWEIS', undefined],
    ['PERSONALAUSWELS', 'identity card'],
    ['FUHRERSCHE1N', undefined],
    ['FUHRERSCHFIN', 'driving licence'],
  ])('%s → %s', (title, type) => {
    expect(findTitle(tokens(title))?.type).toBe(type);
  });

  it.each(['PASTA', 'PASSWORD', 'DRIVER', 'LICENSE PLATE', 'IDENTITY', 'CARTE DES VINS', 'PERMIT'])(
    'no title in %s',
    (s) => expect(findTitle(tokens(s))).toBeUndefined(),
  );
});

describe('field labels', () => {
  it.each([
    ['Surname / Nom', 'surname'],
    ['Nachname', 'surname'],
    ['Apellidos', 'surname'],
    ['Cognome', 'surname'],
    ['Achternaam', 'surname'],
    ['Given names / Prénoms', 'given'],
    ['Vornamen', 'given'],
    ['Date of birth', 'birth'],
    ['Date de naissance', 'birth'],
    ['Geburtsdatum', 'birth'],
    ['Fecha de nacimiento', 'birth'],
    ['Data di nascita', 'birth'],
    ['Geboortedatum', 'birth'],
    ['Data de nascimento', 'birth'],
    ['Dato of birth', 'birth'],
    ['Nationalty', 'nationality'],
    ['Staatsangehörigkeit', 'nationality'],
    ['Date of expiry', 'expiry'],
    ['Place of birth', 'birthplace'],
    ['Lieu de naissanse', 'birthplace'],
    ['Passport No.', 'number'],
  ])('%s → %s', (label, field) => {
    expect(findFieldLabels(tokens(label))[0]?.field).toBe(field);
  });
});

describe('identity document type and side', () => {
  const TD3 = 'P<CANMARTIN<<SARAH<<<<<<<<<<<<<<<<<<<<<<<<<\nZE000509<9CAN8501019F2301147<<<<<<<<<<<<<<08';
  const TD1 =
    'I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<';
  it.each([
    [TD3, 'passport', 'front', 'confirmed'],
    [TD1, 'identity card', 'back', 'confirmed'],
    // The front's title beside the back's MRZ: both sides in one picture.
    [`TITRE DE SÉJOUR\n${TD1}`, 'residence permit', 'both', 'confirmed'],
    // The MRZ's surname printed again above it: the front is in the picture too.
    [`ERIKSSON\nANNA MARIA\n${TD1}`, 'identity card', 'both', 'confirmed'],
    // A US licence back: class, endorsements, restrictions and the word licence.
    [
      '9 CLASS\nD -License to operate a motor vehicle\n9a END\n12 REST\nM-Motorcycle',
      'driving licence',
      'back',
      'likely',
    ],
    // A licence title and its dates, the labels too small to read.
    ['OREGON\nDRIVER LICENSE\nA123456\n12/12/2026\n03/16/2018', 'driving licence', 'front', 'possible'],
    // MRZ lines that do not parse: 30 characters are a card's (TD1), 44 a passport's (TD3).
    [
      'Serbia\n6802295F1307245SRB<<<<<<<<<<<6\nAI40JFTEST<<MILICA<<<<<<<<<<<<<<<<<<',
      'identity card',
      'front',
      'likely',
    ],
    [
      'PERMIS DE CONDUIRE\n1. MARTIN\n2. PAUL\n3. 01.02.1980 PARIS\n4a. 01.01.2015 4b. 01.01.2030\n4c. PREFECTURE\n5. 123456',
      'driving licence',
      'front',
      'likely',
    ],
    [
      'USA DRIVER LICENSE\nDL 999999999 CLASS C\nDOB 02/22/1954 EXP 02/22/2028\nISS 02/22/2018',
      'driving licence',
      'front',
      'likely',
    ],
    ['DL 999999999 CLASS C\nDOB 02/22/1954\nEXP 02/22/2028', 'driving licence', 'front', 'likely'],
    [
      'IDENTITY CARD\nSurname MUSTER\nDate of birth 01.01.1980\nNationality XYZ',
      'identity card',
      'front',
      'likely',
    ],
  ])('%#', (text, type, side, certainty) => {
    expect(classifyId(text)).toMatchObject({ type, side, certainty });
  });

  it.each([
    // Decimal amounts are not numbered licence fields ("9,30", "5,250").
    'BULLETIN DE PAIE\nMutuelle 9,30\nMaladie 13,000 % 5,250 % 3,072 % 8,550\nTranche 2,048 7,386 12,21 4,200',
    'Class schedule\nCLASS 3 END 4 REST 5',
    'MENU\nSTARTERS 8.50\nSOUP OF THE DAY 6.00\nDESSERTS',
    'CHAPTER ONE\nIt was a bright cold day in April, and the clocks were striking thirteen.',
    'NET WT 500 g\nINGREDIENTS: WHEAT FLOUR, SUGAR\nBEST BEFORE 12/2027',
    'Name: Jane Doe\nAddress: 1 Main Street\nSignature',
    'NO PARKING\nTOW AWAY ZONE\nMON-FRI 8AM-6PM',
    // A title inside a long line (a sentence, a table cell) is not the document's title.
    'Date of birth 01.01.1980 is required for every DRIVER LICENSE renewal form submitted online',
  ])('not an identity document: %s', (text) => expect(classifyId(text)).toBeUndefined());
});

describe('fields', () => {
  it('MRZ: name, birth date and number, confirmed when the check digits verify', () => {
    const text = 'P<CANMARTIN<<SARAH<<<<<<<<<<<<<<<<<<<<<<<<<\nZE000509<9CAN8501019F2301147<<<<<<<<<<<<<<08';
    const ms = findMrzFields(text);
    expect(ms.map((m) => [m.kind, m.certainty])).toEqual([
      ['person_name', 'confirmed'],
      ['date_of_birth', 'confirmed'],
      ['national_id', 'confirmed'],
    ]);
    expect(ms[2]?.summary).toContain('****09');
    expect(JSON.stringify(ms)).not.toContain('ZE000509');
  });

  it('MRZ lines that do not parse still give the birth date, number and name', () => {
    const text =
      'P<ISLAEVARSDOTTIRK<THURIDURKOESP<LK<L<K<LLKLL<L<LKL\nADOD1234<0ISL6612315F0905264311266<9539<<<32';
    expect(
      findLooseMrzFields(text)
        .map((m) => m.kind)
        .sort(),
    ).toEqual(['date_of_birth', 'national_id', 'person_name']);
  });

  it.each([
    ['Surname / Nom\nMARTIN\nGiven names / Prénoms\nSARAH', ['person_name', 'person_name'], false],
    ['Nom : DUPONT Prénoms : Jean Pierre', ['person_name', 'person_name'], false],
    ['Date of birth 01 JAN 1976', ['date_of_birth'], false],
    ['Geburtsdatum\n12.08.1964', ['date_of_birth'], false],
    ['1. MARTIN\n2. PAUL\n3. 01.02.1980 PARIS', ['person_name', 'person_name', 'date_of_birth'], true],
    ['LN SAMPLE\nFN JANE\nDOB 08/31/1977', ['person_name', 'person_name', 'date_of_birth'], true],
    ['DLNO.999999999 CLASS C', ['national_id'], true],
    ['Passport No. A234567893', ['national_id'], false],
    // Numbered fields count only on a licence.
    ['1. MARTIN\n2. PAUL', [], false],
  ])('%s', (text, kinds, licence) => {
    expect(findLabelledFields(text, licence).map((m) => m.kind)).toEqual(kinds);
  });

  it('a name ends where the next label starts', () => {
    const text = 'Nom : DUPONT Prénoms : Jean Pierre';
    const [first] = findLabelledFields(text, false);
    expect(text.slice(first!.ranges[0]!.start, first!.ranges[0]!.end)).toBe('DUPONT');
  });

  it('unlabelled licence values: the oldest date is the birth date, a letter+digits token the number, the street line the address', () => {
    const text =
      'EXP 02/22/2028\nD1234567\n3 vos 02/22/1954\n123m MAIN STREET\nATLANTA, GA 39999\nISS 02/22/2018';
    const ms = findUnlabelledFields(text, []);
    expect(ms.map((m) => m.kind)).toEqual(['date_of_birth', 'national_id', 'address']);
    expect(text.slice(ms[0]!.ranges[0]!.start, ms[0]!.ranges[0]!.end)).toBe('02/22/1954');
    expect(ms[2]?.ranges).toHaveLength(2);
  });

  it('US month-first dates', () => {
    expect(findAnyDates('DOB 08/31/1977').length).toBe(1);
  });
});

describe('payment cards', () => {
  it.each([
    ['4000 1234 5678 9010\nVALID THRU 09/17', 'likely', false],
    ['4111 1111 1111 1111\nGOOD THRU 12/29', 'confirmed', true],
    ['3782 822463 10005\nAMERICAN EXPRESS', 'confirmed', true],
    // Digits OCR read as letters, on a card.
    ['4ooo L234 5678 [010\nVALUED CARDMEMBER 09/17', 'likely', false],
    ['5412 7500 0000 OOO2\nYB 00/00', 'likely', false],
  ])('%s → %s', (text, certainty, luhn) => {
    const ms = findPaymentCardNumbers(text, countCardWords(text) >= 1);
    expect(ms).toHaveLength(1);
    expect(ms[0]).toMatchObject({ kind: 'card_number', certainty, details: { luhn } });
  });

  it.each([
    // The reader left out the space between groups.
    ['54127512 34123456\nVALID THRU 12/23', 'likely', false],
    ['5412750000000002\nPLATINUM 00/00', 'likely', false],
    ['Card 4242424242424242', 'confirmed', true],
  ])('a joined run %j → %s', (text, certainty, luhn) => {
    const ms = findPaymentCardNumbers(text, countCardWords(text) >= 1);
    expect(ms).toHaveLength(1);
    expect(ms[0]).toMatchObject({ certainty, details: { luhn } });
  });

  it('a partly hidden number on a photo of a card is likely, with no last four; elsewhere nothing', () => {
    for (const text of ['monzo\n5355 2203 2390\nmastercard', 'VISA\n4000 1234 5678 ****\n09/27']) {
      expect(hasCardMarks(text)).toBe(true);
      const ms = findPaymentCardNumbers(text, { onCard: true, cardPhoto: true });
      expect(ms).toHaveLength(1);
      expect(ms[0]).toMatchObject({ certainty: 'likely', details: { partial: true, masked: '****' } });
      expect(ms[0]?.details?.['last4']).toBeUndefined();
      expect(findPaymentCardNumbers(text, { onCard: true, cardPhoto: false })).toEqual([]);
    }
    // Not a card's: no network prefix, or only the last four digits shown (a receipt's masked card).
    expect(findPaymentCardNumbers('1234 5678 9012\nVISA', { onCard: true, cardPhoto: true })).toEqual([]);
    expect(findPaymentCardNumbers('VISA **** **** **** 6612', { onCard: true, cardPhoto: true })).toEqual([]);
    expect(findPaymentCardNumbers('DEBIT 1234567890123456', { onCard: true, cardPhoto: true })).toEqual([]);
    expect(hasCardMarks('DEBIT PLATINUM')).toBe(false);
  });

  it('one certainty rule: Luhn-valid full → confirmed; failing or partial on a card → likely', () => {
    expect(toCardCertainty(true, true, false)).toBe('confirmed');
    expect(toCardCertainty(true, false, true)).toBe('likely');
    expect(toCardCertainty(false, false, true)).toBe('likely');
    expect(toCardCertainty(true, false, false)).toBeUndefined();
  });

  it('a Luhn-failed number without card words, and misread digits off a card, are not reported', () => {
    expect(findPaymentCardNumbers('Order 4000 1234 5678 9010 shipped', false)).toEqual([]);
    expect(findPaymentCardNumbers('Ref 4ooo L234 5678 [010', false)).toEqual([]);
  });
});

describe('work documents', () => {
  const page = (texts: string[]) =>
    toOcrPage(
      texts.map((t, i) => ({
        box: { x: 10, y: 10 + i * 20, width: 300, height: 16 },
        words: t.split(' ').map((w, k) => ({
          text: w,
          confidence: 90,
          box: { x: 10 + k * 40, y: 10 + i * 20, width: 36, height: 16 },
        })),
      })),
    );
  it.each([
    [['FOR OFFICIAL USE ONLY', 'Daily report'], 'confidential'],
    [['CONFIDENTIEL', 'Note interne'], 'confidential'],
    [['STRENG VERTRAULICH'], 'confidential'],
    [['DIFFUSION RESTREINTE'], 'confidential'],
    [['DRAFT'], 'confidential'],
    [
      [
        'user@host:~/src$ python s.py',
        '1 def f(x):',
        '2 return x',
        '3 y = f(2)',
        '4 for v in y:',
        '5 print(v)',
      ],
      'code',
    ],
    [['File Home Insert Design Transitions Animations', 'Slide 1 of 5', 'Click to add notes'], 'slides'],
    [['The draft of the new law was published', 'yesterday by the ministry'], undefined],
    // A single common word inside a name is not a mark.
    [['Department of the Treasury', 'Internal Revenue Service'], undefined],
    // Nor a near spelling of one: a mail client's folder list.
    [['Inbox', 'Drafts', 'Trash'], undefined],
    [
      [
        'Data Anonymization with Azure Databricks',
        'Azure Blob Storage',
        'Notebook',
        'DelimitedText',
        'Use this template',
        'Delete',
        'Cancel',
      ],
      'app',
    ],
    [['Notebook and storage boxes', 'Azure blue template', 'Cancel'], undefined],
    [['Soup of the day 6.00', 'Desserts 5.00'], undefined],
  ])('%j → %s', (texts, kind) => expect(toWorkKind(page(texts))).toBe(kind));
});

/** A document covered whole (id_document finding), fresh for each test. */
const wholeDocument = (): Finding => ({
  kind: 'id_document',
  severity: 'high',
  certainty: 'likely',
  region: { x: 300, y: 100, width: 400, height: 250 },
  regions: [{ x: 300, y: 100, width: 400, height: 20 }],
  details: { whole: true },
});

describe('the whole document on a page', () => {
  const line = (text: string, y: number, x = 100, conf = 90): OcrLine => {
    const words = text
      .split(' ')
      .map((w, k) => ({ text: w, confidence: conf, box: { x: x + k * 60, y, width: 55, height: 18 } }));
    return { words, box: { x, y, width: words.length * 60, height: 18 } };
  };
  const size = { width: 1000, height: 700 };

  it('a licence: covered in one piece holding every line, phones inside it are dropped, the document is bounded', () => {
    const page = toOcrPage([
      line('USA DRIVER LICENSE', 100),
      line('DL 999999999 CLASS C', 130),
      line('DOB 02/22/1954', 160),
      line('GARBLED TEXT HERE', 190),
      line('EXP 02/22/2028', 220),
    ]);
    const phone: Finding = {
      kind: 'phone',
      severity: 'medium',
      certainty: 'likely',
      region: page.lines[1]!.box,
      source: 'text',
    };
    const out = findDocuments(page, size, [phone]);
    const doc = out.find((f) => f.kind === 'id_document');
    expect(doc?.details).toMatchObject({
      documentType: 'driving licence',
      whole: true,
      bounded: true,
      lines: 5,
    });
    expect(doc?.regions).toEqual([doc?.region]);
    for (const l of page.lines)
      expect(intersectionArea(l.box, doc!.region!)).toBe(l.box.width * l.box.height);
    expect(out.some((f) => f.kind === 'phone')).toBe(false);
    expect(out.map((f) => f.kind)).toEqual(expect.arrayContaining(['date_of_birth', 'national_id']));
  });

  it('a document cut by the frame is not bounded', () => {
    const page = toOcrPage([
      line('PASSPORT', 0, 0),
      line('Surname MARTIN', 40, 0),
      line('Date of birth 01 JAN 1976', 80, 0),
      line('Nationality CANADIAN', 120, 0),
    ]);
    expect(findDocuments(page, size, []).find((f) => f.kind === 'id_document')?.details?.['bounded']).toBe(
      false,
    );
  });

  it('the re-scan reports readable lines left inside a covered document, and only those', () => {
    const covered: Finding = {
      kind: 'id_document',
      severity: 'high',
      certainty: 'likely',
      region: { x: 90, y: 90, width: 400, height: 200 },
      details: { documentType: 'passport', whole: true, bounded: true },
    };
    const page = toOcrPage([line('MARTIN', 120), line('zz', 200, 100, 30), line('OUTSIDE TEXT', 500)]);
    const left = findDocuments(page, size, [], [covered]).filter((f) => f.details?.['leftover'] === true);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ kind: 'id_document', redact: 'fill', details: { lines: 1 } });
  });

  it('a portrait and a code beside a document join its cover; a licence barcode alone is a licence', () => {
    const doc = wholeDocument();
    const face: Finding = {
      kind: 'face',
      severity: 'medium',
      certainty: 'likely',
      region: { x: 180, y: 120, width: 100, height: 130 },
    };
    const far: Finding = {
      kind: 'face',
      severity: 'medium',
      certainty: 'likely',
      region: { x: 900, y: 600, width: 50, height: 50 },
    };
    const fs = [doc, face, far];
    crossCheckDocuments(fs);
    expect(doc.regions).toHaveLength(2);
    expect(doc.details).toMatchObject({ portraits: 1 });

    const code: Finding = {
      kind: 'barcode',
      severity: 'medium',
      certainty: 'confirmed',
      region: { x: 0, y: 0, width: 300, height: 80 },
      source: 'code',
      details: { payload: 'driver_licence' },
    };
    const alone = [code];
    crossCheckDocuments(alone);
    expect(alone.find((f) => f.kind === 'id_document')?.details).toMatchObject({
      documentType: 'driving licence',
      side: 'back',
      bounded: false,
    });
    expect(code.redact).toBe('fill');
  });
});

describe('names: labels, greetings, titles and layout', () => {
  const names = (text: string): string[] =>
    findPersonNames(text).map((m) => text.slice(m.ranges[0]!.start, m.ranges[0]!.end));
  it.each([
    ['BILL TO\nJiro Doi\nToronto, ON', ['Jiro Doi']],
    ['BILLTO Invoice Number: 14\nJiro Doi', ['Jiro Doi']],
    ['PAY TO THE\nORDER oF John Doe & Jane Doe', ['John Doe']],
    ['Name (as shown on your income tax return)\nStephen Hawking', ['Stephen Hawking']],
    ['You: Hi, I’m Alice, and my brother’s name is Bob.', ['Bob', 'Alice']],
    ['Hi Karolina,\nCould we have a call?', ['Karolina']],
    ['Dear Sir,\nPlease find', []],
    ['Agence Bourges\nMme Karine Plume\n1 rue des Cigales', ['Karine Plume']],
    // The recipient line right above a street line; a licence's two capitalised lines.
    ['Get payroll\nJane Doe\n1234 Market Street PMB 4321\nDetroit, Michigan 12345', ['Jane Doe']],
    ['SAMPLE\nJELANI\n123 MAIN STREET\nPHOENIX,AZ 85007', ['JELANI', 'SAMPLE']],
    ['1PUBLIC\n2 JANE Q\n8 1234 MAIN STREET', ['JANE Q', 'PUBLIC']],
    ['Happy Payer Inc.\n1 Market St', []],
    // Two columns read as one line: the name ends the line above the street.
    ['Coefficient 600,000 Capitaine Jean Luc Picard\nCadre 52 RUE DES FLEURS', ['Capitaine Jean Luc Picard']],
    // On a card, the holder's line near the number; "YOUR NAME HERE" is a placeholder.
    ['Surge PLATINUM\n5412 7500 0000 0002\nVALID\n00/00\nTHRU\nCHERYL A GOODMAN', ['CHERYL A GOODMAN']],
    ['4000 1234 5678 9010\nGOOD THRU 3/20\nYOUR NAME HERE', []],
    // A name line the e-mail address spells.
    ['Andrew Morin\nFounder & CEO\namorin@remoteglobal.com', ['Andrew Morin']],
    ['Summary Report\nNew Projects\ninfo@example.com', []],
    ['He walked down 12 Main Street yesterday', []],
  ])('%j → %j', (text, expected) => expect(names(text)).toEqual(expected));
});

describe('replies: both sides, and a possible value still visible', () => {
  const report = (findings: Finding[], removed: boolean): RiskReport => ({
    version: 1,
    input: { format: 'jpeg', width: 400, height: 300, bytes: 1000 },
    verdict: 'high',
    findings: findings.map((f) => ({ ...f, removed })),
    checks: [{ name: 'text', status: 'ok' }],
    sanitized: { format: 'jpeg', width: 400, height: 300, bytes: 900, actions: [] },
    residual: { findings: [] },
  });
  const card: Finding = {
    kind: 'id_document',
    severity: 'high',
    certainty: 'confirmed',
    source: 'text',
    region: { x: 0, y: 0, width: 100, height: 60 },
    summary: 'identity card (front and back)',
    details: { documentType: 'identity card', side: 'both', whole: true, bounded: true, lines: 3 },
  };
  const name: Finding = {
    kind: 'person_name',
    severity: 'medium',
    certainty: 'possible',
    source: 'text',
    region: { x: 0, y: 0, width: 10, height: 10 },
    summary: 'name J*** D***',
    details: { masked: 'J*** D***' },
  };
  it.each([
    ['en', 'Identity card (front and back) (checked)', 'Name J*** D*** (possibly, still visible)'],
    ['fr', 'Carte d’identité (recto et verso) (vérifié)', '(peut-être, toujours visible)'],
  ] as const)('%s', (locale, line, still) => {
    expect(renderReport(report([card], true), locale).lines[0]).toContain(line.split(' (')[0]!);
    expect(renderReport(report([card], true), locale).lines[0]).toContain(line.split(') ')[0]! + ')');
    const remains = renderReport(report([name], false), locale).remains.join('\n');
    expect(remains).toContain(still);
    expect(remains).not.toMatch(/\) \(/);
  });
});

describe("a document's verified birth date and its portraits' ages (pipeline/documents.ts)", () => {
  const doc = wholeDocument;
  const portrait = { x: 180, y: 120, width: 100, height: 130 };
  const face = (): Finding => ({
    kind: 'face',
    severity: 'medium',
    certainty: 'likely',
    region: { ...portrait },
  });
  const minor = (): Finding => ({
    kind: 'possible_minor',
    severity: 'high',
    certainty: 'possible',
    region: { ...portrait },
    details: { age: 17 },
  });
  const birth = (holderAdult?: boolean): Finding => ({
    kind: 'date_of_birth',
    severity: 'high',
    certainty: 'confirmed',
    region: { x: 320, y: 300, width: 300, height: 20 },
    ...(holderAdult === undefined ? {} : { details: { holderAdult } }),
  });
  const minors = (fs: Finding[]): Finding[] => fs.filter((f) => f.kind === 'possible_minor');

  it("drops the age net's minor flag on the portrait of an adult holder", () => {
    const fs = [doc(), face(), minor(), birth(true)];
    crossCheckDocuments(fs);
    expect(minors(fs)).toHaveLength(0);
  });

  it('flags the portrait of a minor holder whatever the estimated age', () => {
    const fs = [doc(), face(), birth(false)];
    crossCheckDocuments(fs);
    expect(minors(fs)).toEqual([
      expect.objectContaining({ region: portrait, details: { holderMinor: true } }),
    ]);
  });

  it('leaves the estimate alone without a verified date, or for a face off the document', () => {
    const unverified = [doc(), face(), minor(), birth()];
    crossCheckDocuments(unverified);
    expect(minors(unverified)).toHaveLength(1);
    const off = { ...minor(), region: { x: 900, y: 600, width: 50, height: 50 } };
    const far = [doc(), { ...face(), region: { ...off.region } }, off, birth(true)];
    crossCheckDocuments(far);
    expect(minors(far)).toHaveLength(1);
  });
});

describe('isAdultOn (text/documents/holder-age.ts)', () => {
  const day = new Date(Date.UTC(2026, 11, 3));
  it('takes the latest century that puts the birth in the past, and counts to the birthday', () => {
    expect(isAdultOn('081203', day)).toBe(true); // 18 today
    expect(isAdultOn('081204', day)).toBe(false); // 18 tomorrow
    expect(isAdultOn('740812', day)).toBe(true); // 1974
    expect(isAdultOn('150101', day)).toBe(false); // 2015
    expect(isAdultOn('261231', day)).toBe(true); // 1926: not yet born in 2026
  });
  it('gives no answer for what is not a date', () => {
    expect(isAdultOn('741332', day)).toBeUndefined();
    expect(isAdultOn('<<<<<<', day)).toBeUndefined();
  });
});
