// The tile-based CLAHE used before OCR: what it must do to faint text, flat areas and noise, and how
// close it stays to libvips' sliding-window CLAHE (sharp's clahe()) on a real photo.
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { clahe } from '../../src/analysis/text/clahe.ts';

const W = 256;
const H = 192;

function stats(a: ArrayLike<number>): { mean: number; std: number } {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  const mean = s / a.length;
  let v = 0;
  for (let i = 0; i < a.length; i++) v += (a[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(v / a.length) };
}

describe('clahe', () => {
  it('keeps a flat image flat', () => {
    const out = clahe(new Uint8Array(W * H).fill(120), W, H);
    expect(new Set(out).size).toBe(1);
  });

  it('lifts faint strokes on a slightly noisy card (15 grey levels apart → over 25)', () => {
    let seed = 7;
    const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const src = new Uint8Array(W * H);
    // Paper at 200 ± 2, horizontal "strokes" of 185 ± 2, 2 px thick every 12 px.
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) src[y * W + x] = (y % 12 < 2 ? 185 : 200) + Math.round((rnd() - 0.5) * 4);
    const out = clahe(src, W, H);
    let stroke = 0;
    let paper = 0;
    for (let x = 0; x < W; x++) {
      stroke += out[24 * W + x]!;
      paper += out[30 * W + x]!;
    }
    expect((paper - stroke) / W).toBeGreaterThan(25);
  });

  it('limits how much it amplifies noise on a flat area (slope ≤ maxSlope + the redistributed excess)', () => {
    let seed = 1;
    const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const src = new Uint8Array(W * H);
    for (let i = 0; i < src.length; i++) src[i] = 128 + Math.round((rnd() - 0.5) * 6);
    const out = clahe(src, W, H, { maxSlope: 3 });
    expect(stats(out).std).toBeLessThan(4.5 * stats(src).std);
    expect(stats(out).std).toBeGreaterThan(2 * stats(src).std);
    // Without the limit, a flat noisy area would be stretched over the whole range.
    expect(stats(clahe(src, W, H, { maxSlope: 100 })).std).toBeGreaterThan(10 * stats(src).std);
  });

  it('stays close to libvips’ sliding-window CLAHE on a real photo (correlation > 0.9)', async () => {
    const bytes = readFileSync(new URL('../fixtures/images/pii_business-card_photo.jpg', import.meta.url));
    const { data, info } = await sharp(bytes)
      .grayscale()
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
    const ours = clahe(data, info.width, info.height, { tile: 32, maxSlope: 3 });
    const ref = await sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } })
      .clahe({ width: 32, height: 32, maxSlope: 3 })
      .extractChannel(0)
      .raw()
      .toBuffer();
    const a = stats(ours);
    const b = stats(ref);
    let cov = 0;
    for (let i = 0; i < ours.length; i++) cov += (ours[i]! - a.mean) * (ref[i]! - b.mean);
    expect(cov / ours.length / (a.std * b.std)).toBeGreaterThan(0.9);
  });

  it('refuses a buffer smaller than its dimensions', () => {
    expect(() => clahe(new Uint8Array(10), 4, 4)).toThrow();
  });
});
