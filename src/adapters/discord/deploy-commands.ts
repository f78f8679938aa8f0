// `npm run discord:deploy`: registers /check, "Check photo" and /autoscan with one REST PUT —
// in one guild when DISCORD_GUILD_ID is set (instant, for testing), else globally.
import { pathToFileURL } from 'node:url';
import { REST, Routes } from 'discord.js';
import { ConfigError, type Env } from '../../config.ts';
import { scrubSecrets } from '../../log.ts';
import { toCommandDefinitions } from './commands.ts';
import { parseDiscordConfig } from './config.ts';

/** Registers the commands for one guild (DISCORD_GUILD_ID) or globally, replacing the previous set. */
export async function deployCommands(env: Env): Promise<{ scope: 'guild' | 'global'; count: number }> {
  const config = parseDiscordConfig(env);
  const rest = new REST({ api: config.apiRoot }).setToken(config.token);
  const body = toCommandDefinitions();
  const route = config.guildId
    ? Routes.applicationGuildCommands(config.applicationId, config.guildId)
    : Routes.applicationCommands(config.applicationId);
  const result = (await rest.put(route, { body })) as unknown[];
  return { scope: config.guildId ? 'guild' : 'global', count: result.length };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  deployCommands(process.env).then(
    ({ scope, count }) => {
      console.log(`Registered ${count} commands (${scope}).`);
    },
    (e: unknown) => {
      console.error(e instanceof ConfigError ? e.message : `Registration failed: ${scrubSecrets(String(e))}`);
      process.exitCode = 1;
    },
  );
}
