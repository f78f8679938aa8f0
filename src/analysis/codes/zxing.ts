// The zxing-wasm reader, instantiated from the package's own .wasm file (never fetched), and one read
// of an RGBA picture. Used in the code reader's thread (reader-worker.ts) and, for tests, in-process.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import type { ReadResult, ReaderOptions } from 'zxing-wasm/reader';

const require = createRequire(import.meta.url);

/** What the analyzer reads of each result (plain data: it crosses the thread boundary). */
export type CodeRead = Pick<
  ReadResult,
  'isValid' | 'format' | 'text' | 'contentType' | 'position' | 'lineCount'
>;

/** An RGBA picture for the reader. */
export interface RgbaPicture {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/** One read of a picture (in a thread or in-process). */
export interface CodeReader {
  read(picture: RgbaPicture, options: ReaderOptions): Promise<CodeRead[]>;
  close(): Promise<void>;
}

let modulePromise: Promise<unknown> | undefined;

/** Instantiates the reader once per thread from the package's own .wasm file. */
export function loadReader(): Promise<unknown> {
  if (!modulePromise) {
    const path = require.resolve('zxing-wasm/reader/zxing_reader.wasm');
    if (!existsSync(path)) throw new Error('zxing-wasm reader binary is missing from node_modules');
    const bytes = readFileSync(path);
    const wasmBinary = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    modulePromise = prepareZXingModule({
      overrides: {
        wasmBinary,
        // Belt and braces: if the binary were ever not used, never build a CDN address.
        locateFile: (file: string) => require.resolve(`zxing-wasm/reader/${file}`),
      },
      fireImmediately: true,
    });
    modulePromise.catch(() => {
      modulePromise = undefined;
    });
  }
  return modulePromise;
}

/** Reads every code in `picture` (the reader must be loaded), keeping the fields the analyzer uses. */
export async function readCodes(picture: RgbaPicture, options: ReaderOptions): Promise<CodeRead[]> {
  const results = await readBarcodes(
    { ...picture, colorSpace: 'srgb' } as Parameters<typeof readBarcodes>[0],
    options,
  );
  return results.map((r) => ({
    isValid: r.isValid,
    format: r.format,
    text: r.text,
    contentType: r.contentType,
    position: r.position,
    lineCount: r.lineCount,
  }));
}

/** The reader on this thread (tests; the engines use the reader's thread). */
export async function createInProcessReader(): Promise<CodeReader> {
  await loadReader();
  return { read: readCodes, close: () => Promise.resolve() };
}
