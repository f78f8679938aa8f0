// The compose file is checked offline (no Docker engine here): dclint, plus the properties the
// deployment relies on.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const compose = readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8');
const service = (name: string): string => {
  const m = new RegExp(`^  ${name}:\\n((?:    .*\\n|\\s*\\n)*)`, 'm').exec(compose);
  if (!m?.[1]) throw new Error(`service ${name} not found`);
  return m[1];
};

describe('docker-compose.yml', () => {
  it('passes dclint with no warnings', () => {
    const out = execFileSync(
      process.execPath,
      ['node_modules/dclint/bin/dclint.cjs', '--max-warnings', '0', 'docker-compose.yml'],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    expect(out).not.toMatch(/error|warning/i);
  });

  it('runs Redis with noeviction, AOF and a healthcheck', () => {
    const redis = service('redis');
    expect(redis).toMatch(/--maxmemory-policy, noeviction/);
    expect(redis).toMatch(/--appendonly, ["']yes["']/);
    expect(redis).toMatch(/healthcheck:/);
  });

  it('gives the worker its own env file and no platform token, and lets it scale', () => {
    const worker = service('worker');
    expect(worker).toMatch(/- \.env\.worker/);
    expect(worker).not.toMatch(/TOKEN|TELEGRAM|DISCORD|\.env\.bot/);
    // --scale needs no fixed container name and no published host port.
    expect(worker).not.toMatch(/container_name|ports:/);
    expect(service('bot')).toMatch(/- \.env\.bot/);
  });
});
