// The REAL grammY bot (long polling through @grammyjs/runner) against a fake Bot API server, through
// the real scan service, BullMQ queues, a real worker thread and real Redis (DB 2).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import exifr from 'exifr';
import { Redis } from 'ioredis';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTelegramAdapter, type TelegramAdapter } from '../../src/adapters/telegram/adapter.ts';
import { parseTelegramConfig } from '../../src/adapters/telegram/config.ts';
import { MESSAGES } from '../../src/adapters/telegram/messages.ts';
import { escapeHtml } from '../../src/adapters/telegram/render-html.ts';
import { createLogger } from '../../src/log.ts';
import { messagesFor, renderError } from '../../src/render.ts';
import type { ScanService, SubmitOutcome } from '../../src/scan-service.ts';
import type { ReplyAddress } from '../../src/types.ts';
import { createTestStack, type TestStack } from '../../fixtures-kit/test-stack.ts';
import {
  BOT_ID,
  createFakeTelegram,
  type ApiCall,
  type FakeTelegram,
  type FakeUser,
} from './fake-telegram.ts';
import { endBotTests } from './bot-test-hooks.ts';

const fixture = (name: string): Buffer =>
  readFileSync(new URL(`../fixtures/images/${name}`, import.meta.url));
const GPS_JPEG = fixture('gps_fujifilm-s2pro_eiffel-tower.jpg');
const HEIC = fixture('heic_iphone8_gps_office-desk.heic');
/** Only medium/low metadata (an embedded thumbnail, camera, empty GPS fields). */
const SAMSUNG = fixture('exif_orientation6_samsung-galaxy-s_portrait.jpg');
/** No findings at all. */
const ROCKET = fixture('negative_rocket-launchpad.jpg');

const en = MESSAGES.en;
const fr = MESSAGES.fr;

let fake: FakeTelegram;
let stack: TestStack;
let adapter: TelegramAdapter;
const logLines: string[] = [];
const submissions: { reply: ReplyAddress; outcome: Promise<SubmitOutcome> }[] = [];
let nextUser = 5000;

