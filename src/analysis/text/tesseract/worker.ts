// tesseract.js workers, fully offline: language data checked in node_modules first, a deadline on
// creation, and a small pool that lends one idle worker per job.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createWorker, OEM, PSM } from 'tesseract.js';
import type { Worker } from 'tesseract.js';
import { PACKAGE_ROOT } from '../../../package-paths.ts';
import { withTimeout } from '../../../timing.ts';

const require = createRequire(import.meta.url);

/** The `4.0.0_best_int` folder of a `@tesseract.js-data/<lang>` package. */
export function toLangDir(lang: string): string {
  const pkg = require.resolve(`@tesseract.js-data/${lang}/package.json`);
  return path.join(path.dirname(pkg), '4.0.0_best_int');
}

/**
 * The folder of links to every shipped language (tessdata/ at the project root): tesseract.js reads
 * all languages from ONE folder, and the npm packages ship one folder each.
 */
const SHARED_LANG_DIR = path.join(PACKAGE_ROOT, 'tessdata/');

/**
 * English alone by default. Adding French reads accents (measured: "à Besançon", "l'Église" where
 * English alone reads "a Besancon", "I'Eglise") but costs about 40% more time and, on the French bank
 * details fixture, lost the IBAN line of the table entirely; French labels are matched
 * accent-insensitively by the recognizers either way. `OCR_LANGS=fra+eng` turns it on.
 */
export const DEFAULT_OCR_LANGS: readonly string[] = ['eng'];

async function checkLangFile(dir: string, lang: string): Promise<string | undefined> {
  const data = await readFile(path.join(dir, `${lang}.traineddata.gz`)).catch(() => undefined);
  if (!data) return `OCR language data for "${lang}" is missing`;
  // A gzip header and a plausible size: a truncated or foreign file fails here, not in the worker.
  if (data.length < 100_000 || data[0] !== 0x1f || data[1] !== 0x8b)
    return `OCR language data for "${lang}" is damaged`;
  return undefined;
}

/**
 * Where tesseract.js will read each language, checked first: a missing file there is an uncaught
 * exception that ends the process. (Passing the bytes as `{ code, data }` objects is broken in
 * tesseract.js 7: it joins the data into the language name.) One language is read from its npm
 * package's folder; several from tessdata/, the folder of links to every shipped language.
 */
export async function toLangSetup(opts: {
  langPath?: string;
  langs?: readonly string[];
}): Promise<{ langPath: string; langs: string[] }> {
  const langs = [...(opts.langs ?? DEFAULT_OCR_LANGS)];
  const first = langs[0];
  if (first === undefined) throw new Error('No OCR language configured');
  for (const lang of langs) if (!/^[a-z_]{3,12}$/.test(lang)) throw new Error('Invalid OCR language name');
  let langPath: string;
  try {
    langPath = opts.langPath ?? (langs.length > 1 ? SHARED_LANG_DIR : toLangDir(first));
  } catch {
    throw new Error(`OCR language data for "${first}" is not installed`);
  }
  for (const lang of langs) {
    const problem = await checkLangFile(langPath, lang);
    if (problem) throw new Error(problem);
  }
  return { langPath, langs };
}

export async function createOcrWorker(
  setup: { langPath: string; langs: string[] },
  timeoutMs: number,
): Promise<Worker> {
  let settled = false;
  const pending = createWorker(setup.langs, OEM.LSTM_ONLY, {
    langPath: setup.langPath,
    gzip: true,
    cacheMethod: 'none',
    // An error inside the worker after creation rejects the job instead of killing the process.
    errorHandler: () => undefined,
  });
  // A worker that arrives after the deadline is terminated, not leaked.
  pending.then(
    async (w) => {
      if (settled) await w.terminate();
    },
    () => undefined,
  );
  let worker: Worker;
  try {
    worker = await withTimeout(pending, timeoutMs, 'OCR worker creation');
  } finally {
    settled = true;
  }
  // Tesseract's library default is one uniform block of text (PSM 6): on a photo every texture
  // becomes a "line" and the recogniser grinds through it (2.5 s and 270 junk words on a 12 MP
  // photo without text). Full layout analysis (PSM 3, the command line's default) sets non-text
  // regions aside: 170 ms and no words on the same photo, the same findings on text (bench/text.ts).
  // Tesseract's progress notes ("Estimating resolution as 349", "Detected 38 diacritics") went to
  // the user's terminal on every scan: its debug file is the null device of the WASM file system.
  await worker.setParameters({ tessedit_pageseg_mode: PSM.AUTO, debug_file: '/dev/null' });
  return worker;
}

/** A small pool: a job borrows an idle worker (parameters are per job, so workers stay clean). */
export function createPool(workers: Worker[]): {
  run<T>(job: (w: Worker) => Promise<T>): Promise<T>;
  close(): Promise<void>;
} {
  const idle = [...workers];
  const waiting: ((w: Worker) => void)[] = [];
  let closed = false;
  const release = (w: Worker): void => {
    const next = waiting.shift();
    if (next) next(w);
    else idle.push(w);
  };
  return {
    async run(job) {
      if (closed) throw new Error('OCR is closed');
      const w = idle.pop() ?? (await new Promise<Worker>((resolve) => waiting.push(resolve)));
      try {
        return await job(w);
      } finally {
        release(w);
      }
    },
    async close() {
      closed = true;
      await Promise.allSettled(workers.map((w) => w.terminate()));
    },
  };
}

export type { Worker };
