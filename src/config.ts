// Environment parsing for the bot process and the worker process. Pure: takes an env object, returns
// a typed config or throws ConfigError naming the variable — never echoing its value (it may be a key).
// Platform tokens are NOT here: each adapter parses its own config (src/adapters/*/config.ts), and the
// worker config has no token field at all.
import { z } from 'zod';
import { ANALYZER_NAMES, type AnalyzerName } from './types.ts';

export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  readonly variables: string[];
  constructor(problems: { variable: string; problem: string }[]) {
    super(
      `Invalid configuration: ${problems.map((p) => `${p.variable} ${p.problem}`).join('; ')}. See .env.example.`,
    );
    this.name = 'ConfigError';
    this.variables = problems.map((p) => p.variable);
  }
}

const blank = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const int = (min: number, max: number, def: number) =>
  z.preprocess(
    blank,
    z.coerce
      .number({ error: `must be a whole number between ${min} and ${max}` })
      .int({ error: `must be a whole number between ${min} and ${max}` })
      .min(min, { error: `must be a whole number between ${min} and ${max}` })
      .max(max, { error: `must be a whole number between ${min} and ${max}` })
      .default(def),
  );

const optionalPort = z.preprocess(
  blank,
  z.coerce
    .number({ error: 'must be a TCP port (1-65535), or empty to disable' })
    .int({ error: 'must be a TCP port (1-65535), or empty to disable' })
    .min(1, { error: 'must be a TCP port (1-65535), or empty to disable' })
    .max(65535, { error: 'must be a TCP port (1-65535), or empty to disable' })
    .optional(),
);

const redisUrl = z.preprocess(
  blank,
  z
    .string()
    .default('redis://127.0.0.1:6379')
    .refine((s) => /^rediss?:\/\/[^\s]+$/.test(s), {
      error: 'must be a redis:// or rediss:// URL',
    }),
);

/** "host:port" or "[ipv6]:port". */
const HOST_PORT = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9._-]+)):(\d{1,5})$/;

function toHostPort(item: string): { host: string; port: number } | undefined {
  const m = HOST_PORT.exec(item.trim());
  const port = Number(m?.[3]);
  const host = m?.[1] ?? m?.[2];
  return host && port >= 1 && port <= 65535 ? { host, port } : undefined;
}

/** Redis Sentinel addresses: "sentinel-1:26379,sentinel-2:26379". */
const sentinels = z.preprocess(
  blank,
  z
    .string()
    .refine((s) => s.split(',').every((item) => toHostPort(item) !== undefined), {
      error: 'must be a comma-separated list of host:port',
    })
    .transform((s) => s.split(',').map((item) => toHostPort(item)!))
    .optional(),
);

const sentinelName = z.preprocess(
  blank,
  z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, {
      error: 'must be the master name the sentinels monitor (e.g. mymaster)',
    })
    .optional(),
);

/** 32 random bytes, base64: `openssl rand -base64 32`. */
const blobKey = z
  .string({ error: 'is required: 32 random bytes in base64 (openssl rand -base64 32)' })
  .refine((s) => /^[A-Za-z0-9+/_-]+={0,2}$/.test(s.trim()) && Buffer.from(s.trim(), 'base64').length === 32, {
    error: 'must be exactly 32 bytes encoded in base64 (openssl rand -base64 32)',
  })
  .transform((s) => Buffer.from(s.trim(), 'base64'));

const logLevel = z.preprocess(
  blank,
  z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
);

const queuePrefix = z.preprocess(
  blank,
  z
    .string()
    .regex(/^[A-Za-z0-9_.{}-]{1,40}$/, {
      error: 'must be 1-40 letters, digits, dot, dash, underscore or braces',
    })
    .default('preflight'),
);

const checks = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() !== '' ? v.split(',').map((s) => s.trim()) : undefined),
  z
    .array(
      z.enum(ANALYZER_NAMES, { error: `must be a comma-separated subset of ${ANALYZER_NAMES.join(',')}` }),
    )
    .min(1, { error: 'must name at least one check' })
    .default([...ANALYZER_NAMES]),
);

export const OCR_LANG_NAMES = ['eng', 'fra'] as const;

/** "eng", "fra+eng": tesseract's own notation, the first language leading. */
const ocrLangs = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() !== '' ? v.split('+').map((s) => s.trim()) : undefined),
  z
    .array(z.enum(OCR_LANG_NAMES, { error: `must be ${OCR_LANG_NAMES.join(', ')} or both joined by +` }))
    .min(1)
    .refine((l) => new Set(l).size === l.length, { error: 'names a language twice' })
    .default(['eng']),
);

