// Pure parts of the Telegram adapter: config, update mapping, policy, HTML rendering, capped download.
import type { Api } from 'grammy';
import { GrammyError } from 'grammy';
import type { Message } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { parseTelegramConfig } from '../../src/adapters/telegram/config.ts';
import { downloadTelegramFile } from '../../src/adapters/telegram/download.ts';
import {
  decideMissingRights,
  decideUploadKind,
  parseAutoScanArgs,
  parseTelegramReply,
  toLocale,
  toMediaCandidate,
  toReplyAddress,
  type TelegramReply,
} from '../../src/adapters/telegram/mapping.ts';
import { MESSAGES } from '../../src/adapters/telegram/messages.ts';
import { escapeHtml, renderMention, renderReplyHtml } from '../../src/adapters/telegram/render-html.ts';
import { AppError } from '../../src/errors.ts';
import { renderReport } from '../../src/render.ts';
import type { Finding, RiskReport } from '../../src/types.ts';
import { FAKE_TOKEN, parseMultipart } from './fake-telegram.ts';

const TOKEN = FAKE_TOKEN;

describe('parseTelegramConfig', () => {
  it('defaults to the public Bot API with long polling and trims a trailing slash', () => {
    expect(parseTelegramConfig({ TELEGRAM_BOT_TOKEN: TOKEN })).toEqual({
      token: TOKEN,
      apiRoot: 'https://api.telegram.org',
      webhookPort: 8080,
      keyPrefix: 'preflight:tg:',
      retentionMinutes: 10,
    });
    const c = parseTelegramConfig({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: 'http://127.0.0.1:8081/',
      TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/tg',
      BLOB_TTL_SEC: '90',
    });
    expect(c.apiRoot).toBe('http://127.0.0.1:8081');
    expect(c.webhookUrl).toBe('https://bot.example.org/tg');
    expect(c.retentionMinutes).toBe(2);
  });

  it('names the bad variable and never echoes its value', () => {
    const secret = '999:not-a-real-token';
    expect(() => parseTelegramConfig({})).toThrow(/TELEGRAM_BOT_TOKEN is required/);
    try {
      parseTelegramConfig({ TELEGRAM_BOT_TOKEN: secret, TELEGRAM_API_ROOT: 'ftp://files.local/secret-path' });
      expect.unreachable();
    } catch (e) {
      const msg = (e as Error).message;
      expect(msg).toContain('TELEGRAM_BOT_TOKEN');
      expect(msg).toContain('TELEGRAM_API_ROOT');
      expect(msg).not.toContain(secret);
      expect(msg).not.toContain('secret-path');
    }
    expect(() =>
      parseTelegramConfig({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_URL: 'http://plain.example' }),
    ).toThrow(/TELEGRAM_WEBHOOK_URL must be an https/);
  });
});

const chat = { id: 7, type: 'private' as const, first_name: 'A' };
const msg = (extra: Partial<Message>): Message => ({ message_id: 1, date: 0, chat, ...extra });

describe('toMediaCandidate', () => {
  it('picks the largest photo size and marks photos as recompressed', () => {
    const c = toMediaCandidate(
      msg({
        photo: [
          { file_id: 'small', file_unique_id: 's', width: 90, height: 90, file_size: 1000 },
          { file_id: 'large', file_unique_id: 'l', width: 1280, height: 960, file_size: 200_000 },
          { file_id: 'medium', file_unique_id: 'm', width: 320, height: 240, file_size: 20_000 },
        ],
      }),
    );
    expect(c).toEqual({
      kind: 'image',
      fileId: 'large',
      declaredBytes: 200_000,
      declaredMime: 'image/jpeg',
      recompressed: true,
      asFile: false,
    });
  });

  it('accepts image documents (HEIC too) and undecided types; explains PDFs, videos, voice, stickers at once', () => {
    const doc = (mime: string | undefined, size = 1000) =>
      toMediaCandidate(
        msg({
          document: {
            file_id: 'd',
            file_unique_id: 'd',
            file_size: size,
            ...(mime ? { mime_type: mime } : {}),
          },
        }),
      );
    expect(doc('image/heic')).toMatchObject({
      kind: 'image',
      asFile: true,
      recompressed: false,
      declaredMime: 'image/heic',
    });
    expect(doc('application/octet-stream')).toMatchObject({ kind: 'image', asFile: true });
    expect(doc(undefined)).toMatchObject({ kind: 'image' });
    expect(doc('application/pdf')).toEqual({ kind: 'refused', reason: 'pdf' });
    expect(doc('video/mp4')).toEqual({ kind: 'refused', reason: 'video' });
    expect(doc('text/plain')).toEqual({ kind: 'refused', reason: 'text' });
    expect(doc('application/zip')).toEqual({ kind: 'refused', reason: 'file' });
    expect(doc('image/png', 21 * 1024 * 1024)).toEqual({ kind: 'too_big', bytes: 21 * 1024 * 1024 });
    expect(doc('image/png', 20 * 1024 * 1024)).toMatchObject({ kind: 'image' });
    expect(toMediaCandidate(msg({ voice: { file_id: 'v', file_unique_id: 'v', duration: 1 } }))).toEqual({
      kind: 'refused',
      reason: 'voice',
    });
    expect(toMediaCandidate(msg({ text: 'hi' }))).toEqual({ kind: 'none' });
  });

  it('maps language codes to fr or en', () => {
    expect(toLocale('fr')).toBe('fr');
    expect(toLocale('fr-CA')).toBe('fr');
    expect(toLocale('de')).toBe('en');
    expect(toLocale(undefined)).toBe('en');
  });
});

