// Promise timing helpers shared by the queue, the worker and the engines: a deadline, a stopwatch.

/** `p`, or a rejection `${what} timed out after ${ms} ms` once `ms` pass first (the timer is cleared). */
export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `f` and reports its wall time in milliseconds to `record`, whether it resolved or threw. */
export async function timed<T>(
  stage: string,
  f: () => Promise<T>,
  record: ((stage: string, ms: number) => void) | undefined,
): Promise<T> {
  const t0 = performance.now();
  try {
    return await f();
  } finally {
    record?.(stage, performance.now() - t0);
  }
}
