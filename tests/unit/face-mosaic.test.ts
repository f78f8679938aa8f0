import { describe, expect, it } from 'vitest';
import { composeMosaic } from '../../src/analysis/faces/passes.ts';

/** An RGB image whose every byte tells where it is: R = x, G = y, B = channel marker. */
function gradient(width: number, height: number): { data: Uint8Array; width: number; height: number } {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = x % 251;
      data[i + 1] = y % 251;
      data[i + 2] = 255;
    }
  return { data, width, height };
}

const at = (m: Int32Array, side: number, x: number, y: number): number[] =>
  Array.from(m.subarray((y * side + x) * 3, (y * side + x) * 3 + 3));

describe('composeMosaic', () => {
  const rgb = gradient(600, 400);
  const cells = [
    { x: 0, y: 0, width: 8, height: 8 },
    { x: 100, y: 50, width: 8, height: 8 },
    { x: 590, y: 395, width: 10, height: 5 }, // clipped by the image's corner
  ];
  const m = composeMosaic(rgb, cells, 8);

  it('copies each cell 1:1 to the top-left corner of its quarter, in reading order', () => {
    expect(m.length).toBe(16 * 16 * 3);
    expect(at(m, 16, 0, 0)).toEqual([0, 0, 255]);
    expect(at(m, 16, 7, 7)).toEqual([7, 7, 255]);
    expect(at(m, 16, 8, 0)).toEqual([100, 50, 255]);
    expect(at(m, 16, 15, 7)).toEqual([107, 57, 255]);
    expect(at(m, 16, 0, 8)).toEqual([590 % 251, 395 % 251, 255]);
    expect(at(m, 16, 7, 12)).toEqual([597 % 251, 399 % 251, 255]);
  });

  it('leaves black what no cell fills (a short cell, a missing fourth cell)', () => {
    expect(at(m, 16, 0, 13)).toEqual([0, 0, 0]); // under the 5-row cell
    expect(at(m, 16, 8, 8)).toEqual([0, 0, 0]); // no fourth cell
    expect(at(m, 16, 15, 15)).toEqual([0, 0, 0]);
  });
});
