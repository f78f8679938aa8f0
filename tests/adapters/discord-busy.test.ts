// Backpressure seen from Discord: a full queue gets a visible "busy" answer, and the queued photo is
// still answered once a worker starts. Real discord.js, fake Discord, real queue on Redis DB 3.
import { readFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../../src/adapters/discord/adapter.ts';
import { parseDiscordConfig } from '../../src/adapters/discord/config.ts';
import { createAutoscanSettingsStore } from '../../src/adapters/discord/settings.ts';
import { createLogger } from '../../src/log.ts';
import { renderError } from '../../src/render.ts';
import { createTestStack, type TestStack } from '../../fixtures-kit/test-stack.ts';
import { createFakeDiscord, type FakeDiscord, type RecordedCall } from './fake-discord.ts';
import { endBotTests } from './bot-test-hooks.ts';

const GPS = readFileSync(new URL('../fixtures/images/gps_fujifilm-s2pro_eiffel-tower.jpg', import.meta.url));

let fake: FakeDiscord;
let stack: TestStack;
let adapter: DiscordAdapter;

beforeAll(async () => {
  fake = await createFakeDiscord();
  stack = await createTestStack({
    db: 3,
    worker: false,
    limits: { maxWaiting: 1 },
    senders: { discord: (result, sanitized) => adapter.sendResult(result, sanitized) },
  });
  adapter = createDiscordAdapter({
    config: parseDiscordConfig(fake.env()),
    scanService: stack.scanService,
    redis: stack.redis,
    logger: createLogger({ level: 'silent' }),
    settings: createAutoscanSettingsStore({ redis: stack.redis, prefix: `${stack.prefix}:discord:autoscan` }),
  });
  await adapter.start();
});

endBotTests(() => ({ fakes: [fake], adapters: [adapter], stack }));

const edits = (token: string): RecordedCall[] =>
  fake.calls.filter((c) => c.method === 'PATCH' && c.rawPath.includes(`/${token}/messages/`));

it('a full queue answers "busy" at once; the queued photo is answered when a worker starts', async () => {
  // Without auto-scan, only the non-privileged intents are asked for.
  expect(fake.identifies[0]?.intents).toBe((1 << 0) | (1 << 9) | (1 << 12));

  const first = fake.checkInteraction(fake.attachment(GPS, 'a.jpg', 'image/jpeg'), { locale: 'fr' });
  fake.dispatch('INTERACTION_CREATE', first);
  await fake.waitForCall((c) => c.rawPath.startsWith('/cdn/') && c.status === 200);
  // The scan is queued: the blob is in Redis (encrypted), and the reply is still "thinking".
  for (let i = 0; i < 200 && (await stack.queue.depth()) === 0; i++)
    await new Promise((r) => setTimeout(r, 25));
  expect(await stack.queue.depth()).toBe(1);

  const second = fake.checkInteraction(fake.attachment(GPS, 'b.jpg', 'image/jpeg'), { locale: 'fr' });
  fake.dispatch('INTERACTION_CREATE', second);
  const busy = await fake.waitForCall((c) => c.method === 'PATCH' && c.rawPath.includes(`/${second.token}/`));
  const embeds = (busy.json as { embeds: { description: string }[] }).embeds;
  expect(embeds[0]?.description).toBe(renderError('queue_busy', 'fr'));
  expect(edits(first.token)).toHaveLength(0);

  await stack.startWorker();
  const done = await fake.waitForCall(
    (c) => c.method === 'PATCH' && c.rawPath.includes(`/${first.token}/`) && c.files.length === 1,
  );
  expect((done.json as { embeds: { color: number }[] }).embeds[0]?.color).toBe(0xd93025);

  await stack.idle();
  let audit = await stack.audit();
  for (let i = 0; i < 200 && audit.blobKeys.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 25));
    audit = await stack.audit();
  }
  expect(audit.imageBytesFound).toBe(false);
  expect(audit.blobKeys).toEqual([]);
});
