// The options every onnxruntime-node session of the engine is created with (the text models and the
// face detector): CPU only, one inter-op thread, full graph optimisation, and two choices measured
// on the small machines Preflight is sized for.
import type { InferenceSession } from 'onnxruntime-node';

/**
 * Session options for `threads` intra-op threads; `arena` keeps onnxruntime's CPU memory arena (see
 * below: only for the models whose input shapes change from one run to the next).
 */
export function toCpuSessionOptions(threads: number, arena = false): InferenceSession.SessionOptions {
  return {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    // Without the arena, memory follows each run's input instead of keeping the largest allocation
    // for the life of the process. The face detector's session: ≈ 250 MB less RSS after batches of 1
    // and 4 (902–926 → 663–671 MB), a pass ≈ 10 % slower (208–221 → 236–240 ms at load 3), and 799
    // → ≈ 745 MB peak for the CLI over 11 copies of one 12-MP photo (all measured here).
    // But the first run at an input shape allocates every tensor on its own (later runs at that
    // shape get one block), and with the CLI's fixed mmap threshold (allocator-arena.ts) each of
    // those allocations is a fresh mapping the kernel must zero: 0.5 s of system time on the text
    // detector's first run against 0.15 s with glibc's default threshold. The recognizer and the
    // direction classifier see a new shape at almost every batch (line crops differ in width from
    // photo to photo), so they keep the arena: over 11 different 12-MP photos through the CLI,
    // 28.2 → 19.8 s and 773 → 826 MB peak RSS (bench/cli.ts, same sitting; docs/EVAL.md).
    enableCpuMemArena: arena,
    // Threads that spin while waiting for work burn the cores the other checks (and other scans)
    // need on a small machine.
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
}