async function waitUntil<T>(fn: () => T | undefined, what: string, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function newUser(language_code = 'en'): FakeUser {
  return { id: nextUser++, is_bot: false, first_name: 'Ana', language_code };
}

const privateChat = (u: FakeUser) => ({ id: u.id, type: 'private', first_name: u.first_name });

function photoMessage(
  u: FakeUser,
  chat: { id: number; type: string },
  bytes: Buffer,
): Record<string, unknown> & { chat: { id: number; type: string } } {
  const small = fake.addFile(bytes);
  const big = fake.addFile(bytes);
  return {
    chat,
    from: u,
    photo: [
      { file_id: small, file_unique_id: 's' + small, width: 90, height: 60, file_size: 1000 },
      { file_id: big, file_unique_id: 'b' + big, width: 1280, height: 853, file_size: bytes.length },
    ],
  };
}

function documentMessage(
  u: FakeUser,
  chat: { id: number; type: string },
  bytes: Buffer,
  mime: string,
  opts: { size?: number; ext?: string; name?: string } = {},
): Record<string, unknown> & { chat: { id: number; type: string } } {
  const fileId = fake.addFile(bytes, { ext: opts.ext ?? 'jpg' });
  return {
    chat,
    from: u,
    document: {
      file_id: fileId,
      file_unique_id: 'd' + fileId,
      file_name: opts.name ?? 'IMG_0001.JPG',
      mime_type: mime,
      file_size: opts.size ?? bytes.length,
    },
  };
}

const isTo = (chatId: number, method?: string) => (c: ApiCall) =>
  c.params['chat_id'] === chatId && (method === undefined || c.method === method);
const textOf = (c: ApiCall): string => {
  const v = c.params['text'] ?? c.params['caption'];
  return typeof v === 'string' ? v : '';
};
const callsTo = (chatId: number): ApiCall[] => fake.calls.filter(isTo(chatId));

/** Waits for the scan of `messageId` to be queued (or refused), then for the queues to drain. */
async function settled(chatId: number, messageId: number): Promise<SubmitOutcome> {
  const s = await waitUntil(
    () => submissions.find((x) => x.reply['chatId'] === chatId && x.reply['messageId'] === messageId),
    `submit of message ${messageId}`,
  );
  const outcome = await s.outcome;
  await stack.idle();
  return outcome;
}

/** A DM round trip: push, wait for the final edit of the "Checking…" message. */
async function dmRoundTrip(
  u: FakeUser,
  message: Record<string, unknown> & { chat: { id: number; type: string } },
) {
  const sent = fake.pushMessage(message);
  const messageId = Number(sent['message_id']);
  const progress = await fake.waitFor(
    (c) =>
      isTo(u.id, 'sendMessage')(c) &&
      (c.params['reply_parameters'] as { message_id?: number } | undefined)?.message_id === messageId,
  );
  const progressId = (progress.result as { message_id: number }).message_id;
  const final = await fake.waitFor(
    (c) => isTo(u.id, 'editMessageText')(c) && c.params['message_id'] === progressId,
  );
  return { messageId, progress, progressId, final, calls: callsTo(u.id) };
}

beforeAll(async () => {
  fake = await createFakeTelegram();
  const capture = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logLines.push(chunk.toString('utf8'));
      cb();
    },
  });
  const logger = createLogger({ level: 'debug' }, capture);
  stack = await createTestStack({
    db: 2,
    senders: { telegram: (result, sanitized) => adapter.sendResult(result, sanitized) },
    limits: { ratePerMin: 1000 },
    logger,
  });
  const scanService: ScanService = {
    submit(photo, reply, options) {
      const outcome = stack.scanService.submit(photo, reply, options);
      submissions.push({ reply, outcome });
      return outcome;
    },
  };
  const config = parseTelegramConfig({
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_KEY_PREFIX: `${stack.prefix}:tg:`,
  });
  adapter = createTelegramAdapter({ config, scanService, redis: stack.redis, logger });
  await adapter.start();
});

endBotTests(() => ({ fakes: [fake], adapters: [adapter], stack }));

describe('Telegram bot: commands', () => {
  it('registers its commands in English and French, for private chats and groups', () => {
    const calls = fake.callsOf('setMyCommands');
    expect(calls).toHaveLength(4);
    const frPrivate = calls.find(
      (c) =>
        c.params['language_code'] === 'fr' &&
        (c.params['scope'] as { type: string }).type === 'all_private_chats',
    );
    expect(
      (frPrivate?.params['commands'] as { command: string; description: string }[]).map((c) => c.command),
    ).toEqual(['start', 'help', 'privacy']);
    const enGroup = calls.find(
      (c) =>
        c.params['language_code'] === undefined &&
        (c.params['scope'] as { type: string }).type === 'all_group_chats',
    );
    expect(JSON.stringify(enGroup?.params['commands'])).toContain('autoscan');
  });

  it('answers /start, /help and /privacy in the user language', async () => {
    const u = newUser('fr-FR');
    fake.pushMessage({
      chat: privateChat(u),
      from: u,
      text: '/start',
      entities: [{ type: 'bot_command', offset: 0, length: 6 }],
    });
    const start = await fake.waitFor(isTo(u.id, 'sendMessage'));
    expect(textOf(start)).toBe(fr.start(10));
    expect(textOf(start)).toContain('10 minutes');

    const v = newUser('en');
    fake.pushMessage({
      chat: privateChat(v),
      from: v,
      text: '/privacy',
      entities: [{ type: 'bot_command', offset: 0, length: 8 }],
    });
    const privacy = await fake.waitFor(isTo(v.id, 'sendMessage'));
    expect(textOf(privacy)).toMatch(/^What I keep: nothing for long\./);
    expect(textOf(privacy)).toContain(messagesFor('en').choices.privacy(10));
    expect(textOf(privacy)).toContain('at most 10 minutes');
    fake.pushMessage({
      chat: privateChat(v),
      from: v,
      text: '/help',
      entities: [{ type: 'bot_command', offset: 0, length: 5 }],
    });
    await fake.waitFor((c) => isTo(v.id, 'sendMessage')(c) && textOf(c) === en.help(10));
  });
});

