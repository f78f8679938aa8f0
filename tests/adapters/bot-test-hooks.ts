// The hooks every bot test ends with, written once: after each test, the adapter called no API route
// the fake does not serve (a wrong call answers 404 and the adapter only logs it); after all, the
// adapters stop, then the stack and the fakes close.

import { afterAll, afterEach, expect } from 'vitest';

/** What a bot test starts in its beforeAll (read late: the hooks run after it assigned them). */
export interface BotTestParts {
  fakes: ({ takeUnknownRoutes(): string[]; close(): Promise<void> } | undefined)[];
  adapters: ({ stop(): Promise<void> } | undefined)[];
  stack: { close(): Promise<void> } | undefined;
}

/** Registers the shared afterEach (no unknown route) and afterAll (stop, close) hooks. */
export function endBotTests(parts: () => BotTestParts): void {
  afterEach(() => {
    for (const fake of parts().fakes) expect(fake?.takeUnknownRoutes() ?? []).toEqual([]);
  });
  afterAll(async () => {
    const p = parts();
    for (const adapter of p.adapters) await adapter?.stop();
    await p.stack?.close();
    for (const fake of p.fakes) await fake?.close();
  });
}
