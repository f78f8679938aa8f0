// The random source of the sanitizer's noise: crypto-strength by default, injectable so tests can seed it.
import { randomBytes } from 'node:crypto';

/** Uniform random bytes (0..255), one a call. */
export type ByteSource = () => number;

/** Crypto-strength bytes, drawn from the system's generator in blocks (a face box takes ~1 byte a pixel). */
export function createCryptoBytes(block = 8192): ByteSource {
  let buf = Buffer.alloc(0);
  let i = 0;
  return () => {
    if (i >= buf.length) {
      buf = randomBytes(block);
      i = 0;
    }
    return buf[i++]!;
  };
}

/** A uniform integer in [min, max) from `bytes` (rejection sampling: no bias; max - min ≤ 256). */
export function toRandomInt(bytes: ByteSource, min: number, max: number): number {
  const n = max - min;
  const limit = 256 - (256 % n);
  for (;;) {
    const b = bytes();
    if (b < limit) return min + (b % n);
  }
}