/** OCR_LANGS' rule for any other source (the CLI's --ocr): the languages, or undefined when invalid or blank. */
export function parseOcrLangs(value: string): string[] | undefined {
  if (value.trim() === '') return undefined;
  const r = ocrLangs.safeParse(value);
  return r.success ? r.data : undefined;
}

const common = {
  REDIS_URL: redisUrl,
  /** With these, ioredis asks the sentinels for the master; REDIS_URL then gives only its credentials and db. */
  REDIS_SENTINELS: sentinels,
  REDIS_SENTINEL_NAME: sentinelName,
  REDIS_SENTINEL_PASSWORD: z.preprocess(blank, z.string().optional()),
  LOG_LEVEL: logLevel,
  METRICS_PORT: optionalPort,
  QUEUE_PREFIX: queuePrefix,
  /** Seconds an encrypted image may live in Redis before it expires on its own. */
  BLOB_TTL_SEC: int(10, 24 * 3600, 600),
};

/**
 * REDIS_SENTINELS and REDIS_SENTINEL_NAME go together. A rediss:// URL is refused with them: in
 * Sentinel mode ioredis would connect to the master without TLS unless told otherwise in code.
 */
function checkSentinel(
  e: {
    REDIS_URL?: unknown;
    REDIS_SENTINELS?: unknown;
    REDIS_SENTINEL_NAME?: unknown;
    REDIS_SENTINEL_PASSWORD?: unknown;
  },
  ctx: z.RefinementCtx,
): void {
  if (e.REDIS_SENTINELS !== undefined && typeof e.REDIS_URL === 'string' && e.REDIS_URL.startsWith('rediss:'))
    ctx.addIssue({
      code: 'custom',
      path: ['REDIS_URL'],
      message: 'must be redis:// with REDIS_SENTINELS (TLS through Sentinel is not configurable here)',
    });
  if (e.REDIS_SENTINELS === undefined) {
    for (const variable of ['REDIS_SENTINEL_NAME', 'REDIS_SENTINEL_PASSWORD'] as const)
      if (e[variable] !== undefined)
        ctx.addIssue({ code: 'custom', path: [variable], message: 'is only used with REDIS_SENTINELS' });
  } else if (e.REDIS_SENTINEL_NAME === undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['REDIS_SENTINEL_NAME'],
      message: 'is required with REDIS_SENTINELS (the master name the sentinels monitor)',
    });
}

const workerSchema = z
  .object({
    ...common,
    BLOB_KEY: z.preprocess(blank, blobKey),
    WORKER_CONCURRENCY: int(1, 64, 1),
    /** How long a job's lock lives without renewal; must exceed the slowest scan's event-loop stall. */
    WORKER_LOCK_MS: int(1000, 600_000, 120_000),
    /** How often a worker looks for jobs whose worker died. */
    WORKER_STALLED_INTERVAL_MS: int(500, 600_000, 30_000),
    /** Hard deadline for one scan in its thread; the thread is replaced when it passes. */
    SCAN_TIMEOUT_MS: int(1000, 600_000, 120_000),
    JOB_ATTEMPTS: int(1, 10, 3),
    ENGINE_CHECKS: checks,
    OCR_LANGS: ocrLangs,
  })
  .superRefine(checkSentinel);

const botSchema = z
  .object({
    ...common,
    /** Required when bot and worker run as separate processes; generated per run otherwise. */
    BLOB_KEY: z.preprocess(blank, blobKey.optional()),
    /** Hashes user ids for stored settings; derived from BLOB_KEY when unset. */
    USER_ID_SECRET: z.preprocess(blank, z.string().min(16).optional()),
    RATE_LIMIT_PER_MIN: int(1, 10_000, 10),
    /** Waiting jobs above which new photos are refused with 'queue_busy'. */
    QUEUE_MAX_WAITING: int(1, 1_000_000, 100),
    /** Largest download accepted, bytes (Telegram bots cannot download more than 20 MB anyway). */
    MAX_DOWNLOAD_BYTES: int(1024, 200 * 1024 * 1024, 20 * 1024 * 1024),
    DOWNLOAD_TIMEOUT_MS: int(1000, 300_000, 30_000),
    JOB_ATTEMPTS: int(1, 10, 3),
    // In one-process mode (`npm start`) the in-process worker reads these too.
    WORKER_CONCURRENCY: int(1, 64, 1),
    SCAN_TIMEOUT_MS: int(1000, 600_000, 120_000),
    ENGINE_CHECKS: checks,
    OCR_LANGS: ocrLangs,
  })
  .superRefine(checkSentinel);

