// bytes → RiskReport + sanitized copy. Prepare once, run the analyzers in parallel with deadlines,
// decide, sanitize, verify the copy at the byte level, then scan the copy again (residual).
import { AppError } from '../../errors.ts';
import { CheckFailedError } from '../check-failed-error.ts';
import { scrubSecrets } from '../../log.ts';
import { decideVerdict } from '../../risk.ts';
import {
  DEFAULT_SCAN_OPTIONS,
  type Analyzer,
  type Check,
  type Engines,
  type Finding,
  type PreparedImage,
  type RiskReport,
  type ScanOptions,
  type ScanOutput,
} from '../../types.ts';
import { auditContainer } from '../image/container.ts';
import { DEFAULT_LIMITS, prepareImage, type DecodeLimits } from '../image/decode.ts';
import { isMostlyInside } from '../image/regions.ts';
import type { ByteSource } from '../sanitize/noise.ts';
import { makePreview } from '../sanitize/preview.ts';
import { decideRedactions, liesUnderCovers, regionsOf, sanitizeImage } from '../sanitize/sanitize.ts';
import { crossCheckDocuments } from './documents.ts';
import { planRescan, shiftFinding, type RescanPlan } from './rescan.ts';
import { sanitizeVariants } from '../sanitize/variants.ts';

export interface ScanHooks {
  /** Called with each stage's duration (for metrics and benchmarks). */
  onStage?: (stage: string, ms: number) => void;
  /** The sanitizer's noise (default crypto-strength); tests pass a seeded one. */
  random?: ByteSource;
}

class DeadlineError extends Error {
  constructor() {
    super('deadline passed');
  }
}

/** A short, non-sensitive reason for a check's `error` field: no OCR text, paths or URLs. */
function toCheckError(e: unknown): string {
  if (e instanceof AppError) return e.code;
  if (e instanceof Error)
    return scrubSecrets(`${e.name}: ${e.message}`).replace(/\/\S+/g, '[path]').slice(0, 120);
  return 'unknown error';
}

async function runWithDeadline(
  a: Analyzer,
  image: PreparedImage,
  options: ScanOptions,
  recheck?: readonly Finding[],
  cropOf?: { width: number; height: number },
): Promise<Finding[]> {
  const ac = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      ac.abort();
      reject(new DeadlineError());
    }, a.timeoutMs);
  });
  const work = Promise.resolve().then(() =>
    a.analyze({
      image,
      options,
      signal: ac.signal,
      ...(recheck ? { recheck } : {}),
      ...(cropOf ? { cropOf } : {}),
    }),
  );
  // A late rejection after the deadline must not become an unhandled rejection.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs each analyzer on its image (the input, or on the re-scan the copy or a crop of it). */
export async function runAnalyzers(
  plans: readonly RescanPlan[],
  options: ScanOptions,
  hooks: ScanHooks = {},
): Promise<{
  findings: Finding[];
  checks: Check[];
  foundBy: Map<Analyzer['name'], Finding[]>;
}> {
  // Analyzers whose heavy work is synchronous on this thread (the metadata check; code reading and
  // face detection when they are not in their threads) run one after another: side by side they
  // would only queue behind each other and each would be charged the others' time against its
  // deadline. OCR and the face and code threads work outside this thread, so they start at once and
  // overlap the rest.
  let chain: Promise<unknown> = Promise.resolve();
  const results = await Promise.all(
    plans.map(async (plan) => {
      const a = plan.analyzer;
      if (a.offThread !== true) {
        const turn = chain;
        let done!: () => void;
        chain = new Promise<void>((r) => (done = r));
        await turn;
        try {
          return await runOne(plan);
        } finally {
          done();
        }
      }
      return runOne(plan);
    }),
  );
  return {
    findings: results.flatMap((r) => r.found),
    checks: results.map((r) => r.check),
    foundBy: new Map(
      results.filter((r) => r.found.length > 0).map((r) => [r.check.name as Analyzer['name'], r.found]),
    ),
  };

  async function runOne({ analyzer: a, image, area, recheck, cropOf }: RescanPlan): Promise<{
    found: Finding[];
    check: Check;
  }> {
    {
      const t0 = performance.now();
      try {
        const inArea = await runWithDeadline(a, image, options, recheck, cropOf);
        const found = area ? inArea.map((f) => shiftFinding(f, area.x, area.y)) : inArea;
        const ms = performance.now() - t0;
        hooks.onStage?.(a.name, ms);
        return { found, check: { name: a.name, status: 'ok', ms: round1(ms) } satisfies Check };
      } catch (e) {
        const ms = performance.now() - t0;
        if (e instanceof CheckFailedError)
          return {
            found: e.findings,
            check: { name: a.name, status: 'failed', ms: round1(ms), error: e.reason },
          };
        const check: Check =
          e instanceof DeadlineError
            ? { name: a.name, status: 'timeout', ms: round1(ms), error: `no answer within ${a.timeoutMs} ms` }
            : { name: a.name, status: 'failed', ms: round1(ms), error: toCheckError(e) };
        return { found: [] as Finding[], check };
      }
    }
  }
}