describe('Telegram bot: private chats', () => {
  it('a compressed photo: progress at once, a cleaned photo back, the original deleted after the reply, and the metadata caveat', async () => {
    const u = newUser();
    // What Telegram delivers for a photo: a recompressed JPEG without metadata.
    const telegramPhoto = await sharp(ROCKET).jpeg({ quality: 80 }).toBuffer();
    const { messageId, progress, final, calls } = await dmRoundTrip(
      u,
      photoMessage(u, privateChat(u), telegramPhoto),
    );

    expect(textOf(progress)).toBe(en.checking);
    expect(calls.some((c) => c.method === 'sendChatAction')).toBe(true);
    // The largest size was downloaded.
    const getFile = fake.calls.filter((c) => c.method === 'getFile').at(-1);
    expect(String(getFile?.params['file_id'])).toMatch(/^file-\d+/);

    const photoCall = calls.find((c) => c.method === 'sendPhoto');
    expect(photoCall, 'the cleaned copy goes back as a photo').toBeDefined();
    expect(calls.some((c) => c.method === 'sendDocument')).toBe(false);
    const copy = photoCall!.files['photo']!.bytes;
    expect((await sharp(copy).metadata()).format).toBe('jpeg');

    const del = calls.findIndex((c) => c.method === 'deleteMessage' && c.params['message_id'] === messageId);
    expect(del).toBeGreaterThan(calls.indexOf(photoCall!));
    expect(fake.deleted.has(`${u.id}:${messageId}`)).toBe(true);

    const text = textOf(final);
    expect(final.params['parse_mode']).toBe('HTML');
    expect(text).toContain(escapeHtml(en.recompressed));
    expect(text).toContain('Telegram compressed this photo');
    expect(text).toContain('send the picture as a file');
    expect(text).toContain(en.deleted);
  });

  it('a file with GPS: the summary names the location, the cleaned document has no GPS, nothing stays in Redis', async () => {
    const u = newUser();
    const { messageId, final, calls } = await dmRoundTrip(
      u,
      documentMessage(u, privateChat(u), GPS_JPEG, 'image/jpeg'),
    );
    const text = textOf(final);
    expect(text).toContain('Location where the photo was taken');
    expect(text).toContain('<b>');
    expect(text).toContain(en.deleted);

    const docCall = calls.find((c) => c.method === 'sendDocument');
    expect(docCall, 'a file comes back as a file').toBeDefined();
    expect(calls.some((c) => c.method === 'sendPhoto')).toBe(false);
    expect(docCall!.files['document']!.filename).toBe('preflight-clean.jpg');
    const cleaned = docCall!.files['document']!.bytes;
    expect(await exifr.gps(GPS_JPEG)).toBeDefined();
    expect(await exifr.gps(cleaned)).toBeUndefined();
    expect(await exifr.parse(cleaned)).toBeUndefined();

    const callIndex = (c: ApiCall): number => calls.indexOf(c);
    const del = calls.find((c) => c.method === 'deleteMessage' && c.params['message_id'] === messageId);
    expect(callIndex(del!)).toBeGreaterThan(callIndex(docCall!));

    await stack.idle();
    const audit = await stack.audit();
    expect(audit.imageBytesFound).toBe(false);
    expect(audit.blobKeys).toEqual([]);

    console.log(`\n----- full English reply (HTML) -----\n${text}\n-----\n`);
  });

  it('answers in French when the user speaks French', async () => {
    const u = newUser('fr');
    const { final, calls } = await dmRoundTrip(u, documentMessage(u, privateChat(u), GPS_JPEG, 'image/jpeg'));
    expect(textOf(calls.find((c) => c.method === 'sendMessage')!)).toBe(fr.checking);
    const text = textOf(final);
    expect(text).toContain(fr.deleted);
    expect(text).toMatch(/Lieu|lieu|position|emplacement/i);
    expect(text).not.toContain('Location where');
    console.log(`\n----- full French reply (HTML) -----\n${text}\n-----\n`);
  });

  it('a HEIC file is checked and answered with a cleaned document without GPS', async () => {
    const u = newUser();
    const { final, calls } = await dmRoundTrip(
      u,
      documentMessage(u, privateChat(u), HEIC, 'image/heic', { ext: 'heic', name: 'IMG_1034.HEIC' }),
    );
    expect(textOf(final)).toContain('Location where the photo was taken');
    const doc = calls.find((c) => c.method === 'sendDocument');
    expect(doc).toBeDefined();
    const cleaned = doc!.files['document']!.bytes;
    expect(await exifr.gps(HEIC)).toBeDefined();
    expect(await exifr.gps(cleaned)).toBeUndefined();
    expect((await sharp(cleaned).metadata()).width).toBeGreaterThan(0);
  });

  it('a PDF gets an explanation at once, without any download', async () => {
    const u = newUser();
    const filesBefore = fake.callsOf('getFile').length;
    const sent = fake.pushMessage(
      documentMessage(u, privateChat(u), Buffer.from('%PDF-1.7\n'), 'application/pdf', { name: 'scan.pdf' }),
    );
    const reply = await fake.waitFor(isTo(u.id, 'sendMessage'));
    expect(textOf(reply)).toBe(en.refused('pdf'));
    expect((reply.params['reply_parameters'] as { message_id: number }).message_id).toBe(sent['message_id']);
    expect(fake.callsOf('getFile').length).toBe(filesBefore);
  });

  it('a file that claims to be binary but is a PDF is refused by the bytes sniff', async () => {
    const u = newUser();
    const { final, calls } = await dmRoundTrip(
      u,
      documentMessage(u, privateChat(u), Buffer.from('%PDF-1.7\n1 0 obj\n'), 'application/octet-stream', {
        ext: 'bin',
      }),
    );
    expect(textOf(final)).toBe(renderError('not_an_image', 'en'));
    expect(calls.some((c) => c.method === 'deleteMessage')).toBe(false);
  });

  it('video, voice and text get a short explanation', async () => {
    const u = newUser();
    fake.pushMessage({
      chat: privateChat(u),
      from: u,
      voice: { file_id: 'v1', file_unique_id: 'v1', duration: 3 },
    });
    await fake.waitFor((c) => isTo(u.id, 'sendMessage')(c) && textOf(c) === en.refused('voice'));
    fake.pushMessage({
      chat: privateChat(u),
      from: u,
      video: { file_id: 'v2', file_unique_id: 'v2', duration: 3, width: 1, height: 1 },
    });
    await fake.waitFor((c) => isTo(u.id, 'sendMessage')(c) && textOf(c) === en.refused('video'));
    fake.pushMessage({ chat: privateChat(u), from: u, text: 'hello' });
    await fake.waitFor((c) => isTo(u.id, 'sendMessage')(c) && textOf(c) === en.textHint);
  });

  it('a file over 20 MB gets the limit in plain words, without a download', async () => {
    const u = newUser();
    const filesBefore = fake.callsOf('getFile').length;
    fake.pushMessage(
      documentMessage(u, privateChat(u), Buffer.alloc(10), 'image/jpeg', { size: 25 * 1024 * 1024 }),
    );
    const reply = await fake.waitFor(isTo(u.id, 'sendMessage'));
    expect(textOf(reply)).toBe(en.tooBig('25.0'));
    expect(textOf(reply)).toContain('up to 20 MB');
    expect(fake.callsOf('getFile').length).toBe(filesBefore);
  });

  it('when Telegram says a file is too big at download time, the user hears the limit', async () => {
    const u = newUser();
    // The declared size was wrong: getFile refuses.
    const fileId = fake.addFile(Buffer.alloc(10), { tooBig: true });
    const { final } = await dmRoundTrip(u, {
      chat: privateChat(u),
      from: u,
      document: { file_id: fileId, file_unique_id: 'x' + fileId, mime_type: 'image/jpeg', file_size: 1000 },
    });
    expect(textOf(final)).toBe(en.tooBigUnknownSize);
    expect(textOf(final)).toContain('up to 20 MB');
  });

  it('a Bot API error on delete is reported to the user, not a crash', async () => {
    const u = newUser();
    fake.failNext('deleteMessage', 400, "Bad Request: message can't be deleted for everyone");
    const { final, calls } = await dmRoundTrip(u, documentMessage(u, privateChat(u), GPS_JPEG, 'image/jpeg'));
    expect(calls.some((c) => c.method === 'sendDocument')).toBe(true);
    expect(textOf(final)).toContain(en.deleteFailed);
    expect(textOf(final)).not.toContain(en.deleted);
    // Still alive: the next message is handled.
    fake.pushMessage({ chat: privateChat(u), from: u, text: 'still there?' });
    await fake.waitFor((c) => isTo(u.id, 'sendMessage')(c) && textOf(c) === en.textHint);
  });

  it('Telegram answering 429 (flood control) is waited out and retried: the user gets one copy', async () => {
    const u = newUser();
    const sentBefore = fake.callsOf('sendDocument').length;
    fake.failNext('sendDocument', 429, 'Too Many Requests: retry after 1', 1, 1);
    const { final } = await dmRoundTrip(u, documentMessage(u, privateChat(u), GPS_JPEG, 'image/jpeg'));
    const sends = fake.callsOf('sendDocument').slice(sentBefore);
    expect(sends.map((c) => c.ok)).toEqual([false, true]);
    expect(textOf(final)).toContain(en.deleted);
  });

  it('a slow download does not hold up other users', async () => {
    const slow = newUser();
    const quick = newUser();
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    const fileId = fake.addFile(GPS_JPEG, { hold });
    const before = fake.downloadsStarted;
    const sent = fake.pushMessage({
      chat: privateChat(slow),
      from: slow,
      document: {
        file_id: fileId,
        file_unique_id: 'slow',
        mime_type: 'image/jpeg',
        file_size: GPS_JPEG.length,
      },
    });
    await waitUntil(() => (fake.downloadsStarted > before ? true : undefined), 'the slow download to start');
    fake.pushMessage({ chat: privateChat(quick), from: quick, text: 'hello?' });
    await fake.waitFor((c) => isTo(quick.id, 'sendMessage')(c) && textOf(c) === en.textHint);
    // The slow one is still downloading: its submit has started but no answer has gone out.
    expect(submissions.some((s) => s.reply['chatId'] === slow.id)).toBe(true);
    expect(fake.calls.some(isTo(slow.id, 'editMessageText'))).toBe(false);
    release();
    expect((await settled(slow.id, Number(sent['message_id']))).status).toBe('queued');
    await fake.waitFor(isTo(slow.id, 'editMessageText'));
  });

  it('an album is checked photo by photo', async () => {
    const u = newUser();
    const a = fake.pushMessage({
      ...documentMessage(u, privateChat(u), GPS_JPEG, 'image/jpeg'),
      media_group_id: 'album1',
    });
    const b = fake.pushMessage({
      ...documentMessage(u, privateChat(u), ROCKET, 'image/jpeg'),
      media_group_id: 'album1',
    });
    await settled(u.id, Number(a['message_id']));
    await settled(u.id, Number(b['message_id']));
    await waitUntil(
      () => (fake.calls.filter(isTo(u.id, 'editMessageText')).length >= 2 ? true : undefined),
      'two replies',
    );
    expect(fake.calls.filter(isTo(u.id, 'sendDocument'))).toHaveLength(2);
    expect(fake.deleted.has(`${u.id}:${String(a['message_id'])}`)).toBe(true);
    expect(fake.deleted.has(`${u.id}:${String(b['message_id'])}`)).toBe(true);
  });
});

