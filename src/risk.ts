// The verdict: the highest severity found, or `review` when a check that could have found something
// did not run. Pure.
import type { Check, Finding, Severity, Verdict } from './types.ts';

const RANK: Record<Severity, number> = { low: 1, medium: 2, high: 3 };

export function severityRank(s: Severity): number {
  return RANK[s];
}

export function maxSeverity(findings: readonly Finding[]): Severity | undefined {
  let best: Severity | undefined;
  for (const f of findings) if (!best || RANK[f.severity] > RANK[best]) best = f.severity;
  return best;
}

const ANALYSIS_CHECKS = new Set(['metadata', 'faces', 'text', 'codes']);

/**
 * A high finding is high whatever else happened. Otherwise a failed or timed-out analysis check makes
 * the verdict `review`: we cannot call a photo safe when we did not look at all of it.
 */
export function decideVerdict(findings: readonly Finding[], checks: readonly Check[]): Verdict {
  const top = maxSeverity(findings);
  if (top === 'high') return 'high';
  if (checks.some((c) => ANALYSIS_CHECKS.has(c.name) && (c.status === 'failed' || c.status === 'timeout')))
    return 'review';
  return top ?? 'none';
}

/** Whether a verdict reaches a threshold (used by group auto-scan). `review` counts as medium. */
export function isAtLeast(verdict: Verdict, threshold: Severity): boolean {
  const rank = verdict === 'none' ? 0 : verdict === 'review' ? RANK.medium : RANK[verdict];
  return rank >= RANK[threshold];
}
