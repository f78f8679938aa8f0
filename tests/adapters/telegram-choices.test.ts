// The face choices end to end: the REAL grammY bot against the fake Bot API, through the real scan
// service, BullMQ queues, a worker thread with the real face engine and real Redis (DB 6). A DM photo
// of two adults and an infant; taps on the copy's buttons; /settings across a restart.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTelegramAdapter, type TelegramAdapter } from '../../src/adapters/telegram/adapter.ts';
import { parseTelegramConfig } from '../../src/adapters/telegram/config.ts';
import type { ChoiceDeps } from '../../src/choices/kit.ts';
import { en } from '../../src/i18n/en.ts';
import { fr } from '../../src/i18n/fr.ts';
import { createLogger } from '../../src/log.ts';
import { createMetrics } from '../../src/metrics.ts';
import type { Region, ScanResult } from '../../src/types.ts';
import { createTestStack, type TestStack } from '../../fixtures-kit/test-stack.ts';
import { createFakeTelegram, type ApiCall, type FakeTelegram, type FakeUser } from './fake-telegram.ts';
import { endBotTests } from './bot-test-hooks.ts';

/** Two adults holding an infant (manifest: 3 faces, child_present). */
const FAMILY = readFileSync(new URL('../fixtures/images/faces_parents_with-infant.jpg', import.meta.url));
const TTL_MS = 8_000;

let fake: FakeTelegram;
let stack: TestStack;
let adapter: TelegramAdapter;
const results: ScanResult[] = [];
const metrics = createMetrics({ defaultMetrics: false });
let nextUser = 7000;
const logger = createLogger({ level: 'silent' });
const choiceDeps = (): ChoiceDeps => ({
  blobs: stack.blobs,
  userSecret: SECRET,
  ttlMs: TTL_MS,
  metrics,
});
const SECRET = randomBytes(32);

function newUser(language_code = 'en'): FakeUser {
  return { id: nextUser++, is_bot: false, first_name: 'Ana', language_code };
}

function startAdapter(): Promise<void> {
  const config = parseTelegramConfig({
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_KEY_PREFIX: `${stack.prefix}:tg:`,
  });
  adapter = createTelegramAdapter({
    config,
    scanService: stack.scanService,
    redis: stack.redis,
    logger,
    choices: choiceDeps(),
  });
  return adapter.start();
}

beforeAll(async () => {
  fake = await createFakeTelegram();
  stack = await createTestStack({
    db: 6,
    checks: ['metadata', 'faces'],
    senders: {
      telegram: (result, sanitized) => {
        results.push(result);
        return adapter.sendResult(result, sanitized);
      },
    },
    limits: { ratePerMin: 1000 },
  });
  await startAdapter();
}, 120_000);

endBotTests(() => ({ fakes: [fake], adapters: [adapter], stack }));

/** Sends `bytes` as a photo from `u`; resolves with the copy's sendPhoto call and the scan's result. */
async function sendPhoto(
  u: FakeUser,
  bytes: Buffer,
): Promise<{ copy: ApiCall; result: Extract<ScanResult, { ok: true }> }> {
  const fileId = fake.addFile(bytes);
  const sent = fake.pushMessage({
    chat: { id: u.id, type: 'private' },
    from: u,
    photo: [
      { file_id: fileId, file_unique_id: 'b' + fileId, width: 1000, height: 667, file_size: bytes.length },
    ],
  });
  const copy = await fake.waitFor(
    (c) => c.method === 'sendPhoto' && c.params['chat_id'] === u.id && c.ok,
    120_000,
  );
  await fake.waitFor((c) => c.method === 'editMessageText' && c.params['chat_id'] === u.id, 60_000);
  await stack.idle();
  const result = results.find(
    (r) => r.reply['chatId'] === u.id && r.reply['messageId'] === sent['message_id'],
  );
  if (!result?.ok) throw new Error('no ok result for the photo');
  return { copy, result };
}

type Keyboard = { text: string; callback_data: string }[][];
const buttonsOf = (c: ApiCall): { text: string; callback_data: string }[] =>
  ((c.params['reply_markup'] as { inline_keyboard?: Keyboard } | undefined)?.inline_keyboard ?? []).flat();

