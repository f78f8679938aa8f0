// A small seeded mutation fuzzer (no extra package): bit flips, byte sets, truncations, splices and
// duplications over the committed fixtures' bytes, fed to sniffFormat, prepareImage and the metadata
// analyzer. Anything other than a result (a named damaged block included) or an AppError input refusal is a finding (printed with the
// seed and iteration, so it reproduces). Bounded by time and iterations.
//   npm run fuzz                      (30 s)
//   FUZZ_SECONDS=300 FUZZ_SEED=7 npm run fuzz
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { prepareImage } from '../src/analysis/image/decode.ts';
import { sniffFormat } from '../src/sniff.ts';
import { createMetadataAnalyzer } from '../src/analysis/metadata/analyzer.ts';
import { isInputError } from '../src/errors.ts';
import { CheckFailedError } from '../src/analysis/check-failed-error.ts';
import { DEFAULT_SCAN_OPTIONS } from '../src/types.ts';
import { createRng } from '../fixtures-kit/rng.ts';

const seconds = Number(process.env['FUZZ_SECONDS'] ?? 30);
const maxIterations = Number(process.env['FUZZ_ITERATIONS'] ?? 1_000_000);
const seed = Number(process.env['FUZZ_SEED'] ?? Date.now() % 1_000_000);

const dir = new URL('../tests/fixtures/images/', import.meta.url);
// Small seeds keep iterations fast: the small fixtures plus downscaled copies would need sharp; the
// fixtures under 400 KB are enough to reach every container parser.
const seeds = readdirSync(dir)
  .map((n) => ({ name: n, bytes: readFileSync(new URL(n, dir)) }))
  .filter((s) => s.bytes.length < 400_000);

export function mutate(input: Buffer, rand: () => number, other: Buffer): Buffer {
  let b = Buffer.from(input);
  const n = 1 + Math.floor(rand() * 4);
  // Most mutations land in the first 64 KB, where headers, EXIF and chunk tables live.
  const pos = (): number => Math.floor(rand() * Math.min(b.length, rand() < 0.8 ? 65536 : b.length));
  for (let k = 0; k < n && b.length > 0; k++) {
    const op = Math.floor(rand() * 6);
    if (op === 0) {
      const p = pos();
      b[p] = (b[p] ?? 0) ^ (1 << Math.floor(rand() * 8));
    } else if (op === 1) {
      const p = pos();
      b[p] = [0, 0xff, 0x7f, 0x80, 0x01][Math.floor(rand() * 5)]!;
    } else if (op === 2) {
      b = b.subarray(0, Math.max(1, pos()));
    } else if (op === 3) {
      const p = pos();
      const q = Math.floor(rand() * other.length);
      b = Buffer.concat([b.subarray(0, p), other.subarray(q, q + 1 + Math.floor(rand() * 4096))]);
    } else if (op === 4) {
      const p = pos();
      const len = 1 + Math.floor(rand() * 256);
      b = Buffer.concat([b.subarray(0, p), b.subarray(p, p + len), b.subarray(p)]);
    } else {
      // A 16- or 32-bit length/offset field set to an extreme.
      const p = pos();
      if (p + 4 <= b.length)
        b.writeUInt32BE([0, 0xffffffff, 0x7fffffff, 0x10000][Math.floor(rand() * 4)]!, p);
    }
  }
  return b;
}

export async function runFuzz(): Promise<{
  iterations: number;
  refused: number;
  scanned: number;
  findings: string[];
}> {
  const metadata = createMetadataAnalyzer();
  const until = Date.now() + seconds * 1000;
  const findings: string[] = [];
  let refused = 0;
  let scanned = 0;
  let i = 0;
  for (; i < maxIterations && Date.now() < until; i++) {
    // Seeded from the seed and the iteration, so a finding replays exactly.
    const rand = createRng(seed * 1_000_003 + i);
    const base = seeds[Math.floor(rand() * seeds.length)]!;
    const other = seeds[Math.floor(rand() * seeds.length)]!.bytes;
    const bytes = mutate(base.bytes, rand, other);
    try {
      sniffFormat(bytes);
      const image = await prepareImage(bytes);
      const ac = new AbortController();
      await Promise.race([
        metadata.analyze({ image, options: DEFAULT_SCAN_OPTIONS, signal: ac.signal }),
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error('metadata took over 10 s')), 10_000).unref(),
        ),
      ]);
      scanned++;
    } catch (e) {
      if (isInputError(e)) {
        refused++;
        continue;
      }
      // A damaged metadata block the analyzer names (the check reported failed, what it read kept)
      // is a result, not a crash.
      if (e instanceof CheckFailedError) {
        scanned++;
        continue;
      }
      const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
      findings.push(
        `seed ${seed} iteration ${i} (${base.name}, sha256 ${hash}): ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`.slice(
          0,
          300,
        ),
      );
    }
  }
  return { iterations: i, refused, scanned, findings };
}

const out = await runFuzz();
console.log(
  JSON.stringify(
    {
      seed,
      seconds,
      seeds: seeds.length,
      ...out,
      findings: out.findings.slice(0, 20),
      findingCount: out.findings.length,
    },
    null,
    2,
  ),
);
process.exit(out.findings.length === 0 ? 0 : 1);
