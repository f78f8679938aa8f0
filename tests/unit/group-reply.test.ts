// One rule for answering a photo in a group: decideGroupReply, as each bot calls it (Telegram with
// the chat's threshold, Discord with its fixed auto-scan threshold), pinned by one table.
import { describe, expect, it } from 'vitest';
import { AUTOSCAN_THRESHOLD } from '../../src/adapters/discord/embed.ts';
import { DEFAULT_CHAT_SETTINGS } from '../../src/adapters/telegram/settings.ts';
import { decideGroupReply, decideVerdict } from '../../src/risk.ts';
import type { Check, Finding, FindingKind, RiskReport, Severity } from '../../src/types.ts';

const finding = (kind: FindingKind, severity: Severity): Finding => ({ kind, severity, certainty: 'likely' });
const ok = (name: Check['name']): Check => ({ name, status: 'ok' });
const allOk: Check[] = [ok('metadata'), ok('faces'), ok('text'), ok('codes')];
const textTimedOut: Check[] = [ok('metadata'), ok('faces'), { name: 'text', status: 'timeout' }, ok('codes')];
const facesFailed: Check[] = [ok('metadata'), { name: 'faces', status: 'failed' }, ok('text'), ok('codes')];

/** A report as the pipeline makes it: the verdict comes from decideVerdict, never set by hand. */
const report = (findings: Finding[], checks: Check[]): RiskReport => ({
  version: 1,
  input: { format: 'jpeg', width: 10, height: 10, bytes: 100 },
  verdict: decideVerdict(findings, checks),
  findings,
  checks,
});

const face = finding('face', 'medium');
const gps = finding('gps', 'high');
const device = finding('device', 'low');

// [what, threshold, report, answer]
const TABLE: [string, Severity, RiskReport, 'reply' | 'silent'][] = [
  ['nothing found', 'low', report([], allOk), 'silent'],
  ['nothing found, a check timed out (review)', 'low', report([], textTimedOut), 'silent'],
  ['nothing found, a check failed (review)', 'medium', report([], facesFailed), 'silent'],
  ['a low finding at threshold low', 'low', report([device], allOk), 'reply'],
  ['a low finding at threshold medium', 'medium', report([device], allOk), 'silent'],
  ['a face at threshold medium', 'medium', report([face], allOk), 'reply'],
  ['a face with the text check timed out (review)', 'medium', report([face], textTimedOut), 'reply'],
  ['a face with the text check timed out, threshold high', 'high', report([face], textTimedOut), 'silent'],
  [
    'a low finding with a failed check (review), threshold low',
    'low',
    report([device], facesFailed),
    'reply',
  ],
  ['gps at threshold high', 'high', report([gps, device], allOk), 'reply'],
  ['gps with a timed-out check', 'high', report([gps], textTimedOut), 'reply'],
];

describe('decideGroupReply', () => {
  it.each(TABLE)('%s (threshold %s)', (_what, threshold, r, answer) => {
    expect(decideGroupReply(r, threshold)).toBe(answer);
  });

  it('the face + timed-out text case is a review verdict (the case the bots used to disagree on)', () => {
    expect(report([face], textTimedOut).verdict).toBe('review');
  });

  // Both bots at their default threshold give the same answer on every row.
  it.each([
    ['telegram (chat default)', DEFAULT_CHAT_SETTINGS.threshold],
    ['discord (auto-scan)', AUTOSCAN_THRESHOLD],
  ] as const)('%s at its threshold answers like the table at medium', (_bot, threshold) => {
    expect(threshold).toBe('medium');
    for (const [what, t, r, answer] of TABLE)
      if (t === 'medium') expect([what, decideGroupReply(r, threshold)]).toEqual([what, answer]);
  });
});
