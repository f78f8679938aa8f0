// What both composition roots (src/main.ts, worker/main.ts) share about being a process: knowing they
// are the entry module, exiting 2 on a configuration error, and one ordered shutdown on SIGTERM/SIGINT.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { ConfigError } from './config.ts';
import type { Logger } from './log.ts';

/** Whether the module at `moduleUrl` (its import.meta.url) is the script node was started with. */
export function isEntryModule(moduleUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && moduleUrl === pathToFileURL(realpathSync(script)).href;
}

/** Runs `parse`; a ConfigError is printed (variable names only, never values) and exits with code 2. */
export function parseConfigOrExit<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
}

/** Runs `close` once on SIGTERM/SIGINT; a second signal exits at once. */
export function onShutdownSignal(logger: Logger, close: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    close().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