/** Mean absolute difference of two images' RGB pixels inside `r` (same size images). */
async function diffIn(a: Buffer, b: Buffer, r: Region): Promise<number> {
  const [ra, rb] = await Promise.all(
    [a, b].map((x) =>
      sharp(x)
        .removeAlpha()
        .extract({
          left: Math.round(r.x),
          top: Math.round(r.y),
          width: Math.round(r.width),
          height: Math.round(r.height),
        })
        .raw()
        .toBuffer(),
    ),
  );
  let sum = 0;
  for (let i = 0; i < ra!.length; i++) sum += Math.abs(ra![i]! - rb![i]!);
  return sum / ra!.length;
}

/** Taps `data` on the copy message as `u`; resolves with the bot's answerCallbackQuery call. */
async function tap(u: FakeUser, copy: ApiCall, data: string): Promise<ApiCall> {
  const message = copy.result as Record<string, unknown>;
  const id = fake.pushCallback(u, message, data);
  return fake.waitFor(
    (c) => c.method === 'answerCallbackQuery' && c.params['callback_query_id'] === id,
    30_000,
  );
}

const faceBoxes = (result: Extract<ScanResult, { ok: true }>) => {
  const faces = result.report.findings.filter((f) => f.kind === 'face');
  const minors = result.report.findings.filter((f) => f.kind === 'possible_minor').map((f) => f.region!);
  const isChild = (r: Region) => minors.some((m) => Math.abs(m.x - r.x) < 4 && Math.abs(m.y - r.y) < 4);
  return {
    adults: faces.map((f) => f.region!).filter((r) => !isChild(r)),
    children: faces.map((f) => f.region!).filter(isChild),
  };
};

describe('Telegram face choices', () => {
  const owner = newUser('en');
  let copy: ApiCall;
  let result: Extract<ScanResult, { ok: true }>;
  let adults: Region[];
  let children: Region[];

  it('sends the copy with every face pixelated by default, and buttons carrying only the scan id and the choice', async () => {
    ({ copy, result } = await sendPhoto(owner, FAMILY));
    ({ adults, children } = faceBoxes(result));
    // In-sample: the engine finds the two adults and the infant in this fixture.
    expect(adults).toHaveLength(2);
    expect(children).toHaveLength(1);
    const bytes = copy.files['photo']!.bytes;
    for (const r of [...adults, ...children]) expect(await diffIn(FAMILY, bytes, r)).toBeGreaterThan(12);
    expect(String(copy.params['caption'])).toContain(en.choices.caption.all);
    const buttons = buttonsOf(copy);
    expect(buttons.map((b) => b.text)).toEqual([
      en.choices.button.minors,
      en.choices.button.none,
      en.choices.where,
    ]);
    for (const b of buttons)
      expect(b.callback_data).toMatch(new RegExp(`^c1:${result.scanId}:(minors|none|where)$`));
    expect(result.report.variants?.choices.map((c) => c.faces)).toEqual(['all', 'minors', 'none']);
  }, 180_000);

  it('keeps the copies only encrypted, with a TTL, and no original', async () => {
    const audit = await stack.audit();
    expect(audit.imageBytesFound).toBe(false);
    expect(audit.blobsWithoutTtl).toEqual([]);
    // all, minors, none and the picture; the original was deleted after the scan.
    expect(audit.blobKeys.sort()).toEqual(
      [...Object.values(result.variantBlobKeys ?? {}), result.previewBlobKey!].sort(),
    );
    for (const k of audit.blobKeys) expect(await stack.redis.pttl(k)).toBeLessThanOrEqual(TTL_MS);
  });

  it('refuses a tap by someone else and leaves the copy alone', async () => {
    const other = newUser('fr');
    const edits = fake.callsOf('editMessageMedia').length;
    const answer = await tap(other, copy, `c1:${result.scanId}:none`);
    expect(answer.params['text']).toBe(fr.choices.notYours);
    expect(fake.callsOf('editMessageMedia')).toHaveLength(edits);
  });

  it("swaps the copy in place on \"keep adults' faces\": adults' pixels are the original's, the child's are not", async () => {
    const answer = await tap(owner, copy, `c1:${result.scanId}:minors`);
    expect(answer.params['text']).toBeUndefined();
    const edit = await fake.waitFor(
      (c) => c.method === 'editMessageMedia' && c.params['chat_id'] === owner.id,
    );
    expect(edit.params['message_id']).toBe((copy.result as { message_id: number }).message_id);
    const bytes = edit.files['media']!.bytes;
    for (const r of adults) expect(await diffIn(FAMILY, bytes, r)).toBeLessThan(6);
    for (const r of children) expect(await diffIn(FAMILY, bytes, r)).toBeGreaterThan(12);
    const media = edit.params['media'] as { caption: string };
    expect(media.caption).toContain(en.choices.caption.minors);
    expect(buttonsOf(edit).map((b) => b.text)).toEqual([
      en.choices.button.all,
      en.choices.button.none,
      en.choices.where,
    ]);
  });

  it('"Show where" sends the small numbered picture under the copy', async () => {
    await tap(owner, copy, `c1:${result.scanId}:where`);
    const where = await fake.waitFor(
      (c) =>
        c.method === 'sendPhoto' &&
        c.params['chat_id'] === owner.id &&
        c.params['caption'] === en.choices.whereCaption,
    );
    const meta = await sharp(where.files['photo']!.bytes).metadata();
    expect(Math.max(meta.width, meta.height)).toBeLessThanOrEqual(640);
  });

  it('answers "expired" after the TTL, and Redis then holds no variant', async () => {
    // Waits (no timing asserted) until the record and the copies have expired.
    const until = Date.now() + 30_000;
    const live = async (): Promise<boolean> =>
      (await stack.redis.exists(`${stack.prefix}:tg::choice:${result.scanId}`)) === 1 ||
      (await stack.audit()).blobKeys.length > 0;
    while ((await live()) && Date.now() < until) await new Promise((r) => setTimeout(r, 250));
    const answer = await tap(owner, copy, `c1:${result.scanId}:none`);
    expect(answer.params['text']).toBe(en.choices.expired);
    const audit = await stack.audit();
    expect(audit.blobKeys).toEqual([]);
    expect(audit.imageBytesFound).toBe(false);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/preflight_choice_expiries_total 1/);
    expect(text).toMatch(/preflight_choices_total\{choice="minors"\} 1/);
    expect(text).toMatch(/preflight_choices_total\{choice="refused"\} 1/);
  }, 60_000);
});