const round1 = (ms: number): number => Math.round(ms * 10) / 10;

/** Adds `check`, or replaces the one of the same name (a second verification round). */
function replaceCheck(checks: Check[], check: Check): void {
  const i = checks.findIndex((c) => c.name === check.name);
  if (i >= 0) checks[i] = check;
  else checks.push(check);
}

/**
 * What the re-scan of the copy found that a second round can cover: findings with a region the
 * options redact, not lying on something the first round already covered (covering that again
 * would change nothing).
 */
function toCoverAgain(
  residual: readonly Finding[],
  covered: ReadonlySet<Finding>,
  options: ScanOptions,
): Finding[] {
  const done = [...covered].flatMap(regionsOf);
  return decideRedactions(residual, options).filter((f) =>
    regionsOf(f).some((r) => !done.some((d) => isMostlyInside(r, d))),
  );
}

export async function scanImage(
  bytes: Buffer,
  engines: Engines,
  options: Partial<ScanOptions> = {},
  limits: DecodeLimits = DEFAULT_LIMITS,
  hooks: ScanHooks = {},
): Promise<ScanOutput> {
  const opts: ScanOptions = { ...DEFAULT_SCAN_OPTIONS, ...options };
  let t = performance.now();
  const image = await prepareImage(bytes, limits);
  hooks.onStage?.('decode', performance.now() - t);

  const { findings, checks, foundBy } = await runAnalyzers(
    engines.analyzers.map((analyzer) => ({ analyzer, image })),
    opts,
    hooks,
  );
  crossCheckDocuments(findings);

  const report: RiskReport = {
    version: 1,
    input: {
      format: image.format,
      width: image.width,
      height: image.height,
      bytes: image.bytes,
      ...(image.orientation !== undefined ? { orientation: image.orientation } : {}),
      ...(opts.recompressed ? { recompressed: true } : {}),
    },
    verdict: 'none',
    findings,
    checks,
  };

  let sanitized: Buffer | undefined;
  t = performance.now();
  try {
    // Round 1 covers what the scan found. When the re-scan of the copy still finds something the
    // copy can cover (a text or face the first scan missed or misread: the pixelation noise and the
    // fills change what OCR and the detector see), round 2 covers it too, on the original, and the
    // new copy is verified again. The report lists it among the findings.
    // Verification time, the second round's sanitizing included.
    let verifyMs = 0;
    for (let round = 1; round <= 2; round++) {
      const ts = performance.now();
      const s = await sanitizeImage(image, findings, opts, hooks.random);
      if (round === 1) {
        const ms = performance.now() - t;
        hooks.onStage?.('sanitize', ms);
        checks.push({ name: 'sanitize', status: 'ok', ms: round1(ms) });
      } else verifyMs += performance.now() - ts;
      const covers = [...s.redacted].flatMap(regionsOf);
      for (const f of findings)
        f.removed = f.source === 'metadata' || s.redacted.has(f) || liesUnderCovers(f, covers);

      // Verify: the copy must carry no metadata container and nothing after its end, and we scan it again.
      const tv = performance.now();
      const audit = auditContainer(s.bytes);
      if (audit.metadata.length > 0 || audit.trailingBytes > 0 || audit.malformed) {
        replaceCheck(checks, {
          name: 'verify',
          status: 'failed',
          ms: round1(performance.now() - tv),
          error: `sanitized copy still carries ${[...audit.metadata, audit.trailingBytes > 0 ? 'trailing bytes' : '', audit.malformed ? 'a malformed structure' : ''].filter(Boolean).join(', ')}`,
        });
        for (const f of findings) f.removed = false;
        delete report.residual;
        delete report.sanitized;
        sanitized = undefined;
        break;
      }
      const copy = await prepareImage(
        s.bytes,
        { ...limits, maxBytes: Number.MAX_SAFE_INTEGER },
        { decodeNow: false },
      );
      // The copy differs from the original only where we redacted and by its re-encoding: an analyzer
      // that found nothing in the original is not run again; one that found something is, on a crop
      // around what it found (rescan.ts), and the metadata check always is, on the whole copy (it
      // proves the re-encode dropped everything).
      const rescan = engines.analyzers.filter((a) => a.name === 'metadata' || foundBy.has(a.name));
      const plans = await planRescan(rescan, copy, foundBy, limits);
      const residual = await runAnalyzers(plans, opts, {
        onStage: (stage, ms) => hooks.onStage?.(`verify.${stage}`, ms),
      });
      // A check that already failed on the original is reported once, not again as a failed re-check.
      const failed = residual.checks.filter(
        (c) => c.status !== 'ok' && checks.some((p) => p.name === c.name && p.status === 'ok'),
      );
      verifyMs += performance.now() - tv;
      const ms = verifyMs;
      replaceCheck(
        checks,
        failed.length > 0
          ? {
              name: 'verify',
              status: 'failed',
              ms: round1(ms),
              error: `re-scan incomplete: ${failed.map((c) => c.name).join(', ')}`,
            }
          : { name: 'verify', status: 'ok', ms: round1(ms), rescanned: rescan.map((a) => a.name) },
      );
      report.residual = { findings: residual.findings };
      report.sanitized = s.info;
      sanitized = s.bytes;

      const missed =
        round === 1 && failed.length === 0 ? toCoverAgain(residual.findings, s.redacted, opts) : [];
      if (missed.length === 0) break;
      findings.push(...missed);
    }
    if (report.residual) hooks.onStage?.('verify', verifyMs);
  } catch (e) {
    replaceCheck(checks, {
      name: 'sanitize',
      status: 'failed',
      ms: round1(performance.now() - t),
      error: toCheckError(e),
    });
    for (const f of findings) f.removed = false;
    delete report.residual;
    delete report.sanitized;
    sanitized = undefined;
  }

  report.verdict = decideVerdict(findings, checks);
  const out: ScanOutput = sanitized ? { report, sanitized } : { report };
  if (sanitized) await addExtras(out, sanitized, image, findings, opts, hooks);
  return out;
}

/**
 * The bots' extras, when asked: the other face choices' copies and the "Show where" picture. A
 * failure leaves them out (the copy stands; the bot then offers no buttons).
 */
async function addExtras(
  out: ScanOutput,
  copy: Buffer,
  image: PreparedImage,
  findings: readonly Finding[],
  opts: ScanOptions,
  hooks: ScanHooks,
): Promise<void> {
  try {
    if (opts.variants) {
      const v = await sanitizeVariants(image, findings, opts);
      if (v.info) {
        out.report.variants = v.info;
        out.variants = v.copies;
        hooks.onStage?.('variants', v.info.ms);
      }
    }
    if (opts.preview) out.preview = await makePreview(copy, findings, image.width);
  } catch {
    delete out.report.variants;
    delete out.variants;
    delete out.preview;
  }
}
