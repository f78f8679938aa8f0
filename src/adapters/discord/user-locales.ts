// Users' interface language, learnt from their interactions (Discord sends none with a DM), kept in
// memory only, least recently seen dropped past 10 000 users.
import type { Locale } from '../../types.ts';

const MAX_USERS = 10_000;

export interface UserLocales {
  get(userId: string): Locale | undefined;
  remember(userId: string, locale: Locale): void;
}

/** An in-memory, bounded map from user id to the locale of their last interaction. */
export function createUserLocales(): UserLocales {
  const known = new Map<string, Locale>();
  return {
    get: (userId) => known.get(userId),
    remember(userId, locale) {
      known.delete(userId);
      known.set(userId, locale);
      if (known.size > MAX_USERS) {
        const oldest = known.keys().next().value;
        if (oldest !== undefined) known.delete(oldest);
      }
    },
  };
}
