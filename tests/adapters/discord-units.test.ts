// Pure parts of the Discord adapter: config, command definitions, settings policy, embeds; and the
// deploy script against the fake Discord.
import { PermissionFlagsBits, PermissionsBitField } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { parseDiscordReply, toReplyAddress } from '../../src/adapters/discord/address.ts';
import { toCommandDefinitions } from '../../src/adapters/discord/commands.ts';
import { parseDiscordConfig } from '../../src/adapters/discord/config.ts';
import { deployCommands } from '../../src/adapters/discord/deploy-commands.ts';
import { renderOwnerEmbed, renderPublicEmbed } from '../../src/adapters/discord/embed.ts';
import {
  decideAutoscanMode,
  decideMissingRequirements,
  parseAutoscanSettings,
  toUpdatedSettings,
} from '../../src/adapters/discord/settings.ts';
import { ConfigError } from '../../src/config.ts';
import type { RiskReport } from '../../src/types.ts';
import { createFakeDiscord } from './fake-discord.ts';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GfAkEx.secretsecretsecretsecretsecretsecret12';
const APP = '123456789012345678';

describe('parseDiscordConfig', () => {
  it('reads the variables with defaults', () => {
    const c = parseDiscordConfig({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APP });
    expect(c).toEqual({
      token: TOKEN,
      applicationId: APP,
      apiRoot: 'https://discord.com/api',
      autoscan: false,
    });
    const d = parseDiscordConfig({
      DISCORD_TOKEN: TOKEN,
      DISCORD_APPLICATION_ID: APP,
      DISCORD_API_ROOT: 'http://127.0.0.1:9999/api/v10/',
      DISCORD_GUILD_ID: '223456789012345678',
      DISCORD_AUTOSCAN: 'true',
    });
    expect(d.apiRoot).toBe('http://127.0.0.1:9999/api');
    expect(d.guildId).toBe('223456789012345678');
    expect(d.autoscan).toBe(true);
  });

  it('names the bad variable and never echoes its value', () => {
    const bad = 'not a token but a secret value!';
    let err: unknown;
    try {
      parseDiscordConfig({ DISCORD_TOKEN: bad, DISCORD_APPLICATION_ID: 'abc', DISCORD_AUTOSCAN: 'maybe' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const e = err as ConfigError;
    expect(e.variables.sort()).toEqual(['DISCORD_APPLICATION_ID', 'DISCORD_AUTOSCAN', 'DISCORD_TOKEN']);
    expect(e.message).not.toContain(bad);
    expect(e.message).not.toContain('maybe');
    expect(() => parseDiscordConfig({})).toThrow(/DISCORD_TOKEN is required/);
  });
});

describe('command definitions', () => {
  const defs = toCommandDefinitions() as unknown as Record<string, unknown>[];

  it('has /check, "Check photo" and /autoscan with French localizations', () => {
    expect(defs.map((d) => d['name'])).toEqual(['check', 'Check photo', 'autoscan', 'settings']);
    for (const d of defs) expect((d['name_localizations'] as Record<string, string>)['fr']).toBeTruthy();
    const check = defs[0]!;
    expect((check['options'] as { type: number }[])[0]?.type).toBe(11);
    expect(defs[1]?.['type']).toBe(3);
    expect(defs[2]?.['default_member_permissions']).toBe(String(PermissionFlagsBits.ManageGuild));
  });

  it('uses names Discord accepts (lower-case slash names, ≤ 32 chars, descriptions ≤ 100)', () => {
    const slash = /^[-_\p{L}\p{N}]{1,32}$/u;
    const walk = (o: Record<string, unknown>, isSlash: boolean): void => {
      const locNames = (o['name_localizations'] ?? {}) as Record<string, string>;
      const names = [String(o['name']), ...Object.values(locNames)];
      for (const n of names) {
        if (isSlash) {
          expect(n).toMatch(slash);
          expect(n).toBe(n.toLowerCase());
        } else expect(n.length).toBeLessThanOrEqual(32);
      }
      const locDescs = (o['description_localizations'] ?? {}) as Record<string, string>;
      const descs = [o['description'], ...Object.values(locDescs)];
      for (const d of descs) if (typeof d === 'string') expect(d.length).toBeLessThanOrEqual(100);
      for (const opt of (o['options'] ?? []) as Record<string, unknown>[]) walk(opt, true);
    };
    for (const d of defs) walk(d, d['type'] === 1);
  });

  it('deploys with one PUT, to one guild when DISCORD_GUILD_ID is set', async () => {
    const fake = await createFakeDiscord();
    try {
      const env = {
        DISCORD_TOKEN: fake.token,
        DISCORD_APPLICATION_ID: fake.applicationId,
        DISCORD_API_ROOT: fake.apiRoot,
      };
      expect(await deployCommands({ ...env, DISCORD_GUILD_ID: fake.guildId })).toEqual({
        scope: 'guild',
        count: 4,
      });
      expect(await deployCommands(env)).toEqual({ scope: 'global', count: 4 });
      const puts = fake.calls.filter((c) => c.method === 'PUT');
      expect(puts.map((c) => c.rawPath)).toEqual([
        `/api/v10/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`,
        `/api/v10/applications/${fake.applicationId}/commands`,
      ]);
      expect(puts[0]?.auth).toBe(`Bot ${fake.token}`);
      expect(fake.unknownRoutes).toEqual([]);
    } finally {
      await fake.close();
    }
  });
});

describe('auto-scan settings', () => {
  it('a channel override wins over the server mode; threads follow their parent', () => {
    let s = parseAutoscanSettings(null);
    expect(decideAutoscanMode(s, '1')).toBe('off');
    s = toUpdatedSettings(s, 'warn');
    s = toUpdatedSettings(s, 'replace', '2');
    s = toUpdatedSettings(s, 'off', '3');
    expect(decideAutoscanMode(s, '1')).toBe('warn');
    expect(decideAutoscanMode(s, '2')).toBe('replace');
    expect(decideAutoscanMode(s, '3')).toBe('off');
    expect(decideAutoscanMode(s, '99', '2')).toBe('replace');
    expect(parseAutoscanSettings(JSON.stringify(s))).toEqual(s);
  });

  it('garbage in Redis reads as off', () => {
    expect(parseAutoscanSettings('{nope').mode).toBe('off');
    expect(parseAutoscanSettings(JSON.stringify({ v: 1, mode: 'delete-all', channels: {} })).mode).toBe(
      'off',
    );
  });

  it('names what the bot lacks for each mode', () => {
    const all = new PermissionsBitField([
      'ViewChannel',
      'SendMessages',
      'ReadMessageHistory',
      'ManageMessages',
      'AttachFiles',
    ]);
    const noManage = new PermissionsBitField([
      'ViewChannel',
      'SendMessages',
      'ReadMessageHistory',
      'AttachFiles',
    ]);
    expect(decideMissingRequirements('replace', all, true)).toEqual([]);
    expect(decideMissingRequirements('replace', noManage, true)).toEqual(['manage_messages']);
    expect(decideMissingRequirements('warn', noManage, true)).toEqual([]);
    expect(decideMissingRequirements('warn', all, false)).toEqual(['message_content']);
    expect(decideMissingRequirements('off', new PermissionsBitField(), false)).toEqual([]);
    // Administrator implies everything.
    expect(decideMissingRequirements('replace', new PermissionsBitField(['Administrator']), true)).toEqual(
      [],
    );
  });
});

describe('reply address', () => {
  it('round-trips ids only and rejects foreign shapes', () => {
    const a = toReplyAddress({
      kind: 'autoscan',
      channelId: '1',
      messageId: '2',
      authorId: '3',
      guildId: '4',
      mode: 'warn',
      index: 1,
      total: 2,
    });
    expect(parseDiscordReply(a)).toMatchObject({ kind: 'autoscan', mode: 'warn' });
    expect(parseDiscordReply({ ...a, channelId: 'https://x' })).toBeUndefined();
    expect(parseDiscordReply({ platform: 'telegram', chatId: 1 })).toBeUndefined();
  });
});

describe('embeds', () => {
  const report: RiskReport = {
    version: 1,
    input: { format: 'jpeg', width: 10, height: 10, bytes: 100 },
    verdict: 'high',
    findings: [
      {
        kind: 'gps',
        severity: 'high',
        certainty: 'confirmed',
        source: 'metadata',
        removed: true,
        details: { latitude: 48.858222, longitude: 2.2945 },
      },
      { kind: 'device', severity: 'low', certainty: 'confirmed', source: 'metadata', removed: true },
    ],
    checks: [{ name: 'metadata', status: 'ok' }],
    sanitized: {
      format: 'jpeg',
      width: 10,
      height: 10,
      bytes: 90,
      actions: [{ action: 'metadata_removed' }],
    },
    residual: { findings: [] },
  };

  it('the owner sees the details; a public channel sees kinds only', () => {
    const owner = JSON.stringify(renderOwnerEmbed(report, 'en'));
    const pub = JSON.stringify(renderPublicEmbed(report, 'en'));
    expect(owner).toMatch(/48[.,]8/);
    expect(pub).not.toMatch(/48[.,]8|2[.,]29/);
    expect(pub).toContain('Location');
    expect(JSON.parse(pub)).toMatchObject({ color: 0xd93025 });
  });
});
