#!/usr/bin/env node
/* global process, URL */
// `npx preflight`: the compiled CLI (dist/, built by `npm ci` through `prepare`), in a process with a
// bounded number of malloc arenas (src/allocator-arena.ts says why). When no input can be scanned
// (usage, help, only empty or non-image files) the CLI answers here, without starting itself again.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

if (!existsSync(new URL('../dist/src/cli.js', import.meta.url))) {
  process.stderr.write('preflight: the compiled CLI is missing: run `npm run build` (npm ci runs it)\n');
  process.exit(1);
}
const args = process.argv.slice(2);
const { mayScan, runCli } = await import('../dist/src/cli.js');
let code;
if (await mayScan(args)) {
  const { reexecWithArenaLimit } = await import('../dist/src/allocator-arena.js');
  code = await reexecWithArenaLimit(fileURLToPath(import.meta.url), args);
}
process.exitCode = code ?? (await runCli(args));