describe('reply address', () => {
  const r: TelegramReply = {
    platform: 'telegram',
    mode: 'dm',
    chatId: -1001234567890,
    messageId: 5,
    senderId: 42,
    progressMessageId: null,
    asFile: true,
    recompressed: false,
    threshold: 'medium',
  };
  it('round-trips and rejects foreign shapes', () => {
    expect(parseTelegramReply(toReplyAddress(r))).toEqual(r);
    expect(() => parseTelegramReply({ platform: 'discord', channelId: '1' })).toThrow();
    expect(() => parseTelegramReply({ ...r, mode: 'shout' })).toThrow();
  });
});

const finding = (kind: Finding['kind'], severity: Finding['severity']): Finding => ({
  kind,
  severity,
  certainty: 'confirmed',
});
const report = (verdict: RiskReport['verdict'], findings: Finding[]): RiskReport => ({
  version: 1,
  input: { format: 'jpeg', width: 10, height: 10, bytes: 100 },
  verdict,
  findings,
  checks: [{ name: 'metadata', status: 'ok' }],
});

describe('policy', () => {
  it('sends a photo within Telegram limits, a document otherwise', () => {
    expect(decideUploadKind(false, { bytes: 2_000_000, width: 4000, height: 3000 })).toBe('photo');
    expect(decideUploadKind(true, { bytes: 2_000_000, width: 400, height: 300 })).toBe('document');
    expect(decideUploadKind(false, { bytes: 11 * 1024 * 1024, width: 400, height: 300 })).toBe('document');
    expect(decideUploadKind(false, { bytes: 1000, width: 6000, height: 4001 })).toBe('document');
    expect(decideUploadKind(false, { bytes: 1000, width: 4200, height: 200 })).toBe('document');
  });

  it('tells which rights the bot lacks for each mode', () => {
    expect(decideMissingRights({ status: 'member' }, false, 'warn')).toEqual(['see_photos']);
    expect(decideMissingRights({ status: 'member' }, true, 'warn')).toEqual([]);
    expect(decideMissingRights({ status: 'member' }, true, 'replace')).toEqual(['delete_messages']);
    expect(decideMissingRights(undefined, false, 'replace')).toEqual(['see_photos', 'delete_messages']);
    expect(
      decideMissingRights({ status: 'administrator', can_delete_messages: false }, false, 'replace'),
    ).toEqual(['delete_messages']);
    expect(
      decideMissingRights({ status: 'administrator', can_delete_messages: true }, false, 'replace'),
    ).toEqual([]);
    expect(decideMissingRights({ status: 'creator' }, false, 'replace')).toEqual([]);
  });

  it('parses /autoscan arguments', () => {
    expect(parseAutoScanArgs('')).toEqual({ kind: 'show' });
    expect(parseAutoScanArgs(' Replace ')).toEqual({ kind: 'mode', mode: 'replace' });
    expect(parseAutoScanArgs('threshold high')).toEqual({ kind: 'threshold', threshold: 'high' });
    expect(parseAutoScanArgs('threshold extreme')).toEqual({ kind: 'usage' });
    expect(parseAutoScanArgs('warn now')).toEqual({ kind: 'usage' });
  });
});

