// Environment parsing: defaults, limits, and errors that name the variable without echoing it.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseBotConfig, parseWorkerConfig } from '../../src/config.ts';
import { toConnectionExtras } from '../../src/queue/connections.ts';

const key = randomBytes(32).toString('base64');

describe('parseWorkerConfig', () => {
  it('applies defaults and has no platform token field', () => {
    const c = parseWorkerConfig({ BLOB_KEY: key, TELEGRAM_BOT_TOKEN: '123456:secret' });
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(c.blobKey.length).toBe(32);
    expect(c.concurrency).toBe(1);
    expect(c.blobTtlMs).toBe(600_000);
    expect(c.checks).toEqual(['metadata', 'faces', 'text', 'codes']);
    expect(JSON.stringify(c)).not.toContain('secret');
  });

  it('parses limits and the check list', () => {
    const c = parseWorkerConfig({
      BLOB_KEY: key,
      WORKER_CONCURRENCY: '4',
      ENGINE_CHECKS: 'metadata, codes',
      METRICS_PORT: '9100',
    });
    expect(c).toMatchObject({ concurrency: 4, checks: ['metadata', 'codes'], metricsPort: 9100 });
  });

  it('reads the OCR languages: English by default, French on request, nothing else', () => {
    expect(parseWorkerConfig({ BLOB_KEY: key }).ocrLangs).toEqual(['eng']);
    expect(parseWorkerConfig({ BLOB_KEY: key, OCR_LANGS: 'fra+eng' }).ocrLangs).toEqual(['fra', 'eng']);
    expect(parseBotConfig({ OCR_LANGS: ' eng + fra ' }).ocrLangs).toEqual(['eng', 'fra']);
    for (const bad of ['deu', 'eng+eng', 'eng,fra'])
      expect(() => parseWorkerConfig({ BLOB_KEY: key, OCR_LANGS: bad })).toThrow(/OCR_LANGS/);
  });

  it('names each bad variable and never echoes its value', () => {
    const badKey = 'c2VjcmV0LXZhbHVlLXRoYXQtbXVzdC1ub3QtbGVhaw==';
    let err: unknown;
    try {
      parseWorkerConfig({
        BLOB_KEY: badKey,
        WORKER_CONCURRENCY: 'lots',
        REDIS_URL: 'http://x',
        ENGINE_CHECKS: 'faces,magic',
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const e = err as ConfigError;
    expect(e.variables.sort()).toEqual(['BLOB_KEY', 'ENGINE_CHECKS', 'REDIS_URL', 'WORKER_CONCURRENCY']);
    expect(e.message).not.toContain(badKey);
    expect(e.message).not.toContain('lots');
    expect(e.message).not.toContain('magic');
    expect(() => parseWorkerConfig({})).toThrow(/BLOB_KEY is required/);
  });
});

describe('parseBotConfig', () => {
  it('makes BLOB_KEY optional (one-process mode) and reads the bot limits', () => {
    const c = parseBotConfig({ RATE_LIMIT_PER_MIN: '3', QUEUE_MAX_WAITING: '7' });
    expect(c.blobKey).toBeUndefined();
    expect(c).toMatchObject({ rateLimitPerMin: 3, maxWaiting: 7, maxDownloadBytes: 20 * 1024 * 1024 });
    expect(parseBotConfig({ BLOB_KEY: key, RATE_LIMIT_PER_MIN: '' }).rateLimitPerMin).toBe(10);
    expect(() => parseBotConfig({ RATE_LIMIT_PER_MIN: '0' })).toThrow(/RATE_LIMIT_PER_MIN/);
  });
});

describe('Redis Sentinel', () => {
  it('reads the sentinel list, the master name and the sentinel password, for both processes', () => {
    const env = {
      BLOB_KEY: key,
      REDIS_SENTINELS: 'sentinel-1:26379, 10.0.0.2:26380,[::1]:26381',
      REDIS_SENTINEL_NAME: 'mymaster',
      REDIS_SENTINEL_PASSWORD: 'sentinel-secret',
    };
    const expected = {
      sentinels: [
        { host: 'sentinel-1', port: 26379 },
        { host: '10.0.0.2', port: 26380 },
        { host: '::1', port: 26381 },
      ],
      name: 'mymaster',
      password: 'sentinel-secret',
    };
    expect(parseWorkerConfig(env).redisSentinel).toEqual(expected);
    expect(parseBotConfig(env).redisSentinel).toEqual(expected);
    expect(parseWorkerConfig({ BLOB_KEY: key }).redisSentinel).toBeUndefined();
    expect(parseWorkerConfig({ BLOB_KEY: key, REDIS_SENTINELS: ' ' }).redisSentinel).toBeUndefined();
  });

  it.each([
    [{ REDIS_SENTINELS: 'sentinel-1' }, ['REDIS_SENTINELS', 'REDIS_SENTINEL_NAME']],
    [{ REDIS_SENTINELS: 'a:26379,b:70000', REDIS_SENTINEL_NAME: 'm' }, ['REDIS_SENTINELS']],
    [{ REDIS_SENTINELS: 'redis://a:26379', REDIS_SENTINEL_NAME: 'm' }, ['REDIS_SENTINELS']],
    [{ REDIS_SENTINELS: 'a:26379' }, ['REDIS_SENTINEL_NAME']],
    [{ REDIS_SENTINELS: 'a:26379', REDIS_SENTINEL_NAME: 'my master' }, ['REDIS_SENTINEL_NAME']],
    [{ REDIS_SENTINEL_NAME: 'mymaster' }, ['REDIS_SENTINEL_NAME']],
    [{ REDIS_SENTINEL_PASSWORD: 'pw-not-echoed' }, ['REDIS_SENTINEL_PASSWORD']],
    [
      { REDIS_SENTINELS: 'a:26379', REDIS_SENTINEL_NAME: 'm', REDIS_URL: 'rediss://:pw-not-echoed@x:6380' },
      ['REDIS_URL'],
    ],
  ])('refuses %j naming %j', (vars, names) => {
    let err: unknown;
    try {
      parseWorkerConfig({ BLOB_KEY: key, ...vars });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).variables).toEqual(names);
    expect((err as ConfigError).message).not.toContain('pw-not-echoed');
  });

  it('becomes ioredis sentinel options (the master password stays in REDIS_URL)', () => {
    const config = parseWorkerConfig({
      BLOB_KEY: key,
      REDIS_SENTINELS: 's1:26379,s2:26379',
      REDIS_SENTINEL_NAME: 'mymaster',
      REDIS_SENTINEL_PASSWORD: 'pw',
    });
    expect(toConnectionExtras(config)).toEqual({
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
      ],
      name: 'mymaster',
      sentinelPassword: 'pw',
    });
    expect(toConnectionExtras(parseWorkerConfig({ BLOB_KEY: key }))).toEqual({});
  });
});
