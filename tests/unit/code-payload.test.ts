import { describe, expect, it } from 'vitest';
import { isLinearFormat, isProductFormat } from '../../src/analysis/codes/formats.ts';
import { parseSemicolonFields, toCodePayload } from '../../src/analysis/codes/payload.ts';
import type { PayloadKind } from '../../src/analysis/codes/payload.ts';
import type { Severity } from '../../src/types.ts';

const QR = { format: 'QRCode' };

interface Row {
  name: string;
  text: string;
  format?: string;
  binary?: boolean;
  kind: PayloadKind;
  severity: Severity;
  summary: RegExp;
  /** The masked value every language shows (`details.masked`), when the payload has one. */
  masked?: string;
  /** Substrings of the payload that must never appear in the summary or details. */
  secret?: string[];
}

const ROWS: Row[] = [
  {
    name: 'Wi-Fi with password',
    text: 'WIFI:T:WPA;S:HomeNet-42;P:correct horse battery;;',
    kind: 'wifi',
    severity: 'high',
    summary: /^Wi-Fi password for network H\*\*\*$/,
    masked: 'H***',
    secret: ['HomeNet', 'correct horse', 'battery'],
  },
  {
    name: 'Wi-Fi with escaped separators, fields in any order',
    text: 'WIFI:P:xy\\;zz\\:y42;S:Caf\\;e;T:WPA2;H:true;;',
    kind: 'wifi',
    severity: 'high',
    summary: /network C\*\*\*/,
    masked: 'C***',
    secret: ['xy;zz', 'y42', 'Caf;e'],
  },
  {
    name: 'open Wi-Fi',
    text: 'WIFI:T:nopass;S:Library;;',
    kind: 'wifi',
    severity: 'medium',
    summary: /^Wi-Fi network L\*\*\* \(no password\)$/,
    masked: 'L***',
    secret: ['Library'],
  },
  {
    name: 'MECARD contact (the zxing fixture payload)',
    text: 'MECARD:N:Sean Owen;TEL:+12125658770;EMAIL:srowen@google.com;;',
    kind: 'contact',
    severity: 'high',
    summary: /^contact card: name, phone, e-mail$/,
    secret: ['Sean', 'Owen', '2125658770', 'srowen'],
  },
  {
    name: 'vCard contact',
    text: 'BEGIN:VCARD\r\nVERSION:3.0\r\nN:Dupont;Jean;;;\r\nFN:Jean Dupont\r\nORG:ACME\r\nTEL;TYPE=CELL:+33 6 12 34 56 78\r\nADR;TYPE=HOME:;;1 rue de la Paix;Paris;;75002;France\r\nBDAY:1980-04-01\r\nEND:VCARD',
    kind: 'contact',
    severity: 'high',
    summary: /^contact card: name, organisation, phone, address, birthday$/,
    secret: ['Dupont', 'Jean', '12 34', 'Paix', '1980'],
  },
  {
    name: 'BIZCARD contact',
    text: 'BIZCARD:N:Jo;X:Bloggs;C:Acme;B:+441234567890;E:jo@acme.example;;',
    kind: 'contact',
    severity: 'high',
    summary: /contact card: name, organisation, phone, e-mail/,
    secret: ['Bloggs', 'jo@'],
  },
  {
    name: 'mailto',
    text: 'mailto:jean.dupont@example.com?subject=Hello',
    kind: 'email',
    severity: 'medium',
    summary: /^e-mail address j\*\*\*@e\*\*\*\.com$/,
    masked: 'j***@e***.com',
    secret: ['dupont', 'example'],
  },
  {
    name: 'MATMSG',
    text: 'MATMSG:TO:alice@mail.example.org;SUB:Hi;BODY:See you;;',
    kind: 'email',
    severity: 'medium',
    summary: /^e-mail address a\*\*\*@m\*\*\*\.org$/,
    masked: 'a***@m***.org',
    secret: ['alice'],
  },
  {
    name: 'tel',
    text: 'tel:+33612345678',
    kind: 'phone',
    severity: 'medium',
    summary: /^phone number \*\*\*\*78$/,
    masked: '****78',
    secret: ['612345'],
  },
  {
    name: 'sms',
    text: 'sms:+15551234567?body=hello%20there',
    kind: 'sms',
    severity: 'medium',
    summary: /^text message to a phone number \*\*\*\*67$/,
    masked: '****67',
    secret: ['5551234', 'hello'],
  },
  {
    name: 'SMSTO',
    text: 'SMSTO:+447700900123:Meet at 8',
    kind: 'sms',
    severity: 'medium',
    summary: /\*\*\*\*23$/,
    masked: '****23',
    secret: ['7700900', 'Meet'],
  },
  {
    name: 'geo URI',
    text: 'geo:48.858370,2.294481?q=Eiffel',
    kind: 'geo',
    severity: 'high',
    summary: /coordinates hidden/,
    secret: ['48.85', '2.29', 'Eiffel'],
  },
  {
    name: 'map URL with coordinates',
    text: 'https://maps.google.com/?q=51.5007,-0.1246',
    kind: 'geo',
    severity: 'high',
    summary: /precise location/,
    secret: ['51.5007', '0.1246'],
  },
  {
    name: 'plain URL (the street-sign fixture)',
    text: 'http://historypoints.org/index.php?page=great-orme-tramway',
    kind: 'url',
    severity: 'medium',
    summary: /^web link to historypoints\.org$/,
  },
  {
    name: 'URL with tracking tags only',
    text: 'https://www.example.org/promo?utm_source=flyer&utm_medium=qr',
    kind: 'url',
    severity: 'medium',
    summary: /^web link to example\.org with tracking tags$/,
  },
  {
    name: 'URL with a token',
    text: 'https://app.example.com/login?token=abc123def456&utm_source=mail',
    kind: 'url',
    severity: 'high',
    summary: /personal token.*tracking/,
    secret: ['abc123def456'],
  },
  {
    name: 'URL with a session id',
    text: 'https://shop.example.com/cart?sessionid=9f8e7d',
    kind: 'url',
    severity: 'high',
    summary: /personal token/,
    secret: ['9f8e7d'],
  },
  {
    name: 'URL with an API key',
    text: 'https://api.example.com/v1/data?key=AIzaSyD-1234',
    kind: 'url',
    severity: 'high',
    summary: /personal token/,
    secret: ['AIzaSy'],
  },
  {
    name: 'URL with a long random path id (capability link)',
    text: 'https://docs.google.com/document/d/1aB2cD3eF4gH5iJ6kL7mN8oP9qR0sT/edit',
    kind: 'url',
    severity: 'high',
    summary: /long unique id/,
    secret: ['1aB2cD3eF4'],
  },
  {
    name: 'URL with login credentials',
    text: 'https://bob:hunter2@nas.example.net/',
    kind: 'url',
    severity: 'high',
    summary: /login name or password/,
    secret: ['bob', 'hunter2'],
  },
  {
    name: 'bare www address',
    text: 'www.example.org/menu',
    kind: 'url',
    severity: 'medium',
    summary: /^web link to example\.org$/,
  },
  {
    name: 'EPC / SEPA QR',
    text: 'BCD\n002\n1\nSCT\nBFSWDE33BER\nWikimedia Foerdergesellschaft\nDE33100205000001194700\nEUR123.45\n\n\nSpende fuer Wikipedia',
    kind: 'payment',
    severity: 'high',
    summary: /^bank transfer request \(EPC QR\): beneficiary name, IBAN DE\*\*\*\*4700, amount$/,
    masked: 'DE****4700',
    secret: ['Wikimedia', '1002050000', 'Spende'],
  },
  {
    name: 'Swiss QR bill',
    text: 'SPC\n0200\n1\nCH4431999123000889012\nS\nRobert Schneider AG\nRue du Lac\n1268\n2501\nBiel\nCH',
    kind: 'payment',
    severity: 'high',
    summary: /^Swiss QR bill: beneficiary, IBAN CH\*\*\*\*9012, address$/,
    masked: 'CH****9012',
    secret: ['Schneider', '31999123'],
  },
  {
    name: 'payment link',
    text: 'https://paypal.me/someone/10',
    kind: 'payment',
    severity: 'high',
    summary: /^payment link \(paypal\.me\)$/,
    secret: ['someone'],
  },
  {
    name: 'bitcoin URI',
    text: 'bitcoin:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq?amount=0.01',
    kind: 'payment',
    severity: 'high',
    summary: /payment request \(bitcoin\)/,
    secret: ['bc1qar0'],
  },
  {
    name: 'IATA boarding pass (BCBP)',
    text: 'M1DESMARAIS/LUC       EABC123 YULFRAAC 0834 326J001A0025 100',
    format: 'PDF417',
    kind: 'boarding_pass',
    severity: 'high',
    summary: /^boarding pass: passenger name, booking reference/,
    secret: ['DESMARAIS', 'ABC123', 'YUL', '0834'],
  },
  {
    name: 'boarding pass in Aztec, two legs',
    text: 'M2SMITH/JANE MS       EXYZ987 LHRJFKBA 0117 123Y012C0001 147>5180 ',
    format: 'Aztec',
    kind: 'boarding_pass',
    severity: 'high',
    summary: /boarding pass/,
    secret: ['SMITH', 'XYZ987'],
  },
  {
    name: 'AAMVA driving licence (PDF417)',
    text: '@\n\x1e\rANSI 636014040002DL00410288ZC03290034DLDAQY1234567\nDCSDOE\nDACJOHN\nDBB01021980\nDAG1 MAIN ST\n',
    format: 'PDF417',
    kind: 'driver_licence',
    severity: 'high',
    summary: /^driving licence data: name, date of birth, address, licence number$/,
    secret: ['DOE', 'JOHN', 'Y1234567', '1980', 'MAIN'],
  },
  {
    name: 'two-factor secret',
    text: 'otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example',
    kind: 'otp',
    severity: 'high',
    summary: /two-factor/,
    secret: ['JBSWY3', 'alice'],
  },
  {
    name: 'calendar event',
    text: 'BEGIN:VEVENT\nSUMMARY:Party\nDTSTART:20250101T200000Z\nLOCATION:12 High St\nEND:VEVENT',
    kind: 'event',
    severity: 'medium',
    summary: /calendar event/,
    secret: ['Party', 'High St'],
  },
  {
    name: 'EAN-13 book ISBN (the fixture)',
    text: '9780804816632',
    format: 'EAN13',
    kind: 'product',
    severity: 'low',
    summary: /^book barcode \(ISBN\)$/,
  },
  {
    name: 'UPC-A product',
    text: '036000291452',
    format: 'UPCA',
    kind: 'product',
    severity: 'low',
    summary: /^product barcode \(UPC-A\)$/,
  },
  {
    name: 'Code 128 identifier',
    text: 'TRK12345678',
    format: 'Code128',
    kind: 'identifier',
    severity: 'medium',
    summary: /identifier \(Code 128\)/,
    secret: ['12345678'],
  },
  {
    name: 'plain text, nothing personal',
    text: 'Hello world',
    kind: 'text',
    severity: 'low',
    summary: /no personal data/,
    secret: ['Hello'],
  },
  {
    name: 'text with an e-mail address',
    text: 'Contact me: bob.smith@example.com',
    kind: 'text',
    severity: 'medium',
    summary: /e-mail b\*\*\*@e\*\*\*\.com/,
    masked: 'b***@e***.com',
    secret: ['smith'],
  },
  {
    name: 'text with an IBAN',
    text: 'Pay to FR76 3000 6000 0112 3456 7890 189 please',
    kind: 'text',
    severity: 'high',
    summary: /IBAN FR\*\*\*\*0189/,
    masked: 'FR****0189',
    secret: ['3000 6000', '1234'],
  },
  {
    name: 'text with a card number',
    text: 'card 4111 1111 1111 1111 exp 12/30',
    kind: 'text',
    severity: 'high',
    summary: /card number \*\*\*\*1111/,
    masked: '****1111',
    secret: ['4111 1111'],
  },
  {
    name: 'UIC rail ticket (binary Aztec)',
    text: '#UT01\u0001\u0002',
    format: 'Aztec',
    binary: true,
    kind: 'ticket',
    severity: 'high',
    summary: /travel ticket/,
  },
  {
    name: 'other binary data',
    text: '\u0000\u0001\u0002binary',
    format: 'DataMatrix',
    binary: true,
    kind: 'binary',
    severity: 'medium',
    summary: /binary data \(Data Matrix\)/,
  },
];

