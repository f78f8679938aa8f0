// The real discord.js Client against the fake Discord, through the real queue and worker on Redis DB 3.
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import exifr from 'exifr';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../../src/adapters/discord/adapter.ts';
import { parseDiscordConfig } from '../../src/adapters/discord/config.ts';
import { discordMessages } from '../../src/adapters/discord/messages.ts';
import { createAutoscanSettingsStore } from '../../src/adapters/discord/settings.ts';
import { ERROR_CODES } from '../../src/errors.ts';
import { createLogger } from '../../src/log.ts';
import { messagesFor, renderError } from '../../src/render.ts';
import type { ScanService } from '../../src/scan-service.ts';
import type { ReplyAddress } from '../../src/types.ts';
import { createTestStack, type TestStack } from '../../fixtures-kit/test-stack.ts';
import {
  BOT_BASE_PERMS,
  createFakeDiscord,
  PERMS,
  type FakeDiscord,
  type RecordedCall,
} from './fake-discord.ts';

const fixture = (name: string): Buffer =>
  readFileSync(new URL(`../fixtures/images/${name}`, import.meta.url));
const GPS = fixture('gps_fujifilm-s2pro_eiffel-tower.jpg');
const CLEAN = fixture('negative_coffee-cup.png');

let fake: FakeDiscord;
let stack: TestStack;
let adapter: DiscordAdapter;
const logLines: string[] = [];
const addresses: string[] = [];

type Json = Record<string, unknown> & { embeds?: Record<string, unknown>[] };

/** The reply addresses submitted for one message's photos, in photo order. */
const addressesFor = (messageId: string): Record<string, unknown>[] =>
  addresses
    .map((a) => JSON.parse(a) as Record<string, unknown>)
    .filter((a) => a['messageId'] === messageId)
    .sort((a, b) => Number(a['index']) - Number(b['index']));
const body = (c: RecordedCall): Json => (c.json ?? {}) as Json;

/** Waits for every queued scan to be answered and every blob to be gone, then audits Redis. */
async function settleAndAudit(): Promise<void> {
  await stack.idle();
  let audit = await stack.audit();
  for (let i = 0; i < 200 && audit.blobKeys.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 25));
    audit = await stack.audit();
  }
  expect(audit.imageBytesFound).toBe(false);
  expect(audit.blobKeys).toEqual([]);
}

beforeAll(async () => {
  fake = await createFakeDiscord();
  stack = await createTestStack({
    db: 3,
    // Every test here posts as the same member; the per-user limit has its own test in the queue suite.
    limits: { ratePerMin: 1000 },
    senders: { discord: (result, sanitized) => adapter.sendResult(result, sanitized) },
  });
  const spy: ScanService = {
    submit(photo, reply: ReplyAddress, options) {
      addresses.push(JSON.stringify(reply));
      return stack.scanService.submit(photo, reply, options);
    },
  };
  const logger = createLogger(
    { level: 'debug' },
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        logLines.push(chunk.toString('utf8'));
        cb();
      },
    }),
  );
  adapter = createDiscordAdapter({
    config: parseDiscordConfig({ ...fake.env(), DISCORD_AUTOSCAN: 'true' }),
    scanService: spy,
    redis: stack.redis,
    logger,
    settings: createAutoscanSettingsStore({ redis: stack.redis, prefix: `${stack.prefix}:discord:autoscan` }),
  });
  await adapter.start();
});

afterEach(async () => {
  // A wrong API call answers 404 and the adapter only logs it: fail the test here instead.
  expect(fake.takeUnknownRoutes()).toEqual([]);
  await settleAndAudit();
  fake.setBotPermissions(BOT_BASE_PERMS | PERMS.ManageMessages);
});

