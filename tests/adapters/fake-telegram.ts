// A fake Telegram Bot API on node:http, for driving the REAL grammY bot through `apiRoot`.
// It serves the methods Preflight uses, records every call, and fails loudly on anything else.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_TOKEN = '123456789:AAFakeTokenForTestsOnly_abcdefghijklmnop';
export const BOT_ID = 123456789;

export interface UploadedFile {
  filename: string;
  bytes: Buffer;
}

export interface ApiCall {
  method: string;
  params: Record<string, unknown>;
  /** Files sent as multipart parts, by field (photo, document). */
  files: Record<string, UploadedFile>;
  /** Whether the fake answered ok, and with what. */
  ok: boolean;
  result?: unknown;
}

export interface FakeUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  language_code?: string;
}

type ChatMember = Record<string, unknown> & { status: string; user: FakeUser };

interface StoredFile {
  bytes: Buffer;
  path: string;
  /** getFile answers "file is too big" (files above 20 MB). */
  tooBig: boolean;
  /** The download waits for this before sending a byte. */
  hold?: Promise<void>;
}

interface Waiter {
  res: ServerResponse;
  offset: number;
  timer: NodeJS.Timeout;
}

/** Lenient multipart parser: grammY writes `content-disposition:form-data;name="x";filename=y` (no spaces, unquoted). */
export function parseMultipart(
  body: Buffer,
  contentType: string,
): { fields: Record<string, string>; files: Record<string, UploadedFile> } {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) throw new Error('multipart without boundary');
  const delim = Buffer.from(`--${boundary}`);
  const fields: Record<string, string> = {};
  const files: Record<string, UploadedFile> = {};
  let pos = body.indexOf(delim);
  while (pos !== -1) {
    let start = pos + delim.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    if (body.subarray(start, start + 2).toString() === '\r\n') start += 2;
    const next = body.indexOf(delim, start);
    if (next === -1) break;
    let part = body.subarray(start, next);
    if (part.subarray(part.length - 2).toString() === '\r\n') part = part.subarray(0, part.length - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const content = part.subarray(headerEnd + 4);
    const name = /name\s*=\s*(?:"([^"]*)"|([^;\r\n]+))/i.exec(
      headers.replace(/filename\s*=\s*("[^"]*"|[^;\r\n]+)/i, ''),
    );
    const filename = /filename\s*=\s*(?:"([^"]*)"|([^;\r\n]+))/i.exec(headers);
    const key = name?.[1] ?? name?.[2]?.trim() ?? '';
    if (filename)
      files[key] = { filename: (filename[1] ?? filename[2] ?? '').trim(), bytes: Buffer.from(content) };
    else fields[key] = content.toString('utf8');
    pos = next;
  }
  return { fields, files };
}

function parseField(v: string): unknown {
  const t = v.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.parse(t);
    } catch {
      return v;
    }
  }
  if (/^-?\d+$/.test(t)) return Number(t);
  if (t === 'true' || t === 'false') return t === 'true';
  return v;
}

export class FakeTelegram {
  readonly token = FAKE_TOKEN;
  readonly calls: ApiCall[] = [];
  /** Requests to methods or paths the fake does not know: an adapter test fails on any. */
  readonly unknownRoutes: string[] = [];
  readonly botUser = { id: BOT_ID, is_bot: true, first_name: 'Preflight', username: 'preflight_test_bot' };
  /** getMe's can_read_all_group_messages (privacy mode off). */
  canReadAllGroupMessages = false;
  apiRoot = '';
  /** Messages deleted through deleteMessage, as "chatId:messageId". */
  readonly deleted = new Set<string>();
  /** File downloads that reached the fake. */
  downloadsStarted = 0;

  private server: Server;
  private updates: Record<string, unknown>[] = [];
  private nextUpdateId = 1;
  private waiters: Waiter[] = [];
  private files = new Map<string, StoredFile>();
  private filesByPath = new Map<string, StoredFile>();
  private nextFile = 1;
  private nextMessageId = new Map<number, number>();
  private members = new Map<string, ChatMember>();
  private failures = new Map<
    string,
    { code: number; description: string; times: number; retryAfter?: number }
  >();
  private listeners: (() => void)[] = [];
  /** The multipart parts of the request being answered (editMessageMedia names one inside JSON). */
  private lastFiles: Record<string, UploadedFile> = {};

