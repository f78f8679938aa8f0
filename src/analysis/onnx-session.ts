// The options every onnxruntime-node session of the engine is created with (the text models and the
// face detector): CPU only, one inter-op thread, full graph optimisation, and two choices measured
// on the small machines Preflight is sized for.
import type { InferenceSession } from 'onnxruntime-node';

/** Session options for `threads` intra-op threads. */
export function toCpuSessionOptions(threads: number): InferenceSession.SessionOptions {
  return {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    // Without the arena, memory follows each run's input (line crops vary in width; the detector
    // runs batches of 1 and 4) instead of keeping the largest allocation for the life of the process.
    // The face detector's session: ≈ 250 MB less RSS after batches of 1 and 4 (902–926 → 663–671
    // MB), a pass ≈ 10 % slower (208–221 → 236–240 ms at load 3), and 799 → ≈ 745 MB peak for the
    // CLI over 11 12-MP photos (all measured here).
    enableCpuMemArena: false,
    // Threads that spin while waiting for work burn the cores the other checks (and other scans)
    // need on a small machine.
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
}
