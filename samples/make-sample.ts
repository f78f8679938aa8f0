// Builds samples/preflight-sample.jpg: a public-domain portrait (NASA, from the scikit-image data set),
// a note with an e-mail address and a phone number, a Wi-Fi QR code, and the GPS position, phone model
// and serial number a phone would write. Everything in it is fictitious. Run: npx tsx samples/make-sample.ts
import { readFileSync, writeFileSync } from 'node:fs';
import QRCode from 'qrcode';
import sharp from 'sharp';

const portrait = await sharp(readFileSync(new URL('../tests/fixtures/images/face_adult_portrait_astronaut.png', import.meta.url)))
  .resize(560, 560)
  .toBuffer();
const note = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="520" height="300">
  <rect width="520" height="300" fill="#fffbe6" stroke="#d9c98a" stroke-width="4"/>
  <text x="28" y="70" font-family="DejaVu Sans, Arial, sans-serif" font-size="34" fill="#222">Call me back:</text>
  <text x="28" y="140" font-family="DejaVu Sans, Arial, sans-serif" font-size="34" fill="#222">jane.doe@example.com</text>
  <text x="28" y="210" font-family="DejaVu Sans, Arial, sans-serif" font-size="34" fill="#222">+33 6 12 34 56 78</text>
</svg>`);
const qr = await QRCode.toBuffer('WIFI:T:WPA;S:HomeNet-42;P:correct-horse-battery;;', { width: 260, margin: 2 });

const out = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#c9d6df' } })
  .composite([
    { input: portrait, left: 40, top: 120 },
    { input: note, left: 640, top: 120 },
    { input: qr, left: 760, top: 460 },
  ])
  .jpeg({ quality: 88 })
  .withExif({
    IFD0: { Make: 'Apple', Model: 'iPhone 13', Software: '17.4' },
    IFD2: { DateTimeOriginal: '2026:07:14 16:42:10', OffsetTimeOriginal: '+02:00', BodySerialNumber: 'F2LX81Q9ABCD' },
    IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2940/100', GPSLongitudeRef: 'E', GPSLongitude: '2/1 17/1 4020/100', GPSHPositioningError: '6/1' },
  })
  .toBuffer();
writeFileSync(new URL('./preflight-sample.jpg', import.meta.url), out);
console.log(`samples/preflight-sample.jpg: ${out.length} bytes`);
