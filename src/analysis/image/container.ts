// Byte-level audit of an encoded image: which metadata containers it carries and whether bytes follow
// the image's end (the "acropalypse" leak). Used to verify the sanitized copy without trusting the encoder.

export interface ContainerAudit {
  format: 'jpeg' | 'png' | 'webp' | 'other';
  /** Segment / chunk names that carry metadata (APP1 Exif, APP1 XMP, APP13, APP2 ICC, COM, tEXt, eXIf...). */
  metadata: string[];
  /** Bytes after the image's end marker. */
  trailingBytes: number;
  /** The structure could not be walked to its end. */
  malformed: boolean;
}

/** Walks a JPEG's or PNG's segments: trailing data, oversized or malformed blocks (other formats pass). */
export function auditContainer(b: Buffer): ContainerAudit {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return auditJpeg(b);
  if (b.length >= 8 && b.readUInt32BE(0) === 0x89504e47) return auditPng(b);
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP')
    return auditWebp(b);
  return { format: 'other', metadata: [], trailingBytes: 0, malformed: true };
}

function auditJpeg(b: Buffer): ContainerAudit {
  const metadata: string[] = [];
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return { format: 'jpeg', metadata, trailingBytes: 0, malformed: true };
    const marker = b[i + 1] ?? 0;
    if (marker === 0xff) {
      i++;
      continue;
    }
    const len = b.readUInt16BE(i + 2);
    const body = b.subarray(i + 4, i + 2 + len);
    if (marker >= 0xe1 && marker <= 0xef) {
      const id = body.subarray(0, 30).toString('latin1');
      const name = id.startsWith('Exif')
        ? 'APP1 Exif'
        : id.startsWith('http://ns.adobe.com/xap')
          ? 'APP1 XMP'
          : id.startsWith('ICC_PROFILE')
            ? 'APP2 ICC'
            : id.startsWith('Photoshop')
              ? 'APP13 IPTC'
              : `APP${marker - 0xe0}`;
      metadata.push(name);
    } else if (marker === 0xfe) metadata.push('COM');
    if (marker === 0xda) {
      // Entropy-coded data: find EOI (FF D9), skipping stuffed FF 00 and restart markers.
      let j = i + 2 + len;
      while (j + 1 < b.length) {
        if (b[j] === 0xff) {
          const m = b[j + 1] ?? 0;
          if (m === 0xd9)
            return { format: 'jpeg', metadata, trailingBytes: b.length - (j + 2), malformed: false };
          if (m === 0x00 || (m >= 0xd0 && m <= 0xd7) || m === 0xff) {
            j += m === 0xff ? 1 : 2;
            continue;
          }
          // Another segment (progressive JPEGs have several scans): continue the walk from here.
          i = j;
          break;
        }
        j++;
      }
      if (j + 1 >= b.length) return { format: 'jpeg', metadata, trailingBytes: 0, malformed: true };
      continue;
    }
    i += 2 + len;
  }
  return { format: 'jpeg', metadata, trailingBytes: 0, malformed: true };
}

const PNG_METADATA_CHUNKS = new Set(['eXIf', 'tEXt', 'zTXt', 'iTXt', 'iCCP', 'tIME', 'sPLT', 'dSIG', 'caBX']);

function auditPng(b: Buffer): ContainerAudit {
  const metadata: string[] = [];
  let i = 8;
  while (i + 12 <= b.length) {
    const len = b.readUInt32BE(i);
    const type = b.toString('latin1', i + 4, i + 8);
    if (PNG_METADATA_CHUNKS.has(type)) metadata.push(type);
    i += 12 + len;
    if (type === 'IEND')
      return { format: 'png', metadata, trailingBytes: b.length - i, malformed: i > b.length };
  }
  return { format: 'png', metadata, trailingBytes: 0, malformed: true };
}

function auditWebp(b: Buffer): ContainerAudit {
  const metadata: string[] = [];
  const end = 8 + b.readUInt32LE(4);
  let i = 12;
  while (i + 8 <= Math.min(end, b.length)) {
    const type = b.toString('latin1', i, i + 4);
    const len = b.readUInt32LE(i + 4);
    if (type === 'EXIF' || type === 'XMP ' || type === 'ICCP') metadata.push(type.trim());
    i += 8 + len + (len % 2);
  }
  return { format: 'webp', metadata, trailingBytes: Math.max(0, b.length - end), malformed: end > b.length };
}
