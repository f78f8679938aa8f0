// Redis dies and comes back under a running worker (our own redis-server on a free port, DB 11): the
// worker reconnects by itself and a job queued after the restart completes end to end.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/types.ts';
import { createTestPhoto, createTestStack, type TestStack } from '../../fixtures-kit/test-stack.ts';
import { freePort, startRedisServer, type OwnRedis } from './redis-server.ts';

const jpeg = readFileSync(new URL('../fixtures/images/gps_sony-hx5v_street-sign.jpg', import.meta.url));
const until = async (p: () => boolean | Promise<boolean>): Promise<void> => {
  while (!(await p())) await new Promise((r) => setTimeout(r, 50));
};

describe('Redis restarted under a running worker', () => {
  let own: OwnRedis | undefined;
  let stack: TestStack | undefined;
  afterAll(async () => {
    await stack?.close().catch(() => undefined);
    await own?.kill();
  });

  it('reconnects and completes the next job', async () => {
    const PORT = await freePort();
    own = await startRedisServer(PORT);
    const results: ScanResult[] = [];
    stack = await createTestStack({
      db: 11,
      redisUrl: own.url,
      senders: { telegram: (r) => Promise.resolve(void results.push(r)) },
    });
    const first = await stack.scanService.submit(createTestPhoto(jpeg), { platform: 'telegram', chatId: 1 });
    expect(first.status).toBe('queued');
    await until(() => results.length === 1);

    await own.kill();
    await until(() => stack!.redis.status !== 'ready');
    const down = await stack.scanService.submit(createTestPhoto(jpeg), { platform: 'telegram', chatId: 2 });
    expect(down).toEqual({ status: 'refused', code: 'queue_unavailable' });

    own = await startRedisServer(PORT);
    await until(() => stack!.redis.status === 'ready');
    const after = await stack.scanService.submit(createTestPhoto(jpeg, { userId: 'u2' }), {
      platform: 'telegram',
      chatId: 3,
    });
    if (after.status !== 'queued') throw new Error(`not queued: ${JSON.stringify(after)}`);
    await until(() => results.length === 2);
    expect(results[1]).toMatchObject({ scanId: after.scanId, ok: true, reply: { chatId: 3 } });
    await stack.idle();
    // The dispatcher deletes a result's blobs just after its sender returns: wait for it to finish.
    await stack.idle();
    const audit = await stack.audit();
    expect(audit.blobKeys).toEqual([]);
    expect(audit.imageBytesFound).toBe(false);
  });
});
