// The benchmark's images, composed in memory (nothing is written to disk): a 12-megapixel phone photo
// with a face, a note with personal text and a Wi-Fi QR code, GPS and camera EXIF (and the same scene at
// 1280 px, Telegram's compressed size); a phone screenshot;
// a medium photo; and the small GPS fixture. Everything in them is fictitious.
import { readFile } from 'node:fs/promises';
import QRCode from 'qrcode';
import sharp from 'sharp';
import type { OverlayOptions } from 'sharp';
import { renderScreenshot } from '../eval/make-synthetic.ts';

const FIXTURES = new URL('../tests/fixtures/images/', import.meta.url);
const fixture = (name: string): Promise<Buffer> => readFile(new URL(name, FIXTURES));

const EXIF = {
  IFD0: { Make: 'Apple', Model: 'iPhone 14 Pro' },
  IFD3: {
    GPSLatitudeRef: 'N',
    GPSLatitude: '48/1 51/1 2940/100',
    GPSLongitudeRef: 'E',
    GPSLongitude: '2/1 17/1 4020/100',
  },
};

function note(lines: string[], fontSize: number): Buffer {
  const lh = Math.round(fontSize * 1.5);
  const width = Math.round(Math.max(...lines.map((l) => l.length)) * fontSize * 0.62 + fontSize * 2);
  const height = lh * lines.length + fontSize;
  const text = lines
    .map(
      (l, i) =>
        `<text x="${fontSize}" y="${Math.round(fontSize * 0.5 + lh * (i + 0.8))}" font-family="DejaVu Sans, Arial, sans-serif" font-size="${fontSize}" fill="#1a1a1a">${l}</text>`,
    )
    .join('');
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="${width}" height="${height}" fill="#fffbe6"/>${text}</svg>`,
  );
}

const NOTE_LINES = ['Call me back:', 'jane.doe@example.com', '+33 6 12 34 56 78', 'Card 4539 1488 0343 6467'];

/** A photo-like scene of `width`×`height` with a face, a note and (optionally) a QR code. */
async function composeScene(width: number, height: number, withQr: boolean): Promise<Buffer> {
  const k = width / 4000;
  const bg = await sharp(await fixture('negative_rocket-launchpad.jpg'))
    .resize(width, height, { fit: 'fill' })
    .toBuffer();
  const face = await sharp(await fixture('face_adult_portrait_astronaut.png'))
    .removeAlpha()
    .resize(Math.round(1100 * k))
    .toBuffer();
  const layers: OverlayOptions[] = [
    { input: face, left: Math.round(250 * k), top: Math.round(900 * k) },
    {
      input: await sharp(note(NOTE_LINES, Math.round(84 * k)))
        .png()
        .toBuffer(),
      left: Math.round(1700 * k),
      top: Math.round(400 * k),
    },
  ];
  if (withQr)
    layers.push({
      input: await QRCode.toBuffer('WIFI:T:WPA;S:HomeNet-42;P:correct-horse-battery;;', {
        width: Math.round(640 * k),
        margin: 2,
      }),
      left: Math.round(3000 * k),
      top: Math.round(2050 * k),
    });
  return sharp(bg).composite(layers).jpeg({ quality: 90 }).withExif(EXIF).toBuffer();
}

export interface BenchImage {
  name: string;
  description: string;
  bytes: Buffer;
}

export async function makeBenchImages(): Promise<{
  photo12mp: BenchImage;
  screenshot: BenchImage;
  photo1280: BenchImage;
  medium: BenchImage;
  small: BenchImage;
}> {
  return {
    photo12mp: {
      name: 'photo-12mp',
      description: '4000×3000 JPEG q90: face, note (e-mail, phone, card), Wi-Fi QR, GPS + camera EXIF',
      bytes: await composeScene(4000, 3000, true),
    },
    photo1280: {
      name: 'photo-1280',
      description: "1280×960 JPEG q90, the same scene at Telegram's compressed photo size",
      bytes: await composeScene(1280, 960, true),
    },
    screenshot: {
      name: 'screenshot',
      description: '1170×2532 PNG phone screenshot: status bar, chat with e-mail, phone, card, IBAN',
      bytes: await renderScreenshot({
        rows: [
          'Write to me: nina.berg@example.org',
          'Tel: +33 6 24 57 77 16',
          'Card 5105 1051 0510 5100',
          'IBAN DE89 3704 0044 0532 0130 00',
        ],
        dark: false,
        fontSize: 46,
      }),
    },
    medium: {
      name: 'medium',
      description: '1600×1200 JPEG: face, note with personal text, EXIF',
      bytes: await composeScene(1600, 1200, false),
    },
    small: {
      name: 'small-gps',
      description: '600×400 JPEG fixture with GPS and camera EXIF (gps_fujifilm-s2pro_eiffel-tower.jpg)',
      bytes: await fixture('gps_fujifilm-s2pro_eiffel-tower.jpg'),
    },
  };
}

/**
 * Fixture photos of ten kinds (ID card, passport, payment card, business card, receipt, family,
 * dog, can, licence, street sign), each brought to 4000×3000 (cropped to fill) as a JPEG q90: a
 * batch of different 12-MP photos. Photos that differ give the text models new input shapes, which
 * a batch of copies of one photo never does (the first run at a shape allocates more: docs/EVAL.md).
 */
export const VARIED_FIXTURES = [
  'id_card_lithuania_specimen_td1.png',
  'id_passport_netherlands_specimen_td3.jpg',
  'card_mastercard_surge_sample_dark_name.jpeg',
  'pii_business-card_photo.jpg',
  'gps_iphone4_restaurant-ticket.jpg',
  'faces_family_beach_two-children.jpg',
  'negative_dog_face_chihuahua.jpg',
  'qr_micro-qr_drink-can_in-hand.jpg',
  'id_driver-licence_us-georgia_sample_front.jpg',
  'gps_sony-hx5v_street-sign.jpg',
] as const;

export async function makeVariedPhotos(): Promise<Buffer[]> {
  return Promise.all(
    VARIED_FIXTURES.map(async (name) =>
      sharp(await fixture(name))
        .rotate()
        .resize(4000, 3000, { fit: 'cover' })
        .flatten({ background: '#ffffff' })
        .jpeg({ quality: 90 })
        .toBuffer(),
    ),
  );
}