describe('Telegram bot: groups', () => {
  let nextGroup = -1001000000100;
  const newGroup = () => ({ id: nextGroup--, type: 'supergroup', title: 'Family' });
  const command = (u: FakeUser, chat: { id: number; type: string }, text: string) => {
    const sent = fake.pushMessage({
      chat,
      from: u,
      text,
      entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }],
    });
    return fake.waitFor(
      (c) =>
        isTo(chat.id, 'sendMessage')(c) &&
        (c.params['reply_parameters'] as { message_id?: number } | undefined)?.message_id ===
          sent['message_id'],
    );
  };

  it('/autoscan shows the mode; only administrators change it; the bot says which rights it lacks', async () => {
    const chat = newGroup();
    const admin = newUser();
    const member = newUser('fr');
    fake.setMember(chat.id, admin, 'administrator', { can_delete_messages: true });

    expect(textOf(await command(member, chat, '/autoscan'))).toBe(fr.group.status('off', 'medium'));
    expect(textOf(await command(member, chat, '/autoscan warn'))).toBe(fr.group.onlyAdmins);
    expect((await stack.redis.hgetall(`${stack.prefix}:tg:chat:${chat.id}`)).mode).toBeUndefined();

    // The bot is a plain member with privacy mode on: it cannot see photos.
    const warn = textOf(await command(admin, chat, '/autoscan warn'));
    expect(warn).toContain(en.group.changed('warn', 'medium'));
    expect(warn).toContain(en.group.needSeePhotos);
    expect(await stack.redis.hgetall(`${stack.prefix}:tg:chat:${chat.id}`)).toMatchObject({
      mode: 'warn',
      threshold: 'medium',
    });

    // Admin without the delete right: replace cannot work yet.
    fake.setMember(chat.id, fake.botUser, 'administrator', { can_delete_messages: false });
    const replace = textOf(await command(admin, chat, '/autoscan replace'));
    expect(replace).toContain(en.group.needDelete);
    expect(replace).not.toContain(en.group.needSeePhotos);

    fake.setMember(chat.id, fake.botUser, 'administrator', { can_delete_messages: true });
    const ok = textOf(await command(admin, chat, '/autoscan replace'));
    expect(ok).toContain(en.group.rightsOk('replace'));

    expect(textOf(await command(admin, chat, '/autoscan threshold high'))).toBe(
      `${en.group.changed('replace', 'high')}\n\n${en.group.rightsOk('replace')}`,
    );
    expect(textOf(await command(admin, chat, '/autoscan sometimes'))).toBe(en.group.usage);
    expect(fake.callsOf('getChatMember').some((c) => c.params['user_id'] === BOT_ID)).toBe(true);
  });

  it('off: photos are not even downloaded', async () => {
    const chat = newGroup();
    const u = newUser();
    const filesBefore = fake.callsOf('getFile').length;
    const sent = fake.pushMessage(documentMessage(u, chat, GPS_JPEG, 'image/jpeg'));
    // A later command proves the photo update was handled before it.
    await command(u, chat, '/autoscan');
    expect(
      submissions.some((s) => s.reply['chatId'] === chat.id && s.reply['messageId'] === sent['message_id']),
    ).toBe(false);
    expect(fake.callsOf('getFile').length).toBe(filesBefore);
  });

  it('warn: a risky photo gets a reply with the summary and no copy; a clean one gets nothing; never a progress message', async () => {
    const chat = newGroup();
    const admin = newUser();
    const member = newUser();
    fake.setMember(chat.id, admin, 'creator');
    fake.setMember(chat.id, fake.botUser, 'administrator', { can_delete_messages: false });
    await command(admin, chat, '/autoscan warn');
    const before = callsTo(chat.id).length;

    const risky = fake.pushMessage(documentMessage(member, chat, GPS_JPEG, 'image/jpeg'));
    expect((await settled(chat.id, Number(risky['message_id']))).status).toBe('queued');
    const clean = fake.pushMessage(photoMessage(member, chat, ROCKET));
    expect((await settled(chat.id, Number(clean['message_id']))).status).toBe('queued');

    const after = callsTo(chat.id).slice(before);
    expect(after.map((c) => c.method)).toEqual(['sendMessage']);
    const warn = after[0]!;
    expect((warn.params['reply_parameters'] as { message_id: number }).message_id).toBe(risky['message_id']);
    expect(textOf(warn)).toContain(en.group.warnIntro);
    expect(textOf(warn)).toContain('Location where the photo was taken');
    expect(fake.deleted.has(`${chat.id}:${String(risky['message_id'])}`)).toBe(false);
  });

  it('threshold: findings below the chat threshold get no reply', async () => {
    const chat = newGroup();
    const admin = newUser();
    fake.setMember(chat.id, admin, 'administrator');
    await command(admin, chat, '/autoscan warn');
    await command(admin, chat, '/autoscan threshold high');
    const before = callsTo(chat.id).length;
    const medium = fake.pushMessage(documentMessage(admin, chat, SAMSUNG, 'image/jpeg'));
    await settled(chat.id, Number(medium['message_id']));
    expect(callsTo(chat.id).slice(before)).toEqual([]);

    await command(admin, chat, '/autoscan threshold medium');
    const again = fake.pushMessage(documentMessage(admin, chat, SAMSUNG, 'image/jpeg'));
    await settled(chat.id, Number(again['message_id']));
    await fake.waitFor(
      (c) =>
        isTo(chat.id, 'sendMessage')(c) &&
        (c.params['reply_parameters'] as { message_id?: number } | undefined)?.message_id ===
          again['message_id'],
    );
  });

  it('replace: the risky photo is deleted and a cleaned copy is posted with the summary and a mention of the sender', async () => {
    const chat = newGroup();
    const admin = newUser();
    const member: FakeUser = { ...newUser(), first_name: 'Zoé <b>' };
    fake.setMember(chat.id, admin, 'administrator');
    fake.setMember(chat.id, member, 'member');
    fake.setMember(chat.id, fake.botUser, 'administrator', { can_delete_messages: true });
    await command(admin, chat, '/autoscan replace');
    const before = callsTo(chat.id).length;

    const risky = fake.pushMessage(documentMessage(member, chat, GPS_JPEG, 'image/jpeg'));
    await settled(chat.id, Number(risky['message_id']));
    const after = callsTo(chat.id).slice(before);
    expect(after.map((c) => c.method)).toEqual(['deleteMessage', 'getChatMember', 'sendDocument']);
    expect(fake.deleted.has(`${chat.id}:${String(risky['message_id'])}`)).toBe(true);
    const post = after[2]!;
    const caption = textOf(post);
    expect(caption).toContain(`<a href="tg://user?id=${member.id}">Zoé &lt;b&gt;</a>`);
    expect(caption).toContain('Location where the photo was taken');
    expect(caption.length).toBeLessThanOrEqual(1024);
    expect(await exifr.gps(post.files['document']!.bytes)).toBeUndefined();
  });

  it('replace without the delete right: nothing is reposted, the group is warned and told what is missing', async () => {
    const chat = newGroup();
    const admin = newUser();
    fake.setMember(chat.id, admin, 'administrator');
    await command(admin, chat, '/autoscan replace');
    // The right was removed after the mode was set.
    fake.setMember(chat.id, fake.botUser, 'member');
    const before = callsTo(chat.id).length;
    const risky = fake.pushMessage(photoMessage(admin, chat, GPS_JPEG));
    await settled(chat.id, Number(risky['message_id']));
    const after = callsTo(chat.id).slice(before);
    expect(after.map((c) => [c.method, c.ok])).toEqual([
      ['deleteMessage', false],
      ['sendMessage', true],
    ]);
    expect(textOf(after[1]!)).toContain(en.group.cannotDelete);
  });
});

