// The informational commands (/start, /help, /privacy) and the command menu shown in each language.
import type { Api, Bot } from 'grammy';
import { messagesFor } from '../../render.ts';
import { toLocale } from './mapping.ts';
import { MESSAGES, toMessages } from './messages.ts';

/** Answers /start, /help and /privacy in the sender's language. */
export function registerInfoCommands(bot: Bot, minutes: number): void {
  bot.command('start', (ctx) => ctx.reply(toMessages(toLocale(ctx.from?.language_code)).start(minutes)));
  bot.command('help', (ctx) => ctx.reply(toMessages(toLocale(ctx.from?.language_code)).help(minutes)));
  bot.command('privacy', (ctx) => {
    const locale = toLocale(ctx.from?.language_code);
    return ctx.reply(
      `${toMessages(locale).privacy(minutes)}\n\n${messagesFor(locale).choices.privacy(minutes)}`,
    );
  });
}

/**
 * Publishes the command menus: /start (and /settings with the face choices) in private chats,
 * /autoscan in groups, in English and French.
 */
export async function registerCommandMenu(api: Api, withSettings: boolean): Promise<void> {
  for (const locale of ['en', 'fr'] as const) {
    const c = MESSAGES[locale].commands;
    const language = locale === 'fr' ? { language_code: 'fr' as const } : {};
    const common = [
      { command: 'help', description: c.help },
      { command: 'privacy', description: c.privacy },
    ];
    await api.setMyCommands(
      [
        { command: 'start', description: c.start },
        ...(withSettings ? [{ command: 'settings', description: c.settings }] : []),
        ...common,
      ],
      { scope: { type: 'all_private_chats' }, ...language },
    );
    await api.setMyCommands([{ command: 'autoscan', description: c.autoscan }, ...common], {
      scope: { type: 'all_group_chats' },
      ...language,
    });
  }
}
