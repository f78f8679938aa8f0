// Prometheus metrics (prom-client) on a small node:http server at METRICS_PORT: jobs by outcome,
// stage durations, queue depth, face-choice copies, choices taken and expired. Labels are closed sets
// (outcome codes, stage names, choices): never ids.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** download, blob_load, scan, blob_store, publish, deliver, or check_<analyzer>. */
export type StageName = string;

export interface Metrics {
  readonly registry: Registry;
  /** A finished scan job: 'ok', or the error code it ended with. */
  jobDone(outcome: string): void;
  /** A submit() outcome: 'queued' or the refusal code. */
  submitted(outcome: string): void;
  /** A result handed to a platform sender: 'sent', 'retry' or 'dropped'. */
  delivered(outcome: string): void;
  stage(stage: StageName, seconds: number): void;
  /** Face-choice copies made at scan time (the default one included). */
  variantsMade(n: number): void;
  /** A face choice or "Show where" a user took: the choice, or 'refused'. */
  choiceTaken(choice: string): void;
  /** A tap on a result whose choices had expired. */
  choiceExpired(): void;
  /** Reports queue depth at scrape time. */
  watchQueue(queue: string, counts: () => Promise<Record<string, number>>): void;
}

/** The Prometheus registry and the counters, histograms and queue gauges Preflight exports. */
export function createMetrics(opts: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'preflight_' });
  const jobs = new Counter({
    name: 'preflight_jobs_total',
    help: 'Scan jobs finished, by outcome (ok or error code)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const submissions = new Counter({
    name: 'preflight_submissions_total',
    help: 'Photos submitted by the bots, by outcome (queued or refusal code)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const deliveries = new Counter({
    name: 'preflight_results_total',
    help: 'Results handed to platform senders, by outcome',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const stages = new Histogram({
    name: 'preflight_stage_duration_seconds',
    help: 'Duration of each stage of a scan job (and of each analyzer check)',
    labelNames: ['stage'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const variants = new Counter({
    name: 'preflight_variants_total',
    help: 'Face-choice copies made at scan time (the default one included)',
    registers: [registry],
  });
  const choices = new Counter({
    name: 'preflight_choices_total',
    help: 'Face choices and "Show where" taps, by choice (or refused, for a tap by someone else)',
    labelNames: ['choice'],
    registers: [registry],
  });
  const expiries = new Counter({
    name: 'preflight_choice_expiries_total',
    help: 'Taps on a result whose choices had expired',
    registers: [registry],
  });
  const watched = new Map<string, () => Promise<Record<string, number>>>();
  new Gauge({
    name: 'preflight_queue_jobs',
    help: 'Jobs in a queue by state, read at scrape time',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const [queue, counts] of watched) {
        try {
          for (const [state, n] of Object.entries(await counts())) this.set({ queue, state }, n);
        } catch {
          // Redis unreachable: report nothing rather than fail the scrape.
        }
      }
    },
  });
  return {
    registry,
    jobDone: (outcome) => jobs.inc({ outcome }),
    submitted: (outcome) => submissions.inc({ outcome }),
    delivered: (outcome) => deliveries.inc({ outcome }),
    stage: (stage, seconds) => stages.observe({ stage }, seconds),
    variantsMade: (n) => variants.inc(n),
    choiceTaken: (choice) => choices.inc({ choice }),
    choiceExpired: () => expiries.inc(),
    watchQueue: (queue, counts) => watched.set(queue, counts),
  };
}

/** Serves GET /metrics (and /healthz). Port 0 picks a free port. */
export async function startMetricsServer(opts: {
  port: number;
  host?: string;
  metrics: Metrics;
}): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.url === '/metrics') {
      opts.metrics.registry.metrics().then(
        (body) => {
          res.writeHead(200, { 'content-type': opts.metrics.registry.contentType });
          res.end(body);
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
      return;
    }
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok\n');
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