afterAll(async () => {
  await adapter?.stop();
  await stack?.close();
  await fake?.close();
  // Secrets never reach the logs or the job data.
  const logs = logLines.join('');
  expect(logs).not.toContain(fake.token);
  expect(logs).not.toMatch(/hm=|\/cdn\/attachments|aW50ZXJhY3Rpb246/);
  for (const a of addresses) expect(a).not.toMatch(/aW50ZXJhY3Rpb246|https?:|cdn|\.jpg|\.png/);
});

function waitForEdit(token: string, pred: (c: RecordedCall) => boolean = () => true): Promise<RecordedCall> {
  return fake.waitForCall(
    (c) => c.method === 'PATCH' && c.rawPath.includes(`/${token}/messages/`) && pred(c),
  );
}

describe('Discord adapter (real discord.js, fake Discord, real queue)', () => {
  it('logs in through GET /gateway/bot with the intents it needs', () => {
    const gw = fake.callsTo('/api/v10/gateway/bot')[0];
    expect(gw?.auth).toBe(`Bot ${fake.token}`);
    const intents = fake.identifies[0]?.intents ?? 0;
    // Guilds | GuildMessages | DirectMessages | MessageContent (auto-scan enabled)
    expect(intents).toBe((1 << 0) | (1 << 9) | (1 << 12) | (1 << 15));
  });

  it('/check with a GPS photo: defers ephemerally first, then edits with a French embed and a copy without GPS', async () => {
    const att = fake.attachment(GPS, 'eiffel.jpg', 'image/jpeg');
    const payload = fake.checkInteraction(att, { locale: 'fr' });
    fake.dispatch('INTERACTION_CREATE', payload);
    const edit = await waitForEdit(payload.token, (c) => c.files.length > 0);

    const callback = fake.calls.find(
      (c) => c.rawPath === `/api/v10/interactions/${payload.id}/${payload.token}/callback`,
    );
    expect(callback?.json).toEqual({ type: 5, data: { flags: 64 } });
    expect(callback?.auth).toBeUndefined();
    const download = fake.calls.find((c) =>
      c.rawPath.startsWith(`/cdn/attachments/${fake.channelId}/${att.id}/`),
    );
    expect(download?.status).toBe(200);
    expect(callback!.seq).toBeLessThan(download!.seq);

    expect(edit.rawPath).toBe(
      `/api/v10/webhooks/${fake.applicationId}/${payload.token}/messages/%40original`,
    );
    expect(edit.auth).toBeUndefined();
    const embed = body(edit).embeds?.[0];
    expect(embed?.['title']).toBe(messagesFor('fr').verdict.high);
    expect(embed?.['color']).toBe(0xd93025);
    expect(String(embed?.['description'])).toContain(messagesFor('fr').headline.high);
    expect(edit.files).toHaveLength(1);
    const copy = edit.files[0]!;
    expect(copy.field).toBe('files[0]');
    expect(copy.filename).not.toContain('eiffel');
    expect(copy.bytes.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))).toBe(true);
    const before = (await exifr.gps(GPS)) as { latitude?: number } | undefined;
    expect(before?.latitude).toBeTypeOf('number');
    const after = (await exifr.parse(copy.bytes, { gps: true }).catch(() => undefined)) as
      Record<string, unknown> | undefined;
    expect(after?.['latitude']).toBeUndefined();
    expect(after?.['GPSLatitude']).toBeUndefined();
  });

  it('"Check photo" on a message with two images answers once with two embeds and two cleaned copies', async () => {
    const message = fake.userMessage([
      fake.attachment(GPS, 'a.jpg', 'image/jpeg'),
      fake.attachment(CLEAN, 'b.png', 'image/png'),
    ]);
    const payload = fake.contextMenuInteraction(message);
    fake.dispatch('INTERACTION_CREATE', payload);
    const edit = await waitForEdit(payload.token, (c) => c.files.length > 0);
    const embeds = body(edit).embeds ?? [];
    expect(embeds).toHaveLength(2);
    expect(String(embeds[0]?.['title'])).toContain(discordMessages('en').photoLabel(1, 2));
    expect(embeds[0]?.['color']).toBe(0xd93025);
    expect(embeds[1]?.['color']).not.toBe(0xd93025);
    expect(edit.files.map((f) => f.field)).toEqual(['files[0]', 'files[1]']);
    expect(fake.callsTo(`/interactions/${payload.id}/`)[0]?.json).toEqual({ type: 5, data: { flags: 64 } });
    const reply = {
      platform: 'discord',
      kind: 'interaction',
      channelId: fake.channelId,
      messageId: message.id,
      authorId: fake.memberId,
      guildId: fake.guildId,
      mode: null,
      total: 2,
    };
    expect(addressesFor(message.id)).toEqual([
      { ...reply, index: 1 },
      { ...reply, index: 2 },
    ]);
  });

  it('a non-image gets a visible refusal', async () => {
    const att = fake.attachment(Buffer.from('just some notes\n'.repeat(20)), 'notes.txt', 'text/plain');
    const payload = fake.checkInteraction(att);
    fake.dispatch('INTERACTION_CREATE', payload);
    const edit = await waitForEdit(payload.token);
    expect(edit.files).toHaveLength(0);
    expect(JSON.stringify(body(edit))).toContain(
      JSON.stringify(renderError('not_an_image', 'en')).slice(1, -1),
    );
  });

  it('an expired attachment URL is explained, not a crash', async () => {
    const att = fake.attachment(GPS, 'old.jpg', 'image/jpeg', { ttlMs: -60_000 });
    const payload = fake.checkInteraction(att);
    fake.dispatch('INTERACTION_CREATE', payload);
    const edit = await waitForEdit(payload.token);
    expect(body(edit).embeds?.[0]?.['description']).toBe(discordMessages('en').linkExpired);
  });

  it('a file above the limit is refused from its declared size, without downloading it', async () => {
    const att = fake.attachment(GPS, 'huge.jpg', 'image/jpeg', { declaredSize: 200 * 1024 * 1024 });
    const payload = fake.checkInteraction(att);
    fake.dispatch('INTERACTION_CREATE', payload);
    const edit = await waitForEdit(payload.token);
    expect(body(edit).embeds?.[0]?.['description']).toBe(renderError('file_too_large', 'en'));
    expect(fake.calls.some((c) => c.rawPath.includes(`/${att.id}/`))).toBe(false);
  });

  it('/autoscan by a member without Manage Server is refused, naming the permission', async () => {
    const payload = fake.autoscanInteraction('warn', { memberPermissions: BOT_BASE_PERMS });
    fake.dispatch('INTERACTION_CREATE', payload);
    const edit = await waitForEdit(payload.token);
    expect(body(edit)['content']).toBe(discordMessages('en').needManageGuild);
    expect(String(body(edit)['content'])).toContain('Manage Server');
    expect(fake.callsTo(`/interactions/${payload.id}/`)[0]?.json).toEqual({ type: 5, data: { flags: 64 } });
  });

  it('/autoscan replace without Manage Messages says what is missing and changes nothing', async () => {
    fake.setBotPermissions(BOT_BASE_PERMS);
    const payload = fake.autoscanInteraction('replace', {
      userId: fake.ownerId,
      memberPermissions: BOT_BASE_PERMS | PERMS.ManageGuild,
    });
    fake.dispatch('INTERACTION_CREATE', payload);
    const edit = await waitForEdit(payload.token);
    const content = String(body(edit)['content']);
    expect(content).toContain(discordMessages('en').missing.manage_messages);
    expect(content).not.toContain(discordMessages('en').missing.message_content);

    // Nothing was enabled: a risky photo posted now gets no answer.
    const before = fake.callsTo(`/channels/${fake.channelId}/messages`).length;
    fake.dispatch('MESSAGE_CREATE', fake.userMessage([fake.attachment(GPS, 'p.jpg', 'image/jpeg')]));
    await settleAndAudit();
    expect(fake.callsTo(`/channels/${fake.channelId}/messages`)).toHaveLength(before);
  });

  it('auto-scan warn: replies to a risky photo with kinds only, stays silent for a clean one', async () => {
    const payload = fake.autoscanInteraction('warn', {
      userId: fake.ownerId,
      memberPermissions: PERMS.ManageGuild,
      channelId: fake.otherChannelId,
    });
    fake.dispatch('INTERACTION_CREATE', payload);
    const saved = await waitForEdit(payload.token);
    expect(body(saved)['content']).toBe(
      discordMessages('en').autoscanSaved('warn', `<#${fake.otherChannelId}>`),
    );

    const clean = fake.userMessage([fake.attachment(CLEAN, 'c.png', 'image/png')], {
      channelId: fake.otherChannelId,
    });
    fake.dispatch('MESSAGE_CREATE', clean);
    await settleAndAudit();
    expect(fake.callsTo(`/channels/${fake.otherChannelId}/messages`)).toHaveLength(0);

    const risky = fake.userMessage([fake.attachment(GPS, 'r.jpg', 'image/jpeg')], {
      channelId: fake.otherChannelId,
    });
    fake.dispatch('MESSAGE_CREATE', risky);
    const post = await fake.waitForCall(
      (c) => c.method === 'POST' && c.rawPath === `/api/v10/channels/${fake.otherChannelId}/messages`,
    );
    const b = body(post);
    expect(b['message_reference']).toMatchObject({ message_id: risky.id });
    expect(String(b['content'])).toContain(`<@${fake.memberId}>`);
    expect(b['allowed_mentions']).toMatchObject({ users: [fake.memberId] });
    expect(post.files).toHaveLength(0);
    // A public reply never spells out the location.
    expect(JSON.stringify(b)).not.toMatch(/48[.,]8|2[.,]29|°/);
    expect(JSON.stringify(b)).toContain(messagesFor('en').kind.gps);
    expect(fake.callsTo(`/messages/${risky.id}`, 'DELETE')).toHaveLength(0);
    expect(addressesFor(risky.id)).toEqual([
      {
        platform: 'discord',
        kind: 'autoscan',
        channelId: fake.otherChannelId,
        messageId: risky.id,
        authorId: fake.memberId,
        guildId: fake.guildId,
        mode: 'warn',
        index: 1,
        total: 1,
      },
    ]);
  });

  it('auto-scan replace: deletes the original, then posts the cleaned copy mentioning the author', async () => {
    const payload = fake.autoscanInteraction('replace', {
      userId: fake.ownerId,
      memberPermissions: PERMS.ManageGuild,
    });
    fake.dispatch('INTERACTION_CREATE', payload);
    const saved = await waitForEdit(payload.token);
    expect(body(saved)['content']).toBe(discordMessages('en').autoscanSaved('replace', undefined));

    const risky = fake.userMessage([fake.attachment(GPS, 'r.jpg', 'image/jpeg')], {
      content: 'look at this',
    });
    fake.dispatch('MESSAGE_CREATE', risky);
    const post = await fake.waitForCall(
      (c) =>
        c.method === 'POST' &&
        c.rawPath === `/api/v10/channels/${fake.channelId}/messages` &&
        c.files.length > 0,
    );
    const del = fake.callsTo(`/api/v10/channels/${fake.channelId}/messages/${risky.id}`, 'DELETE')[0];
    expect(del?.status).toBe(204);
    expect(del!.seq).toBeLessThan(post.seq);
    expect(String(body(post)['content'])).toBe(
      discordMessages('en').replacePost(`<@${fake.memberId}>`, true),
    );
    const gps = (await exifr.parse(post.files[0]!.bytes, { gps: true }).catch(() => undefined)) as
      Record<string, unknown> | undefined;
    expect(gps?.['latitude']).toBeUndefined();
    expect(fake.messages.get(risky.id)?.deleted).toBe(true);
  });

  it('auto-scan replace after Manage Messages was taken away: says it could not delete, replies instead', async () => {
    // The server is still in replace mode from the previous test.
    fake.setBotPermissions(BOT_BASE_PERMS);
    const risky = fake.userMessage([fake.attachment(GPS, 'r2.jpg', 'image/jpeg')]);
    fake.dispatch('MESSAGE_CREATE', risky);
    const post = await fake.waitForCall(
      (c) =>
        c.method === 'POST' &&
        c.rawPath === `/api/v10/channels/${fake.channelId}/messages` &&
        JSON.stringify(c.json).includes(risky.id),
    );
    const del = fake.callsTo(`/messages/${risky.id}`, 'DELETE')[0];
    expect(del?.status).toBe(403);
    expect(body(post)['message_reference']).toMatchObject({ message_id: risky.id });
    expect(String(body(post)['content'])).toContain(discordMessages('en').couldNotDelete);
    expect(post.files).toHaveLength(0);
    expect(fake.messages.get(risky.id)?.deleted).toBe(false);
  });

  it('a DM with a photo is checked like /check and says the bot cannot delete it', async () => {
    const dm = fake.userMessage(
      [fake.attachment(GPS, 'd.jpg', 'image/jpeg', { channelId: fake.dmChannelId })],
      {
        dm: true,
      },
    );
    fake.dispatch('MESSAGE_CREATE', dm);
    const progress = await fake.waitForCall(
      (c) => c.method === 'POST' && c.rawPath === `/api/v10/channels/${fake.dmChannelId}/messages`,
    );
    expect(body(progress)['content']).toBe(discordMessages('en').checking(1));
    const edit = await fake.waitForCall(
      (c) => c.method === 'PATCH' && c.rawPath.startsWith(`/api/v10/channels/${fake.dmChannelId}/messages/`),
    );
    expect(body(edit)['content']).toBe(discordMessages('en').dmCannotDelete);
    expect(edit.files).toHaveLength(1);
    expect(fake.callsTo(`/messages/${dm.id}`, 'DELETE')).toHaveLength(0);
    expect(addressesFor(dm.id)).toEqual([
      {
        platform: 'discord',
        kind: 'dm',
        channelId: fake.dmChannelId,
        messageId: dm.id,
        authorId: fake.memberId,
        guildId: null,
        mode: null,
        index: 1,
        total: 1,
      },
    ]);
  });

  it('a photo the worker cannot decode ends in a visible failure', async () => {
    const broken = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(4000, 7)]);
    const att = fake.attachment(broken, 'broken.jpg', 'image/jpeg');
    const payload = fake.checkInteraction(att);
    fake.dispatch('INTERACTION_CREATE', payload);
    const edit = await waitForEdit(payload.token);
    const text = String(body(edit).embeds?.[0]?.['description']);
    const known = ERROR_CODES.map((c) => renderError(c, 'en'));
    expect(known).toContain(text);
    expect(text).not.toBe(renderError('internal', 'en'));
    expect(edit.files).toHaveLength(0);
  });

  it('a failing Discord call inside a handler is contained: the bot keeps answering', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown): void => {
      unhandled.push(e);
    };
    process.on('unhandledRejection', onUnhandled);
    try {
      fake.failNextCallback = { status: 404, code: 10062 };
      const first = fake.checkInteraction(fake.attachment(GPS, 'x.jpg', 'image/jpeg'));
      fake.dispatch('INTERACTION_CREATE', first);
      await fake.waitForCall((c) => c.rawPath.includes(`/interactions/${first.id}/`) && c.status === 404);
      const second = fake.checkInteraction(fake.attachment(CLEAN, 'y.png', 'image/png'));
      fake.dispatch('INTERACTION_CREATE', second);
      const edit = await waitForEdit(second.token, (c) => c.files.length > 0);
      expect(body(edit).embeds).toHaveLength(1);
      // The first photo was never downloaded: nothing was queued for an interaction we could not answer.
      expect(fake.calls.some((c) => c.rawPath.startsWith('/cdn/') && c.rawPath.includes('x.jpg'))).toBe(
        false,
      );
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
