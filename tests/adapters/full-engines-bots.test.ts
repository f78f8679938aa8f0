// One round trip per platform with the FULL engine (metadata, faces, OCR, codes in the scan thread):
// a photo with a face and personal text goes in, the reply names both, and the copy that comes back
// has the face pixelated and the text covered, checked on decoded pixels. Real grammY and
// discord.js against their fakes, real queue and worker on Redis DB 13.
import { beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../../src/adapters/discord/adapter.ts';
import { parseDiscordConfig } from '../../src/adapters/discord/config.ts';
import { createAutoscanSettingsStore } from '../../src/adapters/discord/settings.ts';
import { createTelegramAdapter, type TelegramAdapter } from '../../src/adapters/telegram/adapter.ts';
import { parseTelegramConfig } from '../../src/adapters/telegram/config.ts';
import { createLogger } from '../../src/log.ts';
import { messagesFor } from '../../src/render.ts';
import type { RiskReport, ScanResult } from '../../src/types.ts';
import { renderFaceTextCodePhoto } from '../../fixtures-kit/make-text-fixtures.ts';
import { checkCovered } from '../fixtures/pixels.ts';
import { createTestStack, type TestStack } from '../../fixtures-kit/test-stack.ts';
import { createFakeDiscord, type FakeDiscord, type RecordedCall } from './fake-discord.ts';
import { createFakeTelegram, type FakeTelegram } from './fake-telegram.ts';
import { endBotTests } from './bot-test-hooks.ts';

let photo: Buffer;
let stack: TestStack;
let tg: FakeTelegram;
let dc: FakeDiscord;
let telegram: TelegramAdapter;
let discord: DiscordAdapter;
/** The reports the worker produced, by platform (the replies carry no regions). */
const reports: Partial<Record<'telegram' | 'discord', RiskReport>> = {};
const keep = (r: ScanResult): void => {
  if (r.ok) reports[r.reply.platform] = r.report;
};

beforeAll(async () => {
  photo = await renderFaceTextCodePhoto();
  [tg, dc] = await Promise.all([createFakeTelegram(), createFakeDiscord()]);
  stack = await createTestStack({
    db: 13,
    checks: ['metadata', 'faces', 'text', 'codes'],
    // Engines on a loaded 2-core machine are several times slower than their deadlines assume.
    deadlineScale: 4,
    limits: { ratePerMin: 1000 },
    senders: {
      telegram: (r, s) => {
        keep(r);
        return telegram.sendResult(r, s);
      },
      discord: (r, s) => {
        keep(r);
        return discord.sendResult(r, s);
      },
    },
  });
  const logger = createLogger({ level: 'silent' });
  telegram = createTelegramAdapter({
    config: parseTelegramConfig({
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.apiRoot,
      TELEGRAM_KEY_PREFIX: `${stack.prefix}:tg:`,
    }),
    scanService: stack.scanService,
    redis: stack.redis,
    logger,
  });
  discord = createDiscordAdapter({
    config: parseDiscordConfig(dc.env()),
    scanService: stack.scanService,
    redis: stack.redis,
    logger,
    settings: createAutoscanSettingsStore({ redis: stack.redis, prefix: `${stack.prefix}:discord:autoscan` }),
  });
  await Promise.all([telegram.start(), discord.start()]);
}, 300_000);

endBotTests(() => ({ fakes: [tg, dc], adapters: [telegram, discord], stack }));

/** The copy covers the face and the text: their pixels changed, no other pixel did (PNG in and out). */
async function expectCovered(copy: Buffer, report: RiskReport | undefined): Promise<void> {
  expect(report).toBeDefined();
  const kinds = report!.findings.map((f) => f.kind);
  expect(kinds).toEqual(expect.arrayContaining(['face', 'email', 'phone']));
  const cover = await checkCovered(photo, copy, report!.findings);
  expect(cover.sameSize).toBe(true);
  const covered = new Set(cover.regions.map((r) => r.kind));
  for (const k of ['face', 'email', 'phone'] as const) expect([k, covered.has(k)]).toEqual([k, true]);
  for (const r of cover.regions) expect([r.kind, r.changed > 0.8]).toEqual([r.kind, true]);
  expect(cover.changedOutside).toBe(0);
}

const en = messagesFor('en');

describe('full engine, one round trip per platform', () => {
  it('Telegram: a PNG sent as a file; the reply names the face and the text; the document covers them', async () => {
    const u = { id: 9001, is_bot: false, first_name: 'Ana', language_code: 'en' };
    const chat = { id: u.id, type: 'private', first_name: u.first_name };
    const fileId = tg.addFile(photo, { ext: 'png' });
    tg.pushMessage({
      chat,
      from: u,
      document: {
        file_id: fileId,
        file_unique_id: `d${fileId}`,
        file_name: 'desk.png',
        mime_type: 'image/png',
        file_size: photo.length,
      },
    });
    const doc = await tg.waitFor((c) => c.method === 'sendDocument' && c.params['chat_id'] === u.id, 240_000);
    const final = await tg.waitFor(
      (c) => c.method === 'editMessageText' && c.params['chat_id'] === u.id,
      240_000,
    );
    const text = String(final.params['text']);
    expect(text).toContain(en.faces(1));
    expect(text).toMatch(/E-mail c\*+@e\*+\.org/);
    expect(text).toMatch(/Phone number/);
    await expectCovered(doc.files['document']!.bytes, reports.telegram);
  }, 300_000);

  it('Discord: /check on the PNG; the embed names the face and the text; the copy covers them', async () => {
    const att = dc.attachment(photo, 'desk.png', 'image/png');
    const payload = dc.checkInteraction(att, { locale: 'en-US' });
    dc.dispatch('INTERACTION_CREATE', payload);
    const edit: RecordedCall = await dc.waitForCall(
      (c) => c.method === 'PATCH' && c.rawPath.includes(`/${payload.token}/messages/`) && c.files.length > 0,
      240_000,
    );
    const embed = JSON.stringify((edit.json as { embeds?: unknown[] }).embeds ?? []);
    expect(embed).toContain(en.faces(1));
    expect(embed).toMatch(/E-mail c\*+@e\*+\.org/);
    expect(embed).toMatch(/Phone number/);
    await expectCovered(edit.files[0]!.bytes, reports.discord);
  }, 300_000);
});
