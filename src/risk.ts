// The verdict and the group-reply rule: the highest severity found, `review` when a check that could
// have found something did not run, and whether a group hears about a photo. Pure.
import {
  ANALYZER_NAMES,
  type Check,
  type Finding,
  type RiskReport,
  type Severity,
  type Verdict,
} from './types.ts';

/** Severity order, declared once. */
const RANK: Record<Severity, number> = { low: 1, medium: 2, high: 3 };

/** The highest severity among the findings, or undefined when there are none. */
export function maxSeverity(findings: readonly Finding[]): Severity | undefined {
  let best: Severity | undefined;
  for (const f of findings) if (!best || RANK[f.severity] > RANK[best]) best = f.severity;
  return best;
}

const ANALYSIS_CHECKS: ReadonlySet<string> = new Set(ANALYZER_NAMES);

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

/**
 * Whether a group auto-scan answers a photo (both bots ask this): only for what was found, when a
 * finding reaches the threshold. A check that did not finish neither adds nor hides anything: a face
 * with a timed-out text check is answered like the face alone, a photo with nothing found stays silent.
 */
export function decideGroupReply(report: RiskReport, threshold: Severity): 'reply' | 'silent' {
  const top = maxSeverity(report.findings);
  return top !== undefined && RANK[top] >= RANK[threshold] ? 'reply' : 'silent';
}