describe('toCodePayload', () => {
  it.each(ROWS)('$name -> $kind ($severity)', (row) => {
    const out = toCodePayload(row.text, {
      format: row.format ?? QR.format,
      ...(row.binary ? { binary: true } : {}),
    });
    expect(out.kind).toBe(row.kind);
    expect(out.severity).toBe(row.severity);
    expect(out.summary).toMatch(row.summary);
    expect(out.details.payload).toBe(row.kind);
    const shown = `${out.summary} ${JSON.stringify(out.details)}`;
    for (const s of row.secret ?? []) expect(shown).not.toContain(s);
    // The summary is never the payload itself.
    expect(out.summary).not.toContain(row.text);
    // What other languages show is what the English summary shows.
    expect(out.details.masked).toBe(row.masked);
    for (const part of row.masked?.split(', ') ?? []) expect(out.summary).toContain(part);
  });

  it('every payload kind is covered by the table', () => {
    const kinds = new Set(ROWS.map((r) => r.kind));
    const all: PayloadKind[] = [
      'wifi',
      'contact',
      'email',
      'phone',
      'sms',
      'geo',
      'url',
      'payment',
      'boarding_pass',
      'driver_licence',
      'ticket',
      'otp',
      'event',
      'product',
      'identifier',
      'binary',
      'text',
    ];
    for (const k of all) expect(kinds.has(k), k).toBe(true);
  });

  it('recognises a UIC ticket header in any 2-D format', () => {
    expect(toCodePayload('#UT01\u0001\u0002', { format: 'QRCode' }).kind).toBe('ticket');
    expect(toCodePayload('\u0001U_FLEX13', { format: 'DataMatrix' }).kind).toBe('ticket');
  });

  it('does not mistake a non-BCBP line starting with M1 for a boarding pass', () => {
    expect(toCodePayload('M1 motorway closed', QR).kind).toBe('text');
  });

  it('a URL on a plain product code format is not treated as a product', () => {
    expect(toCodePayload('https://example.org', { format: 'Code128' }).kind).toBe('url');
  });
});

describe('helpers', () => {
  it('parses semicolon fields with escapes', () => {
    const f = parseSemicolonFields('S:a\\;b;P:c\\\\d;T:WPA;;');
    expect(f.get('S')).toEqual(['a;b']);
    expect(f.get('P')).toEqual(['c\\d']);
    expect(f.get('T')).toEqual(['WPA']);
  });

  it('knows linear and product formats', () => {
    expect(isLinearFormat('EAN13')).toBe(true);
    expect(isLinearFormat('Code128')).toBe(true);
    expect(isLinearFormat('QRCode')).toBe(false);
    expect(isLinearFormat('PDF417')).toBe(false);
    expect(isProductFormat('EAN13')).toBe(true);
    expect(isProductFormat('Code128')).toBe(false);
  });
});
