#!/usr/bin/env node
/* global process */
// Runs the TypeScript CLI directly through tsx, so `npx preflight` works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli.ts');
process.exitCode = await runCli(process.argv.slice(2));
