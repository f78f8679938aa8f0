// A burst through the real queue with 2 scan threads, from many users, with the default rate limit and
// queue bound: every user gets an answer or a polite refusal, nothing is lost, Redis is left clean.
// CI runs a small burst; LOAD_FULL=1 runs the full one (200 photos from 50 users), as bench/load.ts does.
import { describe, expect, it } from 'vitest';
import { benchLoad } from '../../bench/load.ts';

const full = process.env['LOAD_FULL'] === '1';

describe('load: a burst from many users (real Redis DB 4, 2 scan threads)', () => {
  it(`answers ${full ? '200 photos from 50' : '40 photos from 10'} users and loses nothing`, async () => {
    const f = await benchLoad(full ? { photos: 200, users: 50 } : { photos: 40, users: 10 });
    console.info(`load: ${JSON.stringify(f)}`);
    const refusedCount = Object.values(f.refused).reduce((a, b) => a + b, 0);
    // Every photo either queued or refused politely; every queued one got exactly one result.
    expect(f.accepted + refusedCount).toBe(f.photos);
    expect(Object.keys(f.refused).every((c) => c === 'rate_limited' || c === 'queue_busy')).toBe(true);
    // The greedy user's photos beyond 10 a minute are refused with rate_limited.
    expect(f.refused.rate_limited).toBeGreaterThanOrEqual(2);
    expect(f.lost).toBe(0);
    expect(f.duplicates).toBe(0);
    expect(f.results).toBe(f.accepted);
    expect(f.resultsOk).toBe(f.accepted);
    expect(f.usersWithoutAnswer).toBe(0);
    expect(f.blobKeysLeft).toBe(0);
    expect(f.imageBytesInRedis).toBe(false);
    // Memory bounded: the burst does not keep every photo alive (generous: a leak of all photos ×
    // copies would exceed it by far on the full run).
    expect(f.rssAfterMb - f.rssBeforeMb).toBeLessThan(400);
  }, 600_000);
});
