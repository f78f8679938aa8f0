// `preflight scan <image...> [--json] [--out PATH] [--preview PATH] [--lang en|fr] [--faces all|minors|none] [--checks ...] [--ocr ...]`
// The same analysis as the bots, locally, with no Redis and no network.
// Only what refuses an input is imported up front: sharp, the engines, the renderer and the config
// schema (zod) load when an input needs them, so an empty file or a PDF is answered in a few
// hundred milliseconds (bench/cli.ts measures it).
import { open, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { isAppError, isInputError } from './errors.ts';
import { parseCheckList } from './analysis/pipeline/check-list.ts';
import { checkImageBytes, DEFAULT_LIMITS, SNIFF_BYTES } from './analysis/image/limits.ts';
import { guardStdout, writeStdout } from './stdout-guard.ts';
import { ANALYZER_NAMES, type AnalyzerName, type Engines, type FacesMode, type Locale } from './types.ts';

const USAGE = `Usage: preflight scan <image...> [options]

Checks photos for what they give away (location, faces and children, ID papers,
personal text, QR codes) and writes a cleaned copy. Runs offline.

Options:
  --out PATH        where to write the cleaned copy (a file for one image, a folder for several)
  --preview PATH    where to write the "Show where" picture: the cleaned copy, small, each finding
                    outlined and numbered like the report's lines (a file, or a folder for several)
  --json            print the report as JSON (one object; one line per image for several)
  --lang en|fr      language of the report (default en)
  --faces all|minors|none   which faces the cleaned copy pixelates (default all)
  --barcodes        also cover product barcodes (2-D codes are always covered)
  --checks LIST     comma-separated subset of metadata,faces,text,codes (default all)
  --ocr LANGS       languages the text check reads: eng (default), fra+eng or eng+fra
  -h, --help        show this help

Exit codes: 0 every image was checked, 2 an image was refused, 1 internal error.`;

interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const defaultIo: Io = {
  stdout: (s) => writeStdout(s),
  stderr: (s) => process.stderr.write(s),
};

class UsageError extends Error {}

const isLocale = (s: string): s is Locale => s === 'en' || s === 'fr';
const isFacesMode = (s: string): s is FacesMode => s === 'all' || s === 'minors' || s === 'none';

async function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      out: { type: 'string' },
      preview: { type: 'string' },
      lang: { type: 'string', default: 'en' },
      faces: { type: 'string', default: 'all' },
      barcodes: { type: 'boolean', default: false },
      checks: { type: 'string' },
      ocr: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const lang = values.lang;
  if (!isLocale(lang)) throw new UsageError(`--lang must be en or fr`);
  const faces = values.faces;
  if (!isFacesMode(faces)) throw new UsageError(`--faces must be all, minors or none`);
  let checks: AnalyzerName[] = [...ANALYZER_NAMES];
  if (values.checks !== undefined) {
    const list = parseCheckList(values.checks);
    if (!list) throw new UsageError(`--checks takes a list of ${ANALYZER_NAMES.join(', ')}`);
    checks = list;
  }
  // Without --ocr the text check reads its default languages; the config schema loads only with it.
  let ocrLangs: string[] | undefined;
  if (values.ocr !== undefined) {
    const { OCR_LANG_NAMES, parseOcrLangs } = await import('./config.ts');
    ocrLangs = parseOcrLangs(values.ocr);
    if (!ocrLangs) throw new UsageError(`--ocr takes ${OCR_LANG_NAMES.join(', ')} or both joined by +`);
  }
  return { ...values, lang, faces, checks, ocrLangs, positionals };
}

/** The picture's name in the --preview folder: photo.jpg → photo.where.jpg. */
function previewName(file: string): string {
  return `${basename(file, extname(file))}.where.jpg`;
}

function outputName(file: string, format: string): string {
  const ext = format === 'jpeg' ? '.jpg' : `.${format}`;
  return `${basename(file, extname(file))}.clean${ext}`;
}

interface Refusal {
  code: string;
  message: string;
}