describe('Telegram /settings', () => {
  it("changes the next photo's default, and the setting survives a restart", async () => {
    const u = newUser('fr');
    fake.pushMessage({
      chat: { id: u.id, type: 'private' },
      from: u,
      text: '/settings',
      entities: [{ type: 'bot_command', offset: 0, length: 9 }],
    });
    const menu = await fake.waitFor((c) => c.method === 'sendMessage' && c.params['chat_id'] === u.id);
    expect(menu.params['text']).toBe(fr.choices.settingsIntro(fr.choices.button.all));
    expect(buttonsOf(menu).map((b) => b.callback_data)).toEqual(['s1:all', 's1:minors', 's1:none']);
    const id = fake.pushCallback(u, menu.result as Record<string, unknown>, 's1:minors');
    await fake.waitFor((c) => c.method === 'answerCallbackQuery' && c.params['callback_query_id'] === id);
    const saved = await fake.waitFor((c) => c.method === 'editMessageText' && c.params['chat_id'] === u.id);
    expect(saved.params['text']).toBe(fr.choices.settingsSaved(fr.choices.button.minors));
    // Only an HMAC of the user id is stored, with the choice alone.
    const keys = await stack.redis.keys(`${stack.prefix}:tg::user:*`);
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toContain(String(u.id));
    expect(await stack.redis.get(keys[0]!)).toBe('minors');

    await adapter.stop();
    await startAdapter();

    const { copy, result } = await sendPhoto(u, FAMILY);
    expect(result.report.variants?.current).toBe('minors');
    expect(String(copy.params['caption'])).toContain(fr.choices.caption.minors);
    const { adults, children } = faceBoxes(result);
    const bytes = copy.files['photo']!.bytes;
    for (const r of adults) expect(await diffIn(FAMILY, bytes, r)).toBeLessThan(6);
    for (const r of children) expect(await diffIn(FAMILY, bytes, r)).toBeGreaterThan(12);
    expect(buttonsOf(copy).map((b) => b.text)).toEqual([
      fr.choices.button.all,
      fr.choices.button.none,
      fr.choices.where,
    ]);
  }, 180_000);
});
