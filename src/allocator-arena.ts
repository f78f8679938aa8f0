// The CLI's allocator settings: glibc gives each thread that allocates its own malloc arena (up to
// 8 per core), and sharp's, onnxruntime's and OCR's threads left freed image buffers scattered over
// them. glibc also raises its mmap threshold to the largest block freed (up to 32 MB), after which
// image-sized buffers come from the arenas and stay in RSS once freed; a fixed threshold keeps every
// block from 128 KiB up in its own mapping, returned to the system when freed. Both are read only when
// a process starts, so the CLI starts itself again with them when the user has not set the arena
// limit. Measured (bench/cli.ts; 11 copies of a 12-MP photo, peak RSS of both processes, same
// sitting): 1207 MB with neither, 939–974 MB with MALLOC_ARENA_MAX=2, 778–812 MB with both. The fixed
// threshold makes onnxruntime's first run at each input shape slow; the line readers keep its arena
// for that reason (onnx-session.ts).
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

export const ARENA_MAX = '2';
/** glibc's M_MMAP_THRESHOLD in bytes (its initial value, held fixed instead of rising). */
export const MMAP_THRESHOLD = '131072';
/** Set in the re-executed process, so it never starts itself again (whatever its MALLOC_ARENA_MAX). */
export const REEXEC_MARK = 'PREFLIGHT_ARENA_REEXEC';

/** The environment to re-execute with, or undefined when this process can run as it is. */
export function toArenaEnv(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): NodeJS.ProcessEnv | undefined {
  // glibc's variable: elsewhere it means nothing, and a value the user chose is kept.
  if (platform !== 'linux' || (env['MALLOC_ARENA_MAX'] ?? '') !== '' || env[REEXEC_MARK]) return undefined;
  return {
    ...env,
    MALLOC_ARENA_MAX: ARENA_MAX,
    // A threshold the user chose is kept.
    MALLOC_MMAP_THRESHOLD_:
      (env['MALLOC_MMAP_THRESHOLD_'] ?? '') !== '' ? env['MALLOC_MMAP_THRESHOLD_'] : MMAP_THRESHOLD,
    [REEXEC_MARK]: '1',
  };
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
