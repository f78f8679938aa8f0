// The face choices on Discord end to end: real discord.js against the fake Discord, the real queue, a
// worker thread with the real face engine, real Redis (DB 7). /check of two adults and an infant,
// taps on the ephemeral reply's buttons, /settings.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../../src/adapters/discord/adapter.ts';
import { parseDiscordConfig } from '../../src/adapters/discord/config.ts';
import { en } from '../../src/i18n/en.ts';
import { fr } from '../../src/i18n/fr.ts';
import { createLogger } from '../../src/log.ts';
import type { Region, ScanResult } from '../../src/types.ts';
import { createTestStack, type TestStack } from '../../fixtures-kit/test-stack.ts';
import { createFakeDiscord, type FakeDiscord, type RecordedCall } from './fake-discord.ts';
import { endBotTests } from './bot-test-hooks.ts';

const FAMILY = readFileSync(new URL('../fixtures/images/faces_parents_with-infant.jpg', import.meta.url));

let fake: FakeDiscord;
let stack: TestStack;
let adapter: DiscordAdapter;
const results: ScanResult[] = [];

beforeAll(async () => {
  fake = await createFakeDiscord();
  stack = await createTestStack({
    db: 7,
    checks: ['metadata', 'faces'],
    limits: { ratePerMin: 1000 },
    senders: {
      discord: (result, sanitized) => {
        results.push(result);
        return adapter.sendResult(result, sanitized);
      },
    },
  });
  adapter = createDiscordAdapter({
    config: parseDiscordConfig(fake.env()),
    scanService: stack.scanService,
    redis: stack.redis,
    logger: createLogger({ level: 'silent' }),
    choices: { blobs: stack.blobs, userSecret: randomBytes(32), ttlMs: 60_000, prefix: `${stack.prefix}:dc` },
  });
  await adapter.start();
}, 120_000);

endBotTests(() => ({ fakes: [fake], adapters: [adapter], stack }));

const callbackOf = (p: { id: string; token: string }): Promise<RecordedCall> =>
  fake.waitForCall((c) => c.rawPath === `/api/v10/interactions/${p.id}/${p.token}/callback`);
type Row = { components: { label: string; custom_id: string }[] };
const buttonsOf = (json: unknown): { label: string; custom_id: string }[] =>
  ((json as { components?: Row[] } | undefined)?.components ?? []).flatMap((r) => r.components);
const dataOf = (c: RecordedCall): Record<string, unknown> =>
  (c.json as { data?: Record<string, unknown> }).data ?? {};

async function diffIn(a: Buffer, b: Buffer, r: Region): Promise<number> {
  const box = {
    left: Math.round(r.x),
    top: Math.round(r.y),
    width: Math.round(r.width),
    height: Math.round(r.height),
  };
  const [ra, rb] = await Promise.all([a, b].map((x) => sharp(x).removeAlpha().extract(box).raw().toBuffer()));
  let sum = 0;
  for (let i = 0; i < ra!.length; i++) sum += Math.abs(ra![i]! - rb![i]!);
  return sum / ra!.length;
}

describe('Discord face choices', () => {
  let reply: RecordedCall;
  let result: Extract<ScanResult, { ok: true }>;

  it('answers /check with the copy, every face pixelated, and buttons for the other choices', async () => {
    const att = fake.attachment(FAMILY, 'family.jpg', 'image/jpeg');
    const payload = fake.checkInteraction(att, { userId: fake.memberId });
    fake.dispatch('INTERACTION_CREATE', payload);
    reply = await fake.waitForCall(
      (c) => c.method === 'PATCH' && c.rawPath.includes(`/${payload.token}/messages/`) && c.files.length > 0,
      120_000,
    );
    await stack.idle();
    const r = results.find((x) => x.ok);
    if (!r?.ok) throw new Error('no result');
    result = r;
    expect(String((reply.json as { content?: string }).content)).toContain(en.choices.caption.all);
    const buttons = buttonsOf(reply.json);
    expect(buttons.map((b) => b.label)).toEqual([
      en.choices.button.minors,
      en.choices.button.none,
      en.choices.where,
    ]);
    for (const b of buttons)
      expect(b.custom_id).toMatch(new RegExp(`^c1:${result.scanId}:(minors|none|where)$`));
    const audit = await stack.audit();
    expect(audit.imageBytesFound).toBe(false);
    expect(audit.blobKeys).toHaveLength(4);
  }, 180_000);

  it('refuses a tap by someone else', async () => {
    const tap = fake.buttonInteraction({ id: '1', flags: 64 }, `c1:${result.scanId}:none`, {
      userId: fake.ownerId,
      locale: 'fr',
    });
    fake.dispatch('INTERACTION_CREATE', tap);
    const cb = await callbackOf(tap);
    expect((cb.json as { type: number }).type).toBe(4);
    expect(dataOf(cb)['content']).toBe(fr.choices.notYours);
    expect(cb.files).toHaveLength(0);
  });

  it("updates the reply in place on \"keep adults' faces\": adults' pixels are the original's, the child's not", async () => {
    const tap = fake.buttonInteraction({ id: '1', flags: 64 }, `c1:${result.scanId}:minors`, {
      userId: fake.memberId,
    });
    fake.dispatch('INTERACTION_CREATE', tap);
    const cb = await callbackOf(tap);
    expect((cb.json as { type: number }).type).toBe(7);
    expect(cb.files).toHaveLength(1);
    const bytes = cb.files[0]!.bytes;
    const faces = result.report.findings.filter((f) => f.kind === 'face').map((f) => f.region!);
    const minors = result.report.findings.filter((f) => f.kind === 'possible_minor').map((f) => f.region!);
    const isChild = (r: Region): boolean => minors.some((m) => Math.abs(m.x - r.x) < 4);
    expect(faces.filter(isChild)).toHaveLength(1);
    for (const r of faces.filter((f) => !isChild(f))) expect(await diffIn(FAMILY, bytes, r)).toBeLessThan(6);
    for (const r of faces.filter(isChild)) expect(await diffIn(FAMILY, bytes, r)).toBeGreaterThan(12);
    expect(String(dataOf(cb)['content'])).toContain(en.choices.caption.minors);
    expect(buttonsOf(dataOf(cb)).map((b) => b.label)).toEqual([
      en.choices.button.all,
      en.choices.button.none,
      en.choices.where,
    ]);
  });

  it('/settings saves the default face choice', async () => {
    const cmd = fake.settingsInteraction({ userId: fake.memberId, locale: 'fr' });
    fake.dispatch('INTERACTION_CREATE', cmd);
    const menu = await callbackOf(cmd);
    expect(dataOf(menu)['content']).toBe(fr.choices.settingsIntro(fr.choices.button.all));
    const tap = fake.buttonInteraction({ id: '2', flags: 64 }, 's1:none', {
      userId: fake.memberId,
      locale: 'fr',
    });
    fake.dispatch('INTERACTION_CREATE', tap);
    const saved = await callbackOf(tap);
    expect((saved.json as { type: number }).type).toBe(7);
    expect(dataOf(saved)['content']).toBe(fr.choices.settingsSaved(fr.choices.button.none));
    const keys = await stack.redis.keys(`${stack.prefix}:dc:user:*`);
    expect(keys).toHaveLength(1);
    expect(await stack.redis.get(keys[0]!)).toBe('none');
  });
});
