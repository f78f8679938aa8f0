// Where the package's own files are, the same whether this code runs as TypeScript (tsx, tests) or
// compiled (dist/): the package root, and the entry of a worker thread.
import { fileURLToPath } from 'node:url';

/** True when this module runs compiled from dist/ (its URL ends in .js). */
const COMPILED = import.meta.url.endsWith('.js');

/** The package's root folder (where package.json and tessdata/ are), with a trailing separator. */
export const PACKAGE_ROOT = fileURLToPath(new URL(COMPILED ? '../../' : '../', import.meta.url));

/**
 * The file a worker thread starts from. Compiled, it is the thread's module itself (`name`.js beside
 * the caller); under tsx it is `tsxEntry`, a plain-JS file that registers tsx in the thread (loader
 * hooks are per thread) and then imports `name`.ts.
 */
export function toThreadEntry(callerUrl: string, name: string, tsxEntry: string): URL {
  return callerUrl.endsWith('.ts') ? new URL(tsxEntry, callerUrl) : new URL(`./${name}.js`, callerUrl);
}
