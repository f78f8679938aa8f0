// Faces on ID documents, on real bytes with the real models: the closer look at small copies (a 2×2
// tile grid, each tile's contrast normalised) finds a faded portrait the full frame misses and the
// small ghost portraits, the landmark test is skipped only where the landmark net cannot see, and a
// box filling a tile (a dog's head) is not reported.
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { prepareImage } from '../../src/analysis/image/decode.ts';
import { DEFAULT_FACE_OPTIONS, detectFaces, loadFaceModels } from '../../src/analysis/faces/analyzer.ts';
import { normaliseContrast } from '../../src/analysis/faces/passes.ts';
import type { RawImage } from '../../src/types.ts';

const fixture = (name: string): Buffer =>
  readFileSync(new URL(`../fixtures/images/${name}`, import.meta.url));
const copy = async (name: string): Promise<RawImage> =>
  (await prepareImage(fixture(name))).raw(DEFAULT_FACE_OPTIONS.maxSide, 3);

describe('small copies: the contrast-normalised tile grid', () => {
  it('finds the Hungarian passport portrait that the full frame misses', async () => {
    const raw = await copy('id_passport_hungary_specimen_td3.png');
    const without = await detectFaces(raw, { ...DEFAULT_FACE_OPTIONS, smallTiles: false });
    expect(without.faces).toEqual([]);
    const found = await detectFaces(raw, DEFAULT_FACE_OPTIONS);
    expect(found.faces).toHaveLength(1);
    expect(found.passes).toBe(5);
    // The portrait sits left of the text, in the upper two thirds of the page.
    const f = found.faces[0]!;
    expect(f.x + f.width).toBeLessThan(raw.width * 0.3);
    expect(f.y + f.height).toBeLessThan(raw.height * 0.7);
  });

  it.each([
    'id_card_lithuania_specimen_td1.png',
    'id_card_latvia_specimen_td1_front-back.png',
    'id_residence-permit_portugal_specimen_td1.png',
  ])('%s: the portrait and its small ghost copy, each once', async (file) => {
    const raw = await copy(file);
    const found = await detectFaces(raw, DEFAULT_FACE_OPTIONS);
    expect(found.faces).toHaveLength(2);
    const sides = found.faces.map((f) => Math.min(f.width, f.height)).sort((a, b) => a - b);
    // The ghost is under the side where landmarks are read; the main portrait is above it.
    expect(sides[0]).toBeLessThan(DEFAULT_FACE_OPTIONS.landmarkMinSide);
    expect(sides[1]).toBeGreaterThanOrEqual(DEFAULT_FACE_OPTIONS.landmarkMinSide);
    // With the landmark test applied to the ghost too, its blurred points fail it.
    const strict = await detectFaces(raw, { ...DEFAULT_FACE_OPTIONS, landmarkMinSide: 0 });
    expect(strict.faces).toHaveLength(1);
  });

  it('a dog gives no face: the tile box that fills a tile is dropped', async () => {
    const raw = await copy('negative_dog_face_chihuahua.jpg');
    expect((await detectFaces(raw, DEFAULT_FACE_OPTIONS)).faces).toEqual([]);
  });

  it('large copies keep their own closer look (no small-copy grid)', async () => {
    const raw = await copy('face_child_girl_kitchen_olympus-exif.jpg');
    expect(Math.max(raw.width, raw.height)).toBeGreaterThanOrEqual(DEFAULT_FACE_OPTIONS.tileMinSide);
    const a = await detectFaces(raw, DEFAULT_FACE_OPTIONS);
    const b = await detectFaces(raw, { ...DEFAULT_FACE_OPTIONS, smallTiles: false });
    expect(a.passes).toBe(b.passes);
    expect(a.faces.length).toBe(b.faces.length);
  });
});

describe('normaliseContrast', () => {
  it('lifts a faded copy to a grey spread of about 56 levels around mid-grey, hue kept', async () => {
    const { faceapi } = await loadFaceModels();
    const tf = faceapi.tf;
    const raw = await copy('face_child_toddler.jpg');
    // A faded copy: a quarter of the contrast, lifted towards white (a ghost portrait's look).
    const faded = await sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: 3 } })
      .linear(0.25, 180)
      .raw()
      .toBuffer();
    const t = tf.tensor3d(new Int32Array(faded), [raw.height, raw.width, 3], 'int32');
    const out = normaliseContrast(tf, t);
    try {
      const px = await out.data();
      let sum = 0;
      let sq = 0;
      const n = raw.width * raw.height;
      for (let i = 0; i < n; i++) {
        const g = (px[i * 3]! + px[i * 3 + 1]! + px[i * 3 + 2]!) / 3;
        sum += g;
        sq += g * g;
      }
      const mean = sum / n;
      const sd = Math.sqrt(sq / n - mean * mean);
      expect(mean).toBeGreaterThan(115);
      expect(mean).toBeLessThan(141);
      expect(sd).toBeGreaterThan(45);
      expect(sd).toBeLessThan(60);
      // Before: the faded copy's spread is a quarter of that.
      let fsq = 0;
      let fsum = 0;
      for (let i = 0; i < n; i++) {
        const g = (faded[i * 3]! + faded[i * 3 + 1]! + faded[i * 3 + 2]!) / 3;
        fsum += g;
        fsq += g * g;
      }
      const fmean = fsum / n;
      expect(Math.sqrt(fsq / n - fmean * fmean)).toBeLessThan(20);
    } finally {
      t.dispose();
      out.dispose();
    }
  });
});
