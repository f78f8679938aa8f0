// The CLI's allocator arena limit: glibc gives each thread that allocates its own malloc arena (up to
// 8 per core), and sharp's, onnxruntime's and OCR's threads left freed image buffers scattered over
// them. MALLOC_ARENA_MAX=2 is read only when a process starts, so the CLI starts itself again with it
// when the user has not set it. Measured in docs/EVAL.md (bench/cli.ts: peak RSS and wall time).
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

export const ARENA_MAX = '2';
/** Set in the re-executed process, so it never starts itself again (whatever its MALLOC_ARENA_MAX). */
export const REEXEC_MARK = 'PREFLIGHT_ARENA_REEXEC';

/** The environment to re-execute with, or undefined when this process can run as it is. */
export function toArenaEnv(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): NodeJS.ProcessEnv | undefined {
  // glibc's variable: elsewhere it means nothing, and a value the user chose is kept.
  if (platform !== 'linux' || (env['MALLOC_ARENA_MAX'] ?? '') !== '' || env[REEXEC_MARK]) return undefined;
  return { ...env, MALLOC_ARENA_MAX: ARENA_MAX, [REEXEC_MARK]: '1' };
}

/**
 * Runs `script args` again in a child process with the arena limit, forwarding signals, and resolves
 * with its exit code; resolves undefined (run here) when no re-execution is needed or it cannot start.
 */
export function reexecWithArenaLimit(script: string, args: readonly string[]): Promise<number | undefined> {
  const env = toArenaEnv(process.env);
  if (!env) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, script, ...args], { env, stdio: 'inherit' });
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    const forward = (s: NodeJS.Signals): void => void child.kill(s);
    for (const s of signals) process.on(s, forward);
    const done = (code: number | undefined): void => {
      for (const s of signals) process.off(s, forward);
      resolve(code);
    };
    child.on('error', () => done(undefined));
    child.on('exit', (code, signal) => done(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  });
}
