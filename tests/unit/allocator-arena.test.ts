// The CLI's allocator arena limit: set when the user has not set it, kept when they have, and the
// re-executed process really gets it (a real child process, its exit code passed back).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ARENA_MAX, MMAP_THRESHOLD, REEXEC_MARK, toArenaEnv } from '../../src/allocator-arena.ts';

const work = mkdtempSync(join(tmpdir(), 'preflight-arena-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('toArenaEnv', () => {
  it('adds MALLOC_ARENA_MAX on Linux when unset or empty, and keeps everything else', () => {
    const mark = { [REEXEC_MARK]: '1', MALLOC_MMAP_THRESHOLD_: MMAP_THRESHOLD };
    expect(toArenaEnv({ HOME: '/h' }, 'linux')).toEqual({ HOME: '/h', MALLOC_ARENA_MAX: ARENA_MAX, ...mark });
    expect(toArenaEnv({ MALLOC_ARENA_MAX: '' }, 'linux')).toEqual({ MALLOC_ARENA_MAX: ARENA_MAX, ...mark });
  });
  it("keeps the user's own mmap threshold", () => {
    expect(toArenaEnv({ MALLOC_MMAP_THRESHOLD_: '65536' }, 'linux')).toMatchObject({
      MALLOC_ARENA_MAX: ARENA_MAX,
      MALLOC_MMAP_THRESHOLD_: '65536',
    });
  });
  it("keeps the user's own value, and does nothing off Linux", () => {
    expect(toArenaEnv({ MALLOC_ARENA_MAX: '8' }, 'linux')).toBeUndefined();
    expect(toArenaEnv({}, 'darwin')).toBeUndefined();
  });
  it('never re-executes a process that was itself re-executed', () => {
    expect(toArenaEnv({ [REEXEC_MARK]: '1' }, 'linux')).toBeUndefined();
  });
});

describe('reexecWithArenaLimit', () => {
  // A script that re-executes itself through the helper and prints what the running process sees.
  const script = join(work, 'probe.mts');
  writeFileSync(
    script,
    [
      `import { reexecWithArenaLimit } from ${JSON.stringify(pathToFileURL(new URL('../../src/allocator-arena.ts', import.meta.url).pathname).href)};`,
      `const code = await reexecWithArenaLimit(process.argv[1]!, process.argv.slice(2));`,
      `if (code !== undefined) process.exit(code);`,
      `process.stdout.write(JSON.stringify({ arena: process.env.MALLOC_ARENA_MAX, mmap: process.env.MALLOC_MMAP_THRESHOLD_, args: process.argv.slice(2) }));`,
      `process.exit(7);`,
    ].join('\n'),
  );
  const run = (env: NodeJS.ProcessEnv) =>
    spawnSync(process.execPath, ['--import', 'tsx', script, 'a', '--b'], { env, encoding: 'utf8' });

  it.runIf(process.platform === 'linux')('re-executes with the limit and passes the exit code back', () => {
    const env = { ...process.env };
    delete env['MALLOC_ARENA_MAX'];
    delete env[REEXEC_MARK];
    delete env['MALLOC_MMAP_THRESHOLD_'];
    const r = run(env);
    expect(JSON.parse(r.stdout)).toEqual({ arena: ARENA_MAX, mmap: MMAP_THRESHOLD, args: ['a', '--b'] });
    expect(r.status).toBe(7);
  });

  it('runs in place when the user set a value', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, MALLOC_ARENA_MAX: '4' };
    delete env['MALLOC_MMAP_THRESHOLD_'];
    const r = run(env);
    expect(JSON.parse(r.stdout)).toEqual({ arena: '4', args: ['a', '--b'] });
    expect(r.status).toBe(7);
  });
});