/** The file's bytes (or only its first SNIFF_BYTES), or why it is refused (not a readable file within the size limit). */
async function readInput(file: string, headOnly = false): Promise<Buffer | Refusal> {
  try {
    const st = await stat(file);
    if (!st.isFile()) return { code: 'not_an_image', message: 'not a file' };
    if (st.size > DEFAULT_LIMITS.maxBytes)
      return {
        code: 'file_too_large',
        message: `the file is larger than ${DEFAULT_LIMITS.maxBytes / 1048576} MB`,
      };
    if (!headOnly) return await readFile(file);
    const fh = await open(file, 'r');
    try {
      const { buffer, bytesRead } = await fh.read(Buffer.alloc(SNIFF_BYTES), 0, SNIFF_BYTES, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    return { code: 'unreadable', message: missing ? 'no such file' : 'cannot read the file' };
  }
}

/**
 * Whether `argv` names at least one input that passes the checks needing only its size and first
 * bytes (the rest are refused without sharp or any engine): bin/preflight.js starts itself again
 * with the allocator arena limit only then.
 */
export async function mayScan(argv: readonly string[]): Promise<boolean> {
  if (argv[0] !== 'scan') return false;
  let files: string[];
  try {
    const args = await parse(argv.slice(1));
    if (args.help) return false;
    files = args.positionals;
  } catch {
    return false;
  }
  for (const file of files) {
    // readInput has refused a file over the size limit; the head is empty only when the file is.
    const head = await readInput(file, true);
    if (!Buffer.isBuffer(head)) continue;
    try {
      checkImageBytes(head, head.length);
      return true;
    } catch {
      // refused from its bytes alone
    }
  }
  return false;
}

export async function runCli(argv: string[], io: Io = defaultIo): Promise<number> {
  let args: Awaited<ReturnType<typeof parse>>;
  try {
    const [command, ...rest] = argv;
    if (command === '-h' || command === '--help' || command === undefined) {
      io.stdout(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    }
    if (command !== 'scan') throw new UsageError(`unknown command "${command}"`);
    args = await parse(rest);
  } catch (e) {
    io.stderr(`preflight: ${e instanceof Error ? e.message : String(e)}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const files = args.positionals;
  if (files.length === 0) {
    io.stderr(`preflight: no image given\n${USAGE}\n`);
    return 2;
  }

  const restore = guardStdout();
  let engines: Engines | undefined;
  let exit = 0;
  const refuse = (file: string, { code, message }: Refusal): void => {
    exit = Math.max(exit, 2);
    io.stderr(`preflight: ${file}: ${message}\n`);
    if (args.json) io.stdout(`${JSON.stringify({ file, error: { code, message } })}\n`);
  };
  const toRefusal = async (e: unknown): Promise<Refusal> => {
    if (!isInputError(e)) throw e;
    if (args.lang !== 'fr') return { code: e.code, message: e.message };
    const { renderError } = await import('./render.ts');
    return { code: e.code, message: renderError(e.code, 'fr') };
  };
  try {
    const multi = files.length > 1;
    // Every input is read and its header checked before any engine loads, so a refused input is
    // answered at once; reports still come in the order of the files.
    // Sharp reads the header only of the files whose first bytes are an image's.
    const refusals = new Map<string, Refusal>();
    for (const file of files) {
      const bytes = await readInput(file);
      if (!Buffer.isBuffer(bytes)) refusals.set(file, bytes);
      else
        try {
          checkImageBytes(bytes, bytes.length);
          const { checkImageHeader } = await import('./analysis/image/decode.ts');
          await checkImageHeader(bytes);
        } catch (e) {
          refusals.set(file, await toRefusal(e));
        }
    }
    for (const file of files) {
      const refused = refusals.get(file);
      if (refused) {
        refuse(file, refused);
        continue;
      }
      const bytes = await readInput(file);
      if (!Buffer.isBuffer(bytes)) {
        refuse(file, bytes);
        continue;
      }
      if (!engines) {
        if (multi && args.out !== undefined) await mkdir(args.out, { recursive: true });
        if (multi && args.preview !== undefined) await mkdir(args.preview, { recursive: true });
        const { createEngines } = await import('./analysis/pipeline/engines.ts');
        engines = await createEngines({
          checks: args.checks,
          ...(args.ocrLangs ? { ocrLangs: args.ocrLangs } : {}),
          onEngineError: (name, reason) =>
            io.stderr(`preflight: the ${name} check is unavailable: ${reason}\n`),
        });
      }
      try {
        const { scanImage } = await import('./analysis/pipeline/scan.ts');
        const { renderReplyText, renderReport } = await import('./render.ts');
        const { report, sanitized, preview } = await scanImage(bytes, engines, {
          faces: args.faces,
          coverBarcodes: args.barcodes,
          preview: args.preview !== undefined,
        });
        let where: string | null = null;
        if (preview && args.preview !== undefined) {
          where = multi ? join(args.preview, previewName(file)) : args.preview;
          await writeFile(where, preview);
        }
        let out: string | null = null;
        if (sanitized && report.sanitized && args.out !== undefined) {
          out = multi ? join(args.out, outputName(file, report.sanitized.format)) : args.out;
          await writeFile(out, sanitized);
        }
        if (args.json) {
          io.stdout(
            multi ? `${JSON.stringify({ file, out, ...report })}\n` : `${JSON.stringify(report, null, 2)}\n`,
          );
        } else {
          const view = renderReport(report, args.lang);
          const head = `${file} — ${report.input.format.toUpperCase()} ${report.input.width}×${report.input.height}: ${view.verdictLabel}`;
          const saved =
            out !== null
              ? args.lang === 'fr'
                ? `\nCopie nettoyée enregistrée : ${out}`
                : `\nCleaned copy saved to ${out}`
              : sanitized
                ? args.lang === 'fr'
                  ? '\n(Ajoutez --out FICHIER pour enregistrer la copie nettoyée.)'
                  : '\n(Add --out FILE to save the cleaned copy.)'
                : '';
          const pictured =
            where === null
              ? ''
              : args.lang === 'fr'
                ? `\nImage « où nous l’avons trouvé » enregistrée : ${where}`
                : `\nPicture of where we found it saved to ${where}`;
          io.stdout(`${head}\n${renderReplyText(view)}${saved}${pictured}\n${multi ? '\n' : ''}`);
        }
      } catch (e) {
        refuse(file, await toRefusal(e));
      }
    }
  } catch (e) {
    io.stderr(
      `preflight: internal error: ${isAppError(e) ? e.code : e instanceof Error ? e.message : String(e)}\n`,
    );
    exit = 1;
  } finally {
    await engines?.close();
    restore();
  }
  return exit;
}
