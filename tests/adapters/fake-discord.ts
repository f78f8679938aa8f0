// A fake Discord for adapter tests: REST under /api/v10, a gateway WebSocket and a CDN with expiring
// signed URLs, on one node:http server. The real discord.js Client logs in to it through
// `rest: { api }`. Every REST and CDN call is recorded; unexpected routes answer 404 and are recorded
// too, so a test can fail loudly on them.
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export interface RecordedCall {
  seq: number;
  method: string;
  /** The path as sent, undecoded (so `%40original` stays visible). */
  rawPath: string;
  query: Record<string, string>;
  /** The Authorization header, if any. */
  auth: string | undefined;
  json: unknown;
  files: UploadedFile[];
  status: number;
}

export interface FakeAttachment {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type?: string;
  width?: number;
  height?: number;
}

interface StoredMessage {
  id: string;
  channel_id: string;
  guild_id?: string;
  author: {
    id: string;
    username: string;
    discriminator: string;
    avatar: null;
    bot?: boolean;
    global_name: null;
  };
  content: string;
  attachments: FakeAttachment[];
  deleted: boolean;
}

export interface FakeDiscordOptions {
  /** Permissions of the bot's role in the guild (bitfield). Default: everything a bot needs. */
  botPermissions?: bigint;
  /** Application flags reported in READY. */
  applicationFlags?: number;
}

// discord-api-types' PermissionFlagsBits, the few we use.
export const PERMS = {
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  ManageMessages: 1n << 13n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  ManageGuild: 1n << 5n,
  UseApplicationCommands: 1n << 31n,
} as const;

export const BOT_BASE_PERMS =
  PERMS.ViewChannel | PERMS.SendMessages | PERMS.EmbedLinks | PERMS.AttachFiles | PERMS.ReadMessageHistory;

let snowflakeCounter = 0n;
/** Snowflake-like ids, increasing. */
export function nextId(): string {
  snowflakeCounter += 1n;
  return String((BigInt(Date.now() - 1420070400000) << 22n) + snowflakeCounter);
}

const user = (id: string, username: string, bot = false): StoredMessage['author'] => ({
  id,
  username,
  discriminator: '0',
  avatar: null,
  global_name: null,
  ...(bot ? { bot: true } : {}),
});

export class FakeDiscord {
  readonly token = `${Buffer.from('123456789012345678').toString('base64url')}.GfAkEx.${randomBytes(20).toString('base64url')}`;
  readonly applicationId = nextId();
  readonly botUser = user(this.applicationId, 'Preflight', true);
  readonly guildId = nextId();
  readonly channelId = nextId();
  readonly otherChannelId = nextId();
  readonly dmChannelId = nextId();
  readonly ownerId = nextId();
  readonly memberId = nextId();
  readonly calls: RecordedCall[] = [];
  /** Requests to routes the fake does not know ("METHOD /path"): an adapter test fails on any. */
  readonly unknownRoutes: string[] = [];
  readonly identifies: { token: string; intents: number }[] = [];
  /** Gateway events seen: open, op N, close CODE. */
  readonly gatewayLog: string[] = [];
  readonly messages = new Map<string, StoredMessage>();
  botPermissions: bigint;
  applicationFlags: number;
  /** When set, the CDN refuses every download with this status. */
  cdnFailure: number | undefined;
  cdnRequests = 0;
  /** The next interaction callback fails with this (e.g. 400 / 40060, or 404 / 10062 Unknown interaction). */
  failNextCallback: { status: number; code: number } | undefined;

  private server: Server;
  private wss: WebSocketServer;
  private sockets = new Set<WebSocket>();
  private seq = 0;
  private callSeq = 0;
  private cdnSecret = randomBytes(16);
  private cdnFiles = new Map<string, { bytes: Buffer; contentType: string }>();
  private waiters: { pred: (c: RecordedCall) => boolean; resolve: (c: RecordedCall) => void }[] = [];
  private port = 0;

