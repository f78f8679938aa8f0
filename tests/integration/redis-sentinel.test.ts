// REDIS_SENTINELS / REDIS_SENTINEL_NAME from the environment to a working connection: our own
// redis-server master and replica, and one real Sentinel (all on free ports) monitoring
// them. Both connection profiles find the master through the sentinel, and after a fail-over the
// worker profile writes to the new master.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWorkerConfig } from '../../src/config.ts';
import {
  closeRedis,
  connectRedis,
  createProducerConnection,
  createWorkerConnection,
  toConnectionExtras,
} from '../../src/queue/connections.ts';
import { freePort, startRedisServer, type OwnRedis } from './redis-server.ts';

const [MASTER, REPLICA, SENTINEL] = [await freePort(), await freePort(), await freePort()];
const NAME = 'preflight-test';

const env = {
  BLOB_KEY: Buffer.alloc(32, 7).toString('base64'),
  // Host and port are not used with sentinels; the db still is.
  REDIS_URL: 'redis://unused.invalid:1/2',
  REDIS_SENTINELS: `127.0.0.1:${SENTINEL}`,
  REDIS_SENTINEL_NAME: NAME,
};

async function until(what: string, ok: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await ok().catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Redis Sentinel from the environment', () => {
  let master: OwnRedis | undefined;
  let replica: OwnRedis | undefined;
  let sentinel: ChildProcess | undefined;
  let dir: string | undefined;
  const clients: Redis[] = [];
  const direct = (port: number): Redis => {
    const r = new Redis(port, '127.0.0.1', { db: 2, lazyConnect: true, maxRetriesPerRequest: 1 });
    r.on('error', () => undefined);
    clients.push(r);
    return r;
  };

  beforeAll(async () => {
    // Nothing written to disk but Sentinel's config, in a throwaway folder: replication streams the
    // snapshot over the socket and a replica loads it into memory (either server may be the replica).
    dir = mkdtempSync(join(tmpdir(), 'pft-sentinel-'));
    const diskless = ['--dir', dir, '--repl-diskless-sync', 'yes', '--repl-diskless-load', 'on-empty-db'];
    master = await startRedisServer(MASTER, diskless);
    replica = await startRedisServer(REPLICA, [...diskless, '--replicaof', '127.0.0.1', String(MASTER)]);
    // Sentinel insists on a config file it can rewrite: a throwaway one (addresses only, no data).
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(
      conf,
      [
        `port ${SENTINEL}`,
        'bind 127.0.0.1',
        `sentinel monitor ${NAME} 127.0.0.1 ${MASTER} 1`,
        `sentinel down-after-milliseconds ${NAME} 1000`,
        `sentinel failover-timeout ${NAME} 5000`,
        '',
      ].join('\n'),
    );
    sentinel = spawn('redis-server', [conf, '--sentinel', '--loglevel', 'warning'], { stdio: 'ignore' });
    const s = direct(SENTINEL);
    await until('the sentinel to see the replica', async () => {
      const replicas = (await s.call('SENTINEL', 'REPLICAS', NAME)) as string[][];
      return replicas.some((r) => r.includes(String(REPLICA)) && r.includes('slave'));
    });
  }, 60_000);

  afterAll(async () => {
    for (const c of clients) c.disconnect();
    if (sentinel && sentinel.exitCode === null) {
      const s = sentinel;
      s.kill('SIGKILL');
      await new Promise((r) => s.once('exit', r));
    }
    await replica?.kill();
    await master?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('both connection profiles reach the master through the sentinel, in the db of REDIS_URL', async () => {
    const config = parseWorkerConfig(env);
    expect(config.redisSentinel).toEqual({ sentinels: [{ host: '127.0.0.1', port: SENTINEL }], name: NAME });
    const producer = createProducerConnection(config.redisUrl, toConnectionExtras(config));
    const worker = createWorkerConnection(config.redisUrl, toConnectionExtras(config));
    for (const r of [producer, worker]) r.on('error', () => undefined);
    clients.push(producer, worker);
    await Promise.all([connectRedis(producer), connectRedis(worker)]);
    await producer.set('pft:sentinel:producer', 'p');
    await worker.set('pft:sentinel:worker', 'w');
    const m = direct(MASTER);
    expect(await m.mget('pft:sentinel:producer', 'pft:sentinel:worker')).toEqual(['p', 'w']);
    await Promise.all([closeRedis(producer), closeRedis(worker)]);
  });

  it('after a fail-over the worker connection writes to the new master', async () => {
    const config = parseWorkerConfig(env);
    const worker = createWorkerConnection(config.redisUrl, toConnectionExtras(config));
    worker.on('error', () => undefined);
    clients.push(worker);
    await connectRedis(worker);
    await worker.set('pft:sentinel:before', '1');
    // Replication is asynchronous: a write the replica has not acknowledged may be lost in a fail-over.
    // On a loaded machine the replica may still be syncing: wait for its acknowledgement, bounded.
    await until('the replica to acknowledge the write', async () => (await worker.wait(1, 1_000)) === 1);

    const s = direct(SENTINEL);
    await s.call('SENTINEL', 'FAILOVER', NAME);
    await until('the replica to become master', async () => {
      const addr = (await s.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', NAME)) as string[];
      return addr[1] === String(REPLICA);
    });
    // ioredis learns of the switch from the sentinel and reconnects; writes go on without our help.
    await until('a write through the worker connection to reach the new master', async () => {
      await worker.set('pft:sentinel:after', '2');
      return (await direct(REPLICA).get('pft:sentinel:after')) === '2';
    });
    expect(await direct(REPLICA).get('pft:sentinel:before')).toBe('1');
    await closeRedis(worker);
  });
});
