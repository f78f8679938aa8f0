// Verification of weak boxes, colour forms and the mirrored age, on real bytes with the real models:
// a dog, a cat and food give no face although SSD boxes them; CMYK, 16-bit, grey-tagged and
// transparent copies of a child photo are flagged like the sRGB file; the reported age is the mean
// of the crop's and its mirror's.
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareImage } from '../../src/analysis/image/decode.ts';
import {
  createFaceAnalyzer,
  DEFAULT_FACE_OPTIONS,
  detectFaces,
  loadFaceModels,
} from '../../src/analysis/faces/analyzer.ts';
import { lookAtFaces } from '../../src/analysis/faces/face-age.ts';
import { DEFAULT_SCAN_OPTIONS, type ClosableAnalyzer, type Finding } from '../../src/types.ts';

const fixture = (name: string): Buffer =>
  readFileSync(new URL(`../fixtures/images/${name}`, import.meta.url));

let analyzer: ClosableAnalyzer;
beforeAll(async () => {
  analyzer = await createFaceAnalyzer();
});
afterAll(async () => {
  await analyzer.close();
});

async function scan(bytes: Buffer): Promise<Finding[]> {
  const image = await prepareImage(bytes);
  return analyzer.analyze({ image, options: DEFAULT_SCAN_OPTIONS, signal: new AbortController().signal });
}
const faces = (fs: Finding[]): Finding[] => fs.filter((f) => f.kind === 'face');
const minors = (fs: Finding[]): Finding[] => fs.filter((f) => f.kind === 'possible_minor');

describe('weak boxes are verified', () => {
  it.each(['negative_dog_face_chihuahua.jpg', 'negative_cat_face_chelsea_xmp-camera.png'])(
    '%s: SSD boxes the animal, verification drops it',
    async (file) => {
      const raw = await (await prepareImage(fixture(file))).raw(DEFAULT_FACE_OPTIONS.maxSide, 3);
      const unverified = await detectFaces(raw, { ...DEFAULT_FACE_OPTIONS, verifyBelow: 0 });
      expect(unverified.faces.length).toBeGreaterThan(0);
      const verified = await detectFaces(raw, DEFAULT_FACE_OPTIONS);
      expect(verified.faces).toEqual([]);
    },
  );

  it.each(['negative_food_corn-cobs_pot.jpg', 'negative_cutlery_silver_false-barcode.jpg'])(
    '%s: no face',
    async (file) => {
      expect(await scan(fixture(file))).toEqual([]);
    },
  );

  it('keeps weak real faces: the third adult of the group scores under 0.5 and is still reported', async () => {
    const raw = await (await prepareImage(fixture('faces_group_three-adults.jpg'))).raw(1600, 3);
    // The full frame alone: the small-copy tile grid sees this face at 0.98 (no verification needed).
    const scanned = await detectFaces(raw, { ...DEFAULT_FACE_OPTIONS, smallTiles: false });
    expect(scanned.faces).toHaveLength(3);
    expect(Math.min(...scanned.faces.map((f) => f.score))).toBeLessThan(DEFAULT_FACE_OPTIONS.verifyBelow);
  });
});

describe('colour forms reach the models as sRGB', () => {
  const child = fixture('face_child_toddler.jpg');
  let reference: Finding[];
  beforeAll(async () => {
    reference = await scan(child);
  });

  it.each([
    ['CMYK JPEG', () => sharp(child).toColourspace('cmyk').jpeg({ quality: 92 }).toBuffer()],
    ['16-bit PNG', () => sharp(child).toColourspace('rgb16').png().toBuffer()],
    ['Display P3 tagged JPEG', () => sharp(child).withIccProfile('p3').jpeg({ quality: 92 }).toBuffer()],
    ['half-transparent PNG', () => sharp(child).ensureAlpha(0.6).png().toBuffer()],
  ])('%s: the same face, flagged as a possible minor', async (_name, make) => {
    const bytes = await make();
    const found = await scan(bytes);
    expect(faces(reference)).toHaveLength(1);
    expect(minors(reference)).toHaveLength(1);
    expect(faces(found)).toHaveLength(1);
    expect(minors(found)).toHaveLength(1);
    const age = (fs: Finding[]) => Number(minors(fs)[0]!.details!.age);
    expect(Math.abs(age(found) - age(reference))).toBeLessThanOrEqual(3);
  });

  it('a CMYK copy decodes to the same colours as the sRGB file (not inverted, not grey)', async () => {
    const cmyk = await sharp(child).toColourspace('cmyk').jpeg({ quality: 92 }).toBuffer();
    const a = await (await prepareImage(child)).raw(256, 3);
    const b = await (await prepareImage(cmyk)).raw(256, 3);
    expect(b.channels).toBe(3);
    let diff = 0;
    for (let i = 0; i < a.data.length; i++) diff += Math.abs(a.data[i]! - b.data[i]!);
    expect(diff / a.data.length).toBeLessThan(25);
  });
});

describe('age', () => {
  it('reports the mean of the age on the crop and on its mirror image', async () => {
    const file = fixture('faces_children_group_five_alpha-png.png');
    const raw = await (await prepareImage(file)).raw(1600, 3);
    const flopped = await sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: 3 } })
      .flop()
      .raw()
      .toBuffer();
    // The full frame's boxes (the tile grid's differ slightly); the age is read the same way on both.
    const scanned = await detectFaces(raw, { ...DEFAULT_FACE_OPTIONS, smallTiles: false });
    expect(scanned.faces.length).toBeGreaterThan(0);
    const { faceapi, crops } = await loadFaceModels();
    const t = faceapi.tf.tensor3d(raw.data, [raw.height, raw.width, 3], 'int32');
    const m = faceapi.tf.tensor3d(flopped, [raw.height, raw.width, 3], 'int32');
    try {
      const boxes = scanned.faces.map((f) => ({ ...f }));
      const mirrored = boxes.map((f) => ({ ...f, x: raw.width - f.x - f.width }));
      const plain = await lookAtFaces(faceapi, crops, t, boxes, { margin: 0, mirror: false });
      const flipped = await lookAtFaces(faceapi, crops, m, mirrored, { margin: 0, mirror: false });
      // The reported age is the mirrored one, and it differs from the plain crop's.
      const both = await lookAtFaces(faceapi, crops, t, boxes, { margin: 0, mirror: true });
      scanned.faces.forEach((f, i) => expect(f.age).toBeCloseTo(both[i]!.age, 3));
      // The mirror is flipped inside the crop, the flopped photo is cropped again: the two resample
      // differently, so compare distances: nearer the mean of the two than the plain crop's age.
      let toMean = 0;
      let toPlain = 0;
      scanned.faces.forEach((f, i) => {
        toMean += Math.abs(f.age - (plain[i]!.age + flipped[i]!.age) / 2);
        toPlain += Math.abs(f.age - plain[i]!.age);
      });
      expect(toPlain).toBeGreaterThan(1);
      expect(toMean).toBeLessThan(toPlain);
    } finally {
      t.dispose();
      m.dispose();
    }
  });
});