export interface SentinelConfig {
  sentinels: { host: string; port: number }[];
  /** The master's name as the sentinels know it. */
  name: string;
  /** For the sentinels themselves; the master's password comes from REDIS_URL. */
  password?: string;
}

export interface CommonConfig {
  redisUrl: string;
  /** Redis Sentinel: the master is found through these; REDIS_URL's host and port are then unused. */
  redisSentinel?: SentinelConfig;
  logLevel: string;
  metricsPort?: number;
  queuePrefix: string;
  blobTtlMs: number;
}

export interface WorkerConfig extends CommonConfig {
  blobKey: Buffer;
  concurrency: number;
  lockMs: number;
  stalledIntervalMs: number;
  scanTimeoutMs: number;
  attempts: number;
  checks: AnalyzerName[];
  /** OCR languages, leading first. */
  ocrLangs: string[];
}

export interface BotConfig extends CommonConfig {
  blobKey?: Buffer;
  /** Secret for hashing user ids (USER_ID_SECRET); absent: derived from the blob key. */
  userIdSecret?: string;
  rateLimitPerMin: number;
  maxWaiting: number;
  maxDownloadBytes: number;
  downloadTimeoutMs: number;
  attempts: number;
  concurrency: number;
  scanTimeoutMs: number;
  checks: AnalyzerName[];
  /** OCR languages, leading first. */
  ocrLangs: string[];
}

function parseWith<S extends z.ZodType>(schema: S, env: Env): z.output<S> {
  const r = schema.safeParse(env);
  if (r.success) return r.data;
  // Messages come from the schema above (never from the value), keyed by the variable name.
  throw new ConfigError(
    r.error.issues.map((i) => ({
      variable: String(i.path[0] ?? '?'),
      problem: i.code === 'invalid_type' && i.input === undefined ? 'is required' : i.message,
    })),
  );
}

function toCommon(e: {
  REDIS_URL: string;
  REDIS_SENTINELS?: { host: string; port: number }[] | undefined;
  REDIS_SENTINEL_NAME?: string | undefined;
  REDIS_SENTINEL_PASSWORD?: string | undefined;
  LOG_LEVEL: string;
  METRICS_PORT?: number | undefined;
  QUEUE_PREFIX: string;
  BLOB_TTL_SEC: number;
}): CommonConfig {
  const sentinel: SentinelConfig | undefined =
    e.REDIS_SENTINELS && e.REDIS_SENTINEL_NAME
      ? {
          sentinels: e.REDIS_SENTINELS,
          name: e.REDIS_SENTINEL_NAME,
          ...(e.REDIS_SENTINEL_PASSWORD !== undefined ? { password: e.REDIS_SENTINEL_PASSWORD } : {}),
        }
      : undefined;
  return {
    redisUrl: e.REDIS_URL,
    ...(sentinel ? { redisSentinel: sentinel } : {}),
    logLevel: e.LOG_LEVEL,
    ...(e.METRICS_PORT !== undefined ? { metricsPort: e.METRICS_PORT } : {}),
    queuePrefix: e.QUEUE_PREFIX,
    blobTtlMs: e.BLOB_TTL_SEC * 1000,
  };
}

export function parseWorkerConfig(env: Env): WorkerConfig {
  const e = parseWith(workerSchema, env);
  return {
    ...toCommon(e),
    blobKey: e.BLOB_KEY,
    concurrency: e.WORKER_CONCURRENCY,
    lockMs: e.WORKER_LOCK_MS,
    stalledIntervalMs: e.WORKER_STALLED_INTERVAL_MS,
    scanTimeoutMs: e.SCAN_TIMEOUT_MS,
    attempts: e.JOB_ATTEMPTS,
    checks: e.ENGINE_CHECKS,
    ocrLangs: e.OCR_LANGS,
  };
}

export function parseBotConfig(env: Env): BotConfig {
  const e = parseWith(botSchema, env);
  return {
    ...toCommon(e),
    ...(e.BLOB_KEY !== undefined ? { blobKey: e.BLOB_KEY } : {}),
    ...(e.USER_ID_SECRET !== undefined ? { userIdSecret: e.USER_ID_SECRET } : {}),
    rateLimitPerMin: e.RATE_LIMIT_PER_MIN,
    maxWaiting: e.QUEUE_MAX_WAITING,
    maxDownloadBytes: e.MAX_DOWNLOAD_BYTES,
    downloadTimeoutMs: e.DOWNLOAD_TIMEOUT_MS,
    attempts: e.JOB_ATTEMPTS,
    concurrency: e.WORKER_CONCURRENCY,
    scanTimeoutMs: e.SCAN_TIMEOUT_MS,
    checks: e.ENGINE_CHECKS,
    ocrLangs: e.OCR_LANGS,
  };
}
