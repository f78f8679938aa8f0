#!/usr/bin/env node
/* global process, URL */
// `npx preflight`: the compiled CLI (dist/, built by `npm ci` through `prepare`), in a process with a
// bounded number of malloc arenas (src/allocator-arena.ts says why).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

if (!existsSync(new URL('../dist/src/cli.js', import.meta.url))) {
  process.stderr.write('preflight: the compiled CLI is missing: run `npm run build` (npm ci runs it)\n');
  process.exit(1);
}
const args = process.argv.slice(2);
const { reexecWithArenaLimit } = await import('../dist/src/allocator-arena.js');
const code = await reexecWithArenaLimit(fileURLToPath(import.meta.url), args);
if (code !== undefined) process.exitCode = code;
else {
  const { runCli } = await import('../dist/src/cli.js');
  process.exitCode = await runCli(args);
}