describe('Telegram bot: privacy', () => {
  it('leaves no image bytes and no blobs in Redis, and never logs the token or file paths', async () => {
    await stack.idle();
    const audit = await stack.audit();
    expect(audit.imageBytesFound).toBe(false);
    expect(audit.blobsWithoutTtl).toEqual([]);
    expect(audit.blobKeys).toEqual([]);
    const logs = logLines.join('');
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).toContain('scan queued');
    expect(logs).not.toContain(fake.token);
    expect(logs).not.toContain(fake.token.split(':')[1]);
    expect(logs).not.toMatch(/documents\/file_\d+/);
    expect(logs).not.toContain('IMG_0001');
    expect(logs).not.toContain('48.85');
  });
});

const freePort = (): Promise<number> =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => resolve(p));
    });
  });

describe('Telegram bot: webhook mode', () => {
  it('serves updates on the webhook path, and only with the secret it registered', async () => {
    const port = await freePort();
    const config = parseTelegramConfig({
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/tg-hook',
      TELEGRAM_WEBHOOK_PORT: String(port),
      TELEGRAM_KEY_PREFIX: `${stack.prefix}:tgw:`,
    });
    const hooked = createTelegramAdapter({
      config,
      scanService: stack.scanService,
      redis: stack.redis,
      logger: createLogger({ level: 'silent' }),
    });
    await hooked.start();
    try {
      const setWebhook = await fake.waitFor((c) => c.method === 'setWebhook');
      expect(setWebhook.params['url']).toBe('https://bot.example.org/tg-hook');
      const secret = String(setWebhook.params['secret_token']);
      expect(secret).toMatch(/^[0-9a-f]{48}$/);
      const u = newUser();
      const update = {
        update_id: 1,
        message: { message_id: 1, date: 0, chat: privateChat(u), from: u, text: 'hi' },
      };
      const post = (headers: Record<string, string>) =>
        fetch(`http://127.0.0.1:${port}/tg-hook`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(update),
        });
      expect((await post({})).status).toBe(401);
      expect((await post({ 'x-telegram-bot-api-secret-token': secret })).status).toBe(200);
      await fake.waitFor((c) => isTo(u.id, 'sendMessage')(c) && textOf(c) === en.textHint);
    } finally {
      await hooked.stop();
    }
  });

  it('answers /autoscan with an honest error when the settings store (Redis) is down', async () => {
    const port = await freePort();
    const dead = new Redis({
      port: await freePort(),
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    dead.on('error', () => undefined);
    const config = parseTelegramConfig({
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/down',
      TELEGRAM_WEBHOOK_PORT: String(port),
    });
    const down = createTelegramAdapter({
      config,
      scanService: stack.scanService,
      redis: dead,
      logger: createLogger({ level: 'silent' }),
    });
    await down.start();
    try {
      const secret = String(
        (
          await fake.waitFor(
            (c) => c.method === 'setWebhook' && c.params['url'] === 'https://bot.example.org/down',
          )
        ).params['secret_token'],
      );
      const admin = newUser('fr');
      const chat = { id: -1009999, type: 'supergroup', title: 'G' };
      const update = {
        update_id: 2,
        message: {
          message_id: 9,
          date: 0,
          chat,
          from: admin,
          text: '/autoscan warn',
          entities: [{ type: 'bot_command', offset: 0, length: 9 }],
        },
      };
      const res = await fetch(`http://127.0.0.1:${port}/down`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
        body: JSON.stringify(update),
      });
      expect(res.status).toBe(200);
      const reply = await fake.waitFor(isTo(chat.id, 'sendMessage'));
      expect(textOf(reply)).toBe(renderError('queue_unavailable', 'fr'));
    } finally {
      await down.stop();
      dead.disconnect();
    }
  });
});
