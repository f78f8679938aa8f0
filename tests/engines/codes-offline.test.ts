// The trap in ENGINE-NOTES.md: by default zxing-wasm fetches its .wasm from a CDN, and offline the
// process aborts. In a fresh process (vitest runs each file in its own fork) with fetch and
// XMLHttpRequest refusing every call, the reader must still start from node_modules and decode.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { prepareImage } from '../../src/analysis/image/decode.ts';
import { DEFAULT_SCAN_OPTIONS } from '../../src/types.ts';

const calls: string[] = [];

beforeAll(() => {
  vi.stubGlobal('fetch', (input: unknown) => {
    calls.push(String(input));
    return Promise.reject(new Error('network is off in this test'));
  });
  vi.stubGlobal(
    'XMLHttpRequest',
    class {
      open(_method: string, url: string): void {
        calls.push(url);
        throw new Error('network is off in this test');
      }
    },
  );
});
afterAll(() => {
  vi.unstubAllGlobals();
});

it('loads the reader from the package and never touches the network', async () => {
  const { createCodeAnalyzer } = await import('../../src/analysis/codes/analyzer.ts');
  // In-process: the stubbed fetch is this thread's (the engines' reader thread loads the same way).
  const analyzer = await createCodeAnalyzer({ inProcess: true });
  const image = await prepareImage(
    readFileSync(new URL('../fixtures/images/qr_mecard_photo.png', import.meta.url)),
  );
  const found = await analyzer.analyze({
    image,
    options: DEFAULT_SCAN_OPTIONS,
    signal: new AbortController().signal,
  });
  await analyzer.close();
  expect(found.map((f) => f.details?.payload)).toEqual(['contact']);
  expect(calls).toEqual([]);
});