describe('Telegram HTML', () => {
  it('escapes markup and builds mentions by user id', () => {
    expect(escapeHtml('<b>&"x"</b>')).toBe('&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;');
    expect(renderMention(42, 'Zoé <3')).toBe('<a href="tg://user?id=42">Zoé &lt;3</a>');
  });

  it('renders every section, escaped, and stays within the length limit', () => {
    const r = report('high', [
      { ...finding('email', 'medium'), summary: 'e-mail address <j***@e***.com>' },
      finding('gps', 'high'),
    ]);
    const view = renderReport(r, 'en');
    const html = renderReplyHtml(view, { notes: [MESSAGES.en.deleted] });
    expect(html).toContain(`<b>${escapeHtml(view.headline)}</b>`);
    expect(html).toContain('&lt;j***@e***.com&gt;');
    expect(html).not.toContain('<j***');
    expect(html.endsWith(escapeHtml(MESSAGES.en.deleted))).toBe(true);

    const long = {
      ...view,
      lines: Array.from({ length: 400 }, (_, i) => `Finding number ${i} with some words`),
    };
    const short = renderReplyHtml(long, { limit: 1024 });
    expect(short.length).toBeLessThanOrEqual(1024);
    expect(short).toContain('Finding number 0 ');
    // The found lines are numbered (no bullet): the shortened list ends with a bare "…".
    expect(short).toContain('\n…');
  });
});

describe('multipart parser of the fake', () => {
  it("reads grammY's header style (no spaces, unquoted filename)", () => {
    const b = 'XyZ';
    const body = Buffer.concat([
      Buffer.from(`--${b}\r\ncontent-disposition:form-data;name="chat_id"\r\n\r\n42\r\n--${b}\r\n`),
      Buffer.from(
        `content-disposition:form-data;name="abc";filename=clean.jpg\r\ncontent-type:application/octet-stream\r\n\r\n`,
      ),
      Buffer.from([0xff, 0xd8, 0xff, 0x0d, 0x0a]),
      Buffer.from(`\r\n--${b}--\r\n`),
    ]);
    const { fields, files } = parseMultipart(body, `multipart/form-data; boundary=${b}`);
    expect(fields).toEqual({ chat_id: '42' });
    expect(files['abc']?.filename).toBe('clean.jpg');
    expect([...files['abc']!.bytes]).toEqual([0xff, 0xd8, 0xff, 0x0d, 0x0a]);
  });
});

describe('downloadTelegramFile', () => {
  const apiWith = (getFile: () => Promise<unknown>): Api => ({ getFile }) as unknown as Api;
  const streamOf = (chunks: number, size: number): Response =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(c) {
          for (let i = 0; i < chunks; i++) c.enqueue(new Uint8Array(size));
          c.close();
        },
      }),
    );
  const signal = new AbortController().signal;

  it('fetches apiRoot/file/bot<token>/<path> and stops at the byte cap', async () => {
    const urls: string[] = [];
    const deps = {
      api: apiWith(() =>
        Promise.resolve({ file_id: 'f', file_unique_id: 'u', file_path: 'documents/file_1.jpg' }),
      ),
      apiRoot: 'http://127.0.0.1:1',
      token: TOKEN,
      fetch: ((url: string) => {
        urls.push(url);
        return Promise.resolve(streamOf(4, 1000));
      }) as typeof fetch,
    };
    expect((await downloadTelegramFile(deps, 'f', 10_000, signal)).length).toBe(4000);
    expect(urls[0]).toBe(`http://127.0.0.1:1/file/bot${TOKEN}/documents/file_1.jpg`);
    const err = await downloadTelegramFile(deps, 'f', 2500, signal).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('file_too_large');
  });

  it('never puts the URL or the token in its errors', async () => {
    const deps = {
      api: apiWith(() => Promise.resolve({ file_id: 'f', file_unique_id: 'u', file_path: 'x.jpg' })),
      apiRoot: 'http://127.0.0.1:1',
      token: TOKEN,
      fetch: ((url: string) => Promise.reject(new TypeError(`fetch failed for ${url}`))) as typeof fetch,
    };
    const err = (await downloadTelegramFile(deps, 'f', 10_000, signal).catch((e: unknown) => e)) as AppError;
    expect(err.code).toBe('download_failed');
    expect(`${err.message} ${String(err.cause)}`).not.toContain(TOKEN.split(':')[1]);

    const tooBig = {
      ...deps,
      api: apiWith(() =>
        Promise.reject(
          new GrammyError(
            'x',
            { ok: false, error_code: 400, description: 'Bad Request: file is too big' },
            'getFile',
            {},
          ),
        ),
      ),
    };
    expect(
      ((await downloadTelegramFile(tooBig, 'f', 10_000, signal).catch((e: unknown) => e)) as AppError).code,
    ).toBe('file_too_large');
  });
});