  constructor() {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error_code: 500, description: String(e) }));
      });
    });
  }

  async listen(): Promise<this> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const { port } = this.server.address() as AddressInfo;
    this.apiRoot = `http://127.0.0.1:${port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.res.destroy();
    }
    this.waiters = [];
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The unknown routes seen since the last call, then forgotten (for an afterEach check). */
  takeUnknownRoutes(): string[] {
    return this.unknownRoutes.splice(0);
  }

  // ---------------------------------------------------------------------------------------------
  // Scenario helpers

  /** Registers bytes Telegram would hold; returns the file_id. */
  addFile(bytes: Buffer, opts: { ext?: string; tooBig?: boolean; hold?: Promise<void> } = {}): string {
    const n = this.nextFile++;
    const fileId = `file-${n}-${'x'.repeat(20)}`;
    const stored: StoredFile = {
      bytes,
      path: `documents/file_${n}.${opts.ext ?? 'jpg'}`,
      tooBig: opts.tooBig ?? false,
      ...(opts.hold ? { hold: opts.hold } : {}),
    };
    this.files.set(fileId, stored);
    this.filesByPath.set(stored.path, stored);
    return fileId;
  }

  /** Sets what getChatMember answers for (chat, user). Unknown pairs are plain members. */
  setMember(
    chatId: number,
    user: FakeUser | typeof this.botUser,
    status: string,
    rights: Record<string, unknown> = {},
  ): void {
    this.members.set(`${chatId}:${user.id}`, { status, user, ...rights });
  }

  /** The next `times` calls of `method` fail with this Bot API error. */
  failNext(method: string, code: number, description: string, times = 1, retryAfter?: number): void {
    this.failures.set(method, {
      code,
      description,
      times,
      ...(retryAfter !== undefined ? { retryAfter } : {}),
    });
  }

  /** A new message id in `chatId` (messages the "user" sends). */
  messageId(chatId: number): number {
    const id = (this.nextMessageId.get(chatId) ?? 100) + 1;
    this.nextMessageId.set(chatId, id);
    return id;
  }

  /** Queues an update with a message; fills in message_id and date. Returns the message. */
  pushMessage(
    message: Record<string, unknown> & { chat: { id: number; type: string } },
  ): Record<string, unknown> {
    const full = {
      message_id: this.messageId(message.chat.id),
      date: Math.floor(Date.now() / 1000),
      ...message,
    };
    this.updates.push({ update_id: this.nextUpdateId++, message: full });
    this.flushWaiters();
    return full;
  }

  /** Users who never started the bot: a bot's message to their private chat is refused (403). */
  readonly notStarted = new Set<number>();

  /** Queues an update with a callback query (a tap on an inline button of `message`). */
  pushCallback(from: FakeUser, message: Record<string, unknown>, data: string): string {
    const id = `cb-${this.nextUpdateId}`;
    this.updates.push({
      update_id: this.nextUpdateId++,
      callback_query: { id, from, message, chat_instance: 'ci-1', data },
    });
    this.flushWaiters();
    return id;
  }

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves with the first recorded call (past or future) that matches. */
  async waitFor(predicate: (c: ApiCall) => boolean, timeoutMs = 30_000): Promise<ApiCall> {
    const found = this.calls.find(predicate);
    if (found) return found;
    return new Promise<ApiCall>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== check);
        reject(
          new Error(
            `timed out waiting for a Bot API call; calls so far: ${this.calls.map((c) => c.method).join(', ')}`,
          ),
        );
      }, timeoutMs);
      const check = (): void => {
        const c = this.calls.find(predicate);
        if (c) {
          clearTimeout(timer);
          this.listeners = this.listeners.filter((l) => l !== check);
          resolve(c);
        }
      };
      this.listeners.push(check);
    });
  }

  // ---------------------------------------------------------------------------------------------
  // HTTP

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const fileMatch = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (fileMatch) {
      const stored =
        fileMatch[1] === this.token
          ? this.filesByPath.get(decodeURIComponent(fileMatch[2] ?? ''))
          : undefined;
      if (!stored) {
        res.writeHead(404).end();
        return;
      }
      this.downloadsStarted++;
      if (stored.hold) await stored.hold;
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': stored.bytes.length,
      });
      res.end(stored.bytes);
      return;
    }
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!m) {
      this.unknownRoutes.push(`${req.method ?? 'GET'} ${url.pathname.replace(this.token, '<token>')}`);
      this.json(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    if (m[1] !== this.token) {
      this.json(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      return;
    }
    const method = m[2] ?? '';
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const type = req.headers['content-type'] ?? '';
    let params: Record<string, unknown> = {};
    const files: Record<string, UploadedFile> = {};
    this.lastFiles = {};
    if (type.startsWith('multipart/form-data')) {
      const parsed = parseMultipart(body, type);
      this.lastFiles = parsed.files;
      for (const [k, v] of Object.entries(parsed.fields)) params[k] = parseField(v);
      // Resolve attach://id references to the field they belong to.
      for (const [k, v] of Object.entries(params)) {
        if (typeof v === 'string' && v.startsWith('attach://')) {
          const f = parsed.files[v.slice('attach://'.length)];
          if (f) files[k] = f;
        }
      }
    } else if (body.length > 0) {
      params = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    }

    if (method === 'getUpdates') {
      this.getUpdates(res, params);
      return;
    }
    const failure = this.failures.get(method);
    let result: unknown;
    let error: { code: number; description: string; retryAfter?: number } | undefined;
    if (failure && failure.times > 0) {
      failure.times--;
      error = failure;
    } else {
      const r = this.answer(method, params, files);
      if ('error' in r) error = r.error;
      else result = r.result;
    }
    this.record(error ? { method, params, files, ok: false } : { method, params, files, ok: true, result });
    if (error)
      this.json(res, error.code, {
        ok: false,
        error_code: error.code,
        description: error.description,
        ...(error.retryAfter !== undefined ? { parameters: { retry_after: error.retryAfter } } : {}),
      });
    else this.json(res, 200, { ok: true, result });
  }

  private record(call: ApiCall): void {
    this.calls.push(call);
    for (const l of [...this.listeners]) l();
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    const s = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(s) });
    res.end(s);
  }

  private getUpdates(res: ServerResponse, params: Record<string, unknown>): void {
    const offset = Number(params['offset'] ?? 0);
    this.updates = this.updates.filter((u) => Number(u['update_id']) >= offset);
    if (this.updates.length > 0) {
      this.json(res, 200, { ok: true, result: this.updates });
      return;
    }
    const timeoutSec = Math.min(Number(params['timeout'] ?? 0), 2);
    const waiter: Waiter = {
      res,
      offset,
      timer: setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        this.json(res, 200, { ok: true, result: [] });
      }, timeoutSec * 1000),
    };
    res.on('close', () => {
      clearTimeout(waiter.timer);
      this.waiters = this.waiters.filter((w) => w !== waiter);
    });
    this.waiters.push(waiter);
  }

  private flushWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) {
      clearTimeout(w.timer);
      this.json(w.res, 200, {
        ok: true,
        result: this.updates.filter((u) => Number(u['update_id']) >= w.offset),
      });
    }
  }

  private sent(chatId: number, extra: Record<string, unknown>): Record<string, unknown> {
    return {
      message_id: this.messageId(chatId),
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: chatId > 0 ? 'private' : 'supergroup' },
      from: this.botUser,
      ...extra,
    };
  }

  private answer(
    method: string,
    p: Record<string, unknown>,
    files: Record<string, UploadedFile>,
  ): { result: unknown } | { error: { code: number; description: string } } {
    const chatId = Number(p['chat_id']);
    if (chatId > 0 && this.notStarted.has(chatId) && method.startsWith('send'))
      return { error: { code: 403, description: "Forbidden: bot can't initiate conversation with a user" } };
    switch (method) {
      case 'answerCallbackQuery':
      case 'editMessageReplyMarkup':
        return { result: true };
      case 'editMessageMedia': {
        // media is JSON whose `media` field names a multipart part: attach://<name>.
        const media = p['media'] as { type?: string; media?: string; caption?: string } | undefined;
        const ref = typeof media?.media === 'string' ? media.media.replace(/^attach:\/\//, '') : '';
        const f = files['media'] ?? this.lastFiles[ref];
        if (!media || !f) return { error: { code: 400, description: 'Bad Request: there is no media' } };
        files['media'] = f;
        const fileId = this.addFile(f.bytes);
        const body =
          media.type === 'document'
            ? { document: { file_id: fileId, file_unique_id: 'u' + fileId, file_size: f.bytes.length } }
            : {
                photo: [
                  {
                    file_id: fileId,
                    file_unique_id: 'u' + fileId,
                    width: 1,
                    height: 1,
                    file_size: f.bytes.length,
                  },
                ],
              };
        return {
          result: this.sent(chatId, {
            message_id: Number(p['message_id']),
            ...body,
            caption: media.caption,
            edit_date: Math.floor(Date.now() / 1000),
          }),
        };
      }
      case 'getMe':
        return {
          result: {
            ...this.botUser,
            can_join_groups: true,
            can_read_all_group_messages: this.canReadAllGroupMessages,
            supports_inline_queries: false,
          },
        };
      case 'deleteWebhook':
      case 'setWebhook':
      case 'setMyCommands':
      case 'sendChatAction':
        return { result: true };
      case 'getFile': {
        const f = this.files.get(String(p['file_id']));
        if (!f) return { error: { code: 400, description: 'Bad Request: invalid file_id' } };
        if (f.tooBig) return { error: { code: 400, description: 'Bad Request: file is too big' } };
        return {
          result: {
            file_id: p['file_id'],
            file_unique_id: 'u' + String(p['file_id']),
            file_size: f.bytes.length,
            file_path: f.path,
          },
        };
      }
      case 'sendMessage':
        return { result: this.sent(chatId, { text: p['text'] }) };
      case 'sendPhoto': {
        const f = files['photo'];
        if (!f) return { error: { code: 400, description: 'Bad Request: there is no photo in the request' } };
        const fileId = this.addFile(f.bytes);
        return {
          result: this.sent(chatId, {
            photo: [
              {
                file_id: fileId,
                file_unique_id: 'u' + fileId,
                width: 1,
                height: 1,
                file_size: f.bytes.length,
              },
            ],
            caption: p['caption'],
          }),
        };
      }
      case 'sendDocument': {
        const f = files['document'];
        if (!f)
          return { error: { code: 400, description: 'Bad Request: there is no document in the request' } };
        const fileId = this.addFile(f.bytes);
        return {
          result: this.sent(chatId, {
            document: {
              file_id: fileId,
              file_unique_id: 'u' + fileId,
              file_name: f.filename,
              file_size: f.bytes.length,
            },
            caption: p['caption'],
          }),
        };
      }
      case 'editMessageText':
        return {
          result: this.sent(chatId, {
            message_id: Number(p['message_id']),
            text: p['text'],
            edit_date: Math.floor(Date.now() / 1000),
          }),
        };
      case 'deleteMessage': {
        const key = `${chatId}:${Number(p['message_id'])}`;
        if (this.deleted.has(key))
          return { error: { code: 400, description: 'Bad Request: message to delete not found' } };
        if (chatId < 0) {
          const me = this.members.get(`${chatId}:${BOT_ID}`);
          if (
            !me ||
            !(
              me.status === 'creator' ||
              (me.status === 'administrator' && me['can_delete_messages'] === true)
            )
          )
            return { error: { code: 400, description: "Bad Request: message can't be deleted" } };
        }
        this.deleted.add(key);
        return { result: true };
      }
      case 'getChatMember': {
        const userId = Number(p['user_id']);
        const member = this.members.get(`${chatId}:${userId}`);
        if (member) return { result: member };
        const user =
          userId === BOT_ID ? this.botUser : { id: userId, is_bot: false, first_name: `User ${userId}` };
        return { result: { status: 'member', user } };
      }
      default:
        this.unknownRoutes.push(method);
        return { error: { code: 404, description: `Not Found: the fake does not implement ${method}` } };
    }
  }
}

export async function createFakeTelegram(): Promise<FakeTelegram> {
  return new FakeTelegram().listen();
}