  constructor(opts: FakeDiscordOptions = {}) {
    this.botPermissions = opts.botPermissions ?? BOT_BASE_PERMS | PERMS.ManageMessages;
    this.applicationFlags = opts.applicationFlags ?? 1 << 19; // GatewayMessageContent
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        res.statusCode = 500;
        res.end(JSON.stringify({ message: String(e), code: 0 }));
      });
    });
    this.wss = new WebSocketServer({ server: this.server, path: '/gateway' });
    this.wss.on('connection', (ws) => this.onSocket(ws));
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** What DISCORD_API_ROOT should be (no /v10). */
  get apiRoot(): string {
    return `${this.base}/api`;
  }

  /** The adapter's environment pointing at this fake (token, application id, API root). */
  env(): { DISCORD_TOKEN: string; DISCORD_APPLICATION_ID: string; DISCORD_API_ROOT: string } {
    return {
      DISCORD_TOKEN: this.token,
      DISCORD_APPLICATION_ID: this.applicationId,
      DISCORD_API_ROOT: this.apiRoot,
    };
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ------------------------------------------------------------------ CDN

  /** Puts bytes on the CDN and returns an attachment object with a signed URL valid for `ttlMs`. */
  attachment(
    bytes: Buffer,
    filename: string,
    contentType: string | undefined,
    opts: { ttlMs?: number; channelId?: string; declaredSize?: number } = {},
  ): FakeAttachment {
    const id = nextId();
    const path = `/attachments/${opts.channelId ?? this.channelId}/${id}/${encodeURIComponent(filename)}`;
    this.cdnFiles.set(path, { bytes, contentType: contentType ?? 'application/octet-stream' });
    const url = this.sign(path, Date.now() + (opts.ttlMs ?? 60_000));
    return {
      id,
      filename,
      size: opts.declaredSize ?? bytes.length,
      url,
      proxy_url: url,
      ...(contentType ? { content_type: contentType } : {}),
    };
  }

  private sign(path: string, expiresMs: number): string {
    const ex = Math.floor(expiresMs / 1000).toString(16);
    const is = Math.floor(Date.now() / 1000).toString(16);
    const hm = createHmac('sha256', this.cdnSecret).update(`${path}|${ex}|${is}`).digest('hex');
    return `${this.base}/cdn${path}?ex=${ex}&is=${is}&hm=${hm}&`;
  }

  private serveCdn(path: string, q: URLSearchParams, res: ServerResponse): void {
    this.cdnRequests++;
    const ex = q.get('ex') ?? '';
    const is = q.get('is') ?? '';
    const hm = q.get('hm') ?? '';
    const want = createHmac('sha256', this.cdnSecret).update(`${path}|${ex}|${is}`).digest('hex');
    const file = this.cdnFiles.get(path);
    const status =
      this.cdnFailure ?? (!file || hm !== want || parseInt(ex, 16) * 1000 < Date.now() ? 404 : 200);
    // Recorded without its query (the signature) so tests can order it against REST calls.
    this.record({
      seq: ++this.callSeq,
      method: 'GET',
      rawPath: `/cdn${path}`,
      query: {},
      auth: undefined,
      json: undefined,
      files: [],
      status,
    });
    if (status !== 200 || !file) {
      res.writeHead(status, { 'content-type': 'text/plain' }).end('This content is no longer available.');
      return;
    }
    res.writeHead(200, { 'content-type': file.contentType, 'content-length': String(file.bytes.length) });
    res.end(file.bytes);
  }

  private record(call: RecordedCall): void {
    this.calls.push(call);
    for (const w of [...this.waiters]) {
      if (w.pred(call)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(call);
      }
    }
  }

  // ------------------------------------------------------------------ gateway

  private send(ws: WebSocket, payload: unknown): void {
    ws.send(JSON.stringify(payload));
  }

  private onSocket(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', (code) => {
      this.gatewayLog.push(`close ${code}`);
      this.sockets.delete(ws);
    });
    this.gatewayLog.push('open');
    this.send(ws, { op: 10, d: { heartbeat_interval: 41_250 } });
    ws.on('message', (raw: Buffer) => {
      const msg = JSON.parse(raw.toString('utf8')) as { op: number; d: unknown };
      this.gatewayLog.push(`op ${msg.op}`);
      if (msg.op === 1) this.send(ws, { op: 11 });
      else if (msg.op === 2) {
        const d = msg.d as { token: string; intents: number };
        this.identifies.push({ token: d.token, intents: d.intents });
        if (d.token !== this.token) {
          ws.close(4004, 'Authentication failed.');
          return;
        }
        this.send(ws, {
          op: 0,
          t: 'READY',
          s: ++this.seq,
          d: {
            v: 10,
            user: this.botUser,
            guilds: [{ id: this.guildId, unavailable: true }],
            session_id: randomBytes(8).toString('hex'),
            resume_gateway_url: `ws://127.0.0.1:${this.port}/gateway`,
            shard: [0, 1],
            application: { id: this.applicationId, flags: this.applicationFlags },
            private_channels: [],
            user_settings: {},
            relationships: [],
            presences: [],
            guild_join_requests: [],
            geo_ordered_rtc_regions: [],
          },
        });
        this.send(ws, { op: 0, t: 'GUILD_CREATE', s: ++this.seq, d: this.guildPayload() });
      }
    });
  }

  guildPayload(): Record<string, unknown> {
    const botRoleId = `${this.guildId}1`;
    const channel = (id: string, name: string, position: number) => ({
      id,
      type: 0,
      guild_id: this.guildId,
      name,
      position,
      permission_overwrites: [],
      nsfw: false,
      parent_id: null,
      topic: null,
      last_message_id: null,
      rate_limit_per_user: 0,
    });
    return {
      id: this.guildId,
      name: 'Test server',
      icon: null,
      owner_id: this.ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      public_updates_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      preferred_locale: 'en-US',
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      features: [],
      joined_at: new Date().toISOString(),
      large: false,
      unavailable: false,
      member_count: 3,
      roles: [
        {
          id: this.guildId,
          name: '@everyone',
          permissions: String(PERMS.ViewChannel | PERMS.SendMessages | PERMS.ReadMessageHistory),
          position: 0,
          color: 0,
          hoist: false,
          managed: false,
          mentionable: false,
          flags: 0,
        },
        {
          id: botRoleId,
          name: 'Preflight',
          permissions: String(this.botPermissions),
          position: 1,
          color: 0,
          hoist: false,
          managed: true,
          mentionable: false,
          flags: 0,
          tags: { bot_id: this.botUser.id },
        },
      ],
      channels: [channel(this.channelId, 'photos', 0), channel(this.otherChannelId, 'general', 1)],
      members: [
        {
          user: this.botUser,
          roles: [botRoleId],
          joined_at: new Date().toISOString(),
          deaf: false,
          mute: false,
          flags: 0,
        },
      ],
      threads: [],
      presences: [],
      voice_states: [],
      emojis: [],
      stickers: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  /** Changes the bot role's permissions and tells the client (GUILD_ROLE_UPDATE). */
  setBotPermissions(perms: bigint): void {
    this.botPermissions = perms;
    const roles = this.guildPayload()['roles'] as { id: string }[];
    this.dispatch('GUILD_ROLE_UPDATE', { guild_id: this.guildId, role: roles[1] });
  }

  /** Sends a gateway DISPATCH to every connected client. */
  dispatch(t: string, d: unknown): void {
    for (const ws of this.sockets) this.send(ws, { op: 0, t, s: ++this.seq, d });
  }

  // ------------------------------------------------------------------ payload builders

  member(id: string, permissions: bigint): Record<string, unknown> {
    return {
      user: user(id, id === this.ownerId ? 'owner' : 'member'),
      roles: [],
      joined_at: new Date().toISOString(),
      deaf: false,
      mute: false,
      flags: 0,
      permissions: String(permissions),
    };
  }

  private interactionBase(opts: {
    locale?: string;
    userId?: string;
    memberPermissions?: bigint;
    dm?: boolean;
  }): Record<string, unknown> & { id: string; token: string } {
    const id = nextId();
    const token = `aW50ZXJhY3Rpb246${randomBytes(24).toString('base64url')}`;
    const userId = opts.userId ?? this.memberId;
    const base = {
      id,
      token,
      application_id: this.applicationId,
      version: 1,
      locale: opts.locale ?? 'en-US',
      app_permissions: String(this.botPermissions),
      entitlements: [],
      authorizing_integration_owners: { '0': this.guildId },
      attachment_size_limit: 10 * 1024 * 1024,
    };
    if (opts.dm) {
      return {
        ...base,
        context: 1,
        channel_id: this.dmChannelId,
        channel: { id: this.dmChannelId, type: 1, recipients: [user(userId, 'member')] },
        user: user(userId, 'member'),
      };
    }
    return {
      ...base,
      context: 0,
      guild_id: this.guildId,
      guild_locale: 'en-US',
      guild: { id: this.guildId, locale: 'en-US', features: [] },
      channel_id: this.channelId,
      channel: { id: this.channelId, type: 0, guild_id: this.guildId, name: 'photos', permissions: '0' },
      member: this.member(userId, opts.memberPermissions ?? BOT_BASE_PERMS),
    };
  }

  /** A `/check image:<attachment>` interaction. */
  checkInteraction(
    att: FakeAttachment,
    opts: { locale?: string; userId?: string } = {},
  ): Record<string, unknown> & { id: string; token: string } {
    return {
      ...this.interactionBase(opts),
      type: 2,
      data: {
        id: nextId(),
        name: 'check',
        type: 1,
        options: [{ name: 'image', type: 11, value: att.id }],
        resolved: { attachments: { [att.id]: att } },
      },
    };
  }

  /** The "Check photo" message context-menu interaction on a message. */
  contextMenuInteraction(
    message: Record<string, unknown> & { id: string },
    opts: { locale?: string; userId?: string } = {},
  ): Record<string, unknown> & { id: string; token: string } {
    return {
      ...this.interactionBase(opts),
      type: 2,
      data: {
        id: nextId(),
        name: 'Check photo',
        type: 3,
        target_id: message.id,
        resolved: { messages: { [message.id]: message } },
      },
    };
  }

  /** A tap on a button (custom_id) of `message` (a message object as the fake returned it). */
  buttonInteraction(
    message: Record<string, unknown>,
    customId: string,
    opts: { locale?: string; userId?: string; dm?: boolean } = {},
  ): Record<string, unknown> & { id: string; token: string } {
    return {
      ...this.interactionBase(opts),
      type: 3,
      message: {
        ...message,
        channel_id: message['channel_id'] ?? this.channelId,
        flags: message['flags'] ?? 0,
      },
      data: { custom_id: customId, component_type: 2 },
    };
  }

  /** `/settings`. */
  settingsInteraction(
    opts: { locale?: string; userId?: string; dm?: boolean } = {},
  ): Record<string, unknown> & { id: string; token: string } {
    return { ...this.interactionBase(opts), type: 2, data: { id: nextId(), name: 'settings', type: 1 } };
  }

  /** `/autoscan mode:<mode> [channel]`. */
  autoscanInteraction(
    mode: string,
    opts: { locale?: string; userId?: string; memberPermissions?: bigint; channelId?: string } = {},
  ): Record<string, unknown> & { id: string; token: string } {
    const options: unknown[] = [{ name: 'mode', type: 3, value: mode }];
    const resolved: Record<string, unknown> = {};
    if (opts.channelId) {
      options.push({ name: 'channel', type: 7, value: opts.channelId });
      resolved['channels'] = {
        [opts.channelId]: { id: opts.channelId, type: 0, name: 'general', permissions: '0' },
      };
    }
    return {
      ...this.interactionBase(opts),
      type: 2,
      data: { id: nextId(), name: 'autoscan', type: 1, options, resolved },
    };
  }

  /** A user's message as MESSAGE_CREATE would carry it (guild channel unless `dm`). */
  userMessage(
    attachments: FakeAttachment[],
    opts: { dm?: boolean; channelId?: string; authorId?: string; content?: string } = {},
  ): Record<string, unknown> & { id: string } {
    const id = nextId();
    const authorId = opts.authorId ?? this.memberId;
    const channelId = opts.dm ? this.dmChannelId : (opts.channelId ?? this.channelId);
    const author = user(authorId, 'member');
    this.messages.set(id, {
      id,
      channel_id: channelId,
      ...(opts.dm ? {} : { guild_id: this.guildId }),
      author,
      content: opts.content ?? '',
      attachments,
      deleted: false,
    });
    return {
      id,
      type: 0,
      channel_id: channelId,
      channel_type: opts.dm ? 1 : 0,
      ...(opts.dm
        ? {}
        : {
            guild_id: this.guildId,
            member: { roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 },
          }),
      author,
      content: opts.content ?? '',
      attachments,
      embeds: [],
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      flags: 0,
      components: [],
    };
  }

  // ------------------------------------------------------------------ waiting

  /** Resolves with the first recorded call (past or future) matching `pred`. */
  waitForCall(pred: (c: RecordedCall) => boolean, timeoutMs = 30_000): Promise<RecordedCall> {
    const found = this.calls.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('fake discord: no matching call')), timeoutMs);
      this.waiters.push({
        pred,
        resolve: (c) => {
          clearTimeout(timer);
          resolve(c);
        },
      });
    });
  }

  /** Calls whose raw path contains `part`. */
  callsTo(part: string, method?: string): RecordedCall[] {
    return this.calls.filter((c) => c.rawPath.includes(part) && (!method || c.method === method));
  }

  // ------------------------------------------------------------------ REST

  private async readBody(req: IncomingMessage): Promise<{ json: unknown; files: UploadedFile[] }> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const ct = req.headers['content-type'] ?? '';
    if (body.length === 0) return { json: undefined, files: [] };
    if (ct.startsWith('multipart/form-data')) {
      const form = await new Response(body, { headers: { 'content-type': ct } }).formData();
      let json: unknown;
      const files: UploadedFile[] = [];
      for (const [field, value] of form.entries()) {
        if (field === 'payload_json' && typeof value === 'string') json = JSON.parse(value);
        else if (typeof value !== 'string') {
          files.push({
            field,
            filename: value.name,
            contentType: value.type,
            bytes: Buffer.from(await value.arrayBuffer()),
          });
        }
      }
      return { json, files };
    }
    return { json: JSON.parse(body.toString('utf8')) as unknown, files: [] };
  }

  private messageFrom(
    channelId: string,
    json: unknown,
    files: UploadedFile[],
    flags = 0,
  ): Record<string, unknown> {
    const j = (json ?? {}) as Record<string, unknown>;
    const id = nextId();
    const attachments = files.map((f, i) => ({
      id: nextId(),
      filename: f.filename,
      size: f.bytes.length,
      url: `${this.base}/cdn/attachments/${channelId}/${i}/${f.filename}`,
      proxy_url: `${this.base}/cdn/attachments/${channelId}/${i}/${f.filename}`,
      content_type: f.contentType,
    }));
    this.messages.set(id, {
      id,
      channel_id: channelId,
      author: this.botUser,
      content: typeof j['content'] === 'string' ? j['content'] : '',
      attachments,
      deleted: false,
    });
    return {
      id,
      type: 0,
      channel_id: channelId,
      author: this.botUser,
      content: j['content'] ?? '',
      embeds: j['embeds'] ?? [],
      attachments,
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      flags: typeof j['flags'] === 'number' ? j['flags'] : flags,
      components: [],
      webhook_id: undefined,
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.base);
    const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
    if (rawPath.startsWith('/cdn/')) {
      this.serveCdn(rawPath.slice(4), url.searchParams, res);
      return;
    }
    const { json, files } = await this.readBody(req);
    const auth = req.headers.authorization;
    const method = req.method ?? 'GET';
    const call: RecordedCall = {
      seq: ++this.callSeq,
      method,
      rawPath,
      query: Object.fromEntries(url.searchParams),
      auth,
      json,
      files,
      status: 0,
    };
    const reply = (status: number, body?: unknown): void => {
      call.status = status;
      if (body === undefined) res.writeHead(status).end();
      else res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      this.record(call);
    };
    const needsBot = (): boolean => {
      if (auth === `Bot ${this.token}`) return true;
      reply(401, { message: '401: Unauthorized', code: 0 });
      return false;
    };
    const p = rawPath.replace(/^\/api\/v10/, '');
    let m: RegExpMatchArray | null;

    if (method === 'GET' && p === '/gateway/bot') {
      if (!needsBot()) return;
      reply(200, {
        url: `ws://127.0.0.1:${this.port}/gateway`,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
      });
      return;
    }
    if ((m = p.match(/^\/interactions\/(\d+)\/([^/]+)\/callback$/)) && method === 'POST') {
      const failure = this.failNextCallback;
      if (failure) {
        this.failNextCallback = undefined;
        reply(failure.status, { message: 'Interaction has already been acknowledged.', code: failure.code });
        return;
      }
      reply(204);
      return;
    }
    if ((m = p.match(/^\/webhooks\/(\d+)\/([^/]+)\/messages\/(%40original|@original|\d+)$/))) {
      if (method === 'PATCH') {
        reply(200, this.messageFrom(this.channelId, json, files, 64));
        return;
      }
      if (method === 'DELETE') {
        reply(204);
        return;
      }
    }
    if ((m = p.match(/^\/webhooks\/(\d+)\/([^/]+)$/)) && method === 'POST') {
      reply(200, this.messageFrom(this.channelId, json, files));
      return;
    }
    if ((m = p.match(/^\/channels\/(\d+)\/messages$/)) && method === 'POST') {
      if (!needsBot()) return;
      reply(200, this.messageFrom(m[1] ?? '', json, files));
      return;
    }
    if ((m = p.match(/^\/channels\/(\d+)\/messages\/(\d+)$/))) {
      if (!needsBot()) return;
      const msg = this.messages.get(m[2] ?? '');
      if (!msg || msg.deleted) {
        reply(404, { message: 'Unknown Message', code: 10008 });
        return;
      }
      if (method === 'DELETE') {
        if (msg.channel_id === this.dmChannelId && msg.author.id !== this.botUser.id) {
          reply(403, { message: 'Cannot execute action on a DM channel', code: 50003 });
          return;
        }
        if (msg.author.id !== this.botUser.id && (this.botPermissions & PERMS.ManageMessages) === 0n) {
          reply(403, { message: 'Missing Permissions', code: 50013 });
          return;
        }
        msg.deleted = true;
        reply(204);
        return;
      }
      if (method === 'PATCH') {
        reply(200, { ...this.messageFrom(msg.channel_id, json, files), id: msg.id });
        return;
      }
    }
    if ((m = p.match(/^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/)) && method === 'PUT') {
      if (!needsBot()) return;
      const list = (json ?? []) as Record<string, unknown>[];
      reply(
        200,
        list.map((c) => ({ ...c, id: nextId(), application_id: this.applicationId, version: nextId() })),
      );
      return;
    }
    if ((m = p.match(/^\/channels\/(\d+)\/typing$/)) && method === 'POST') {
      reply(204);
      return;
    }
    this.unknownRoutes.push(`${method} ${p}`);
    reply(404, { message: 'Unknown route in fake Discord', code: 0 });
  }

  /** The unknown routes seen since the last call, then forgotten (for an afterEach check). */
  takeUnknownRoutes(): string[] {
    return this.unknownRoutes.splice(0);
  }
}

export async function createFakeDiscord(opts: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  return new FakeDiscord(opts).listen();
}
