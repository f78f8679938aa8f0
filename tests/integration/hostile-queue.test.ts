// Every hostile input through the real queue and worker thread: each job ends in exactly one result
// (a report, or a refusal/failure code), the worker survives (a normal photo still succeeds at the end),
// and Redis keeps no image bytes and no blob keys.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INPUT_ERROR_CODES } from '../../src/errors.ts';
import type { ScanResult } from '../../src/types.ts';
import { hostileCorpus } from '../fixtures/hostile.ts';
import { createTestPhoto, createTestStack, type TestStack } from '../../fixtures-kit/test-stack.ts';

const fixture = (name: string): Buffer =>
  readFileSync(new URL(`../fixtures/images/${name}`, import.meta.url));

const INPUT_CODES = new RegExp(`^(${[...INPUT_ERROR_CODES].join('|')})$`);

describe('hostile inputs through the queue (real Redis DB 4, real worker thread)', () => {
  let stack: TestStack;
  const results = new Map<string, ScanResult[]>();
  const waiters: (() => void)[] = [];

  beforeAll(async () => {
    stack = await createTestStack({
      db: 4,
      // Each input is its own user here: the per-user rate limit is exercised by the load test.
      limits: { ratePerMin: 1000, maxWaiting: 1000 },
      attempts: 2,
      senders: {
        telegram: (result) => {
          const list = results.get(result.scanId) ?? [];
          list.push(result);
          results.set(result.scanId, list);
          for (const w of waiters.splice(0)) w();
          return Promise.resolve();
        },
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers every input exactly once, loses nothing and leaves nothing', async () => {
    const corpus = hostileCorpus();
    const queued: { name: string; scanId: string; expected: string }[] = [];
    const refusedAtSubmit: string[] = [];
    let n = 0;
    for (const entry of corpus) {
      const bytes = await entry.make();
      const out = await stack.scanService.submit(createTestPhoto(bytes, { userId: `h${n}` }), {
        platform: 'telegram',
        chatId: 1000 + n,
        messageId: n,
      });
      n++;
      if (out.status === 'queued')
        queued.push({ name: entry.name, scanId: out.scanId, expected: entry.expected });
      else {
        // Refused before the queue: only inputs the engine refuses too (empty, over the download limit),
        // or the large file under the engine's limit that is over the smaller download limit.
        expect(entry.expected === 'refused' || entry.large === true, entry.name).toBe(true);
        expect(out.code, entry.name).toMatch(INPUT_CODES);
        if (entry.expected === 'scanned') expect(out.code, entry.name).toBe('file_too_large');
        refusedAtSubmit.push(entry.name);
      }
    }
    // A normal photo last: the worker survived everything before it.
    const last = await stack.scanService.submit(
      createTestPhoto(fixture('gps_fujifilm-s2pro_eiffel-tower.jpg'), { userId: 'normal' }),
      { platform: 'telegram', chatId: 1, messageId: 1 },
    );
    expect(last.status).toBe('queued');
    if (last.status !== 'queued') return;

    const until = Date.now() + 240_000;
    while (!(queued.every((q) => results.has(q.scanId)) && results.has(last.scanId)) && Date.now() < until)
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 500);
      });
    await stack.idle();

    const lost = queued.filter((q) => !results.has(q.scanId)).map((q) => q.name);
    const duplicated = [...results.values()].filter((l) => l.length > 1).length;
    expect(lost).toEqual([]);
    expect(duplicated).toBe(0);
    for (const q of queued) {
      const r = results.get(q.scanId)![0]!;
      if (q.expected === 'scanned') expect(r.ok, q.name).toBe(true);
      else {
        expect(r.ok, q.name).toBe(false);
        if (!r.ok)
          expect(r.error.code, q.name).toMatch(
            /^(empty_input|unsupported_format|corrupt_image|file_too_large|too_many_pixels|bad_dimensions|not_an_image)$/,
          );
      }
    }
    const final = results.get(last.scanId)![0]!;
    expect(final.ok).toBe(true);
    if (final.ok) expect(final.report.findings.map((f) => f.kind)).toContain('gps');

    // The dispatcher deletes a result's blobs just after its sender returns: wait for it to finish.
    await stack.idle();
    const audit = await stack.audit();
    expect(audit.imageBytesFound).toBe(false);
    expect(audit.blobKeys).toEqual([]);
    console.info(
      `hostile queue: ${corpus.length + 1} inputs, ${queued.length + 1} queued, ${refusedAtSubmit.length} refused at submit, ` +
        `jobs lost ${lost.length}, duplicates ${duplicated}, blob keys left ${audit.blobKeys.length}, image bytes in Redis ${audit.imageBytesFound}`,
    );
  }, 300_000);
});
