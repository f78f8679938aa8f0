// What the scene gives away, from the OCR reading: a printed document, a screenshot of a screen,
// and location clues (street names, licence plates). Pure: takes the OCR page, returns findings.
import type { Finding, Region } from '../../types.ts';
import { unionRegions } from '../image/regions.ts';

/** The parts of an OCR page the scene signals need (see OcrPage in text.ts). */
export interface ScenePage {
  lines: { words: { text: string; confidence: number; box: Region }[]; box: Region }[];
  text: string;
  spans: { start: number; end: number; box: Region; line: number }[];
}

const isWord = (w: { text: string; confidence: number }): boolean =>
  w.confidence >= 60 && /[A-Za-zÀ-ÿ]{2,}|\d{2,}/.test(w.text);

const UI_WORDS = new Set(
  [
    'settings',
    'search',
    'cancel',
    'send',
    'reply',
    'share',
    'back',
    'done',
    'edit',
    'messages',
    'notifications',
    'inbox',
    'home',
    'menu',
    'login',
    'password',
    'username',
    'delete',
    'save',
    'follow',
    'like',
    'comment',
    'retweet',
    'paramètres',
    'rechercher',
    'annuler',
    'envoyer',
    'répondre',
    'partager',
    'retour',
    'terminé',
    'modifier',
    'supprimer',
    'enregistrer',
    'accueil',
    'connexion',
    'typing',
    'online',
    'delivered',
    'read',
    'today',
    'yesterday',
    "aujourd'hui",
    'hier',
    'lu',
    'envoyé',
  ].map((w) => w.toLowerCase()),
);
const STATUS_TIME = /^(?:[01]?\d|2[0-3]):[0-5]\d$/;
const STATUS_OTHER = /^(?:\d{1,3}\s?%|4G|5G|LTE|3G|E|Wi-?Fi|[A-Za-z]+\s?\d?G)$/i;

// Licence plates, separators required: French SIV (AB-123-CD), German (B-AB 1234), UK (AB12 CDE).
const PLATES: readonly RegExp[] = [
  /(?<![A-Z0-9])[A-HJ-NP-TV-Z]{2}-\d{3}-[A-HJ-NP-TV-Z]{2}(?![A-Z0-9])/g,
  /(?<![A-Z0-9])[A-ZÄÖÜ]{1,3}-[A-Z]{1,2} \d{1,4}[EH]?(?![A-Z0-9])/g,
  /(?<![A-Z0-9])[A-Z]{2}\d{2} [A-Z]{3}(?![A-Z0-9])/g,
];
// A street named without a number ("Rue de la Paix", "Main Street", "Hauptstraße").
const STREET_NAME =
  /(?:\b(?:rue|avenue|boulevard|all[ée]e|impasse|place|quai|chemin)\s+(?:de\s+la\s+|de\s+l['’]|du\s+|des\s+|de\s+)?[A-ZÀ-Ý][A-Za-zÀ-ÿ'’-]{2,}|\b[A-Z][a-z]+\s+(?:Street|Avenue|Road|Boulevard|Lane)\b|\b[A-ZÄÖÜ][a-zäöüß]+(?:straße|strasse|weg|platz|allee|gasse)\b)/gi;

function area(r: Region): number {
  return r.width * r.height;
}

function boxesOf(page: ScenePage, start: number, end: number): Region[] {
  return page.spans.filter((s) => s.start < end && start < s.end).map((s) => s.box);
}

/** The lowest OCR confidence among the words under a range (spans follow the words in order). */
function minConfidenceOf(page: ScenePage, start: number, end: number): number {
  const words = page.lines.flatMap((l) => l.words);
  let min = 100;
  page.spans.forEach((s, i) => {
    if (s.start < end && start < s.end) min = Math.min(min, words[i]?.confidence ?? 0);
  });
  return min;
}

/** A mostly-text photo: many confident words whose lines cover a good share of the picture. */
function toDocument(page: ScenePage, size: { width: number; height: number }): Finding | undefined {
  const words = page.lines.flatMap((l) => l.words).filter(isWord);
  if (words.length < 30) return undefined;
  const textArea = page.lines.filter((l) => l.words.some(isWord)).reduce((a, l) => a + area(l.box), 0);
  const share = textArea / Math.max(1, size.width * size.height);
  if (share < 0.12) return undefined;
  return {
    kind: 'document',
    severity: 'medium',
    certainty: words.length >= 60 && share >= 0.2 ? 'likely' : 'possible',
    region: unionRegions(words.map((w) => w.box)),
    source: 'text',
    summary: 'the photo shows a printed or written document',
    details: { words: words.length, textShare: Math.round(share * 100) / 100 },
  };
}

/** A status bar (a clock near the top with a battery or network mark) or several UI words. */
function toScreen(page: ScenePage, size: { width: number; height: number }): Finding | undefined {
  const top = size.height * 0.08;
  const topWords = page.lines.flatMap((l) => l.words).filter((w) => w.box.y + w.box.height <= top);
  const clock = topWords.some((w) => STATUS_TIME.test(w.text));
  const status = topWords.filter((w) => STATUS_OTHER.test(w.text)).length;
  const ui = new Set(
    page.lines
      .flatMap((l) => l.words)
      .filter((w) => w.confidence >= 60)
      .map((w) => w.text.toLowerCase().replace(/[^a-zà-ÿ']/g, ''))
      .filter((w) => UI_WORDS.has(w)),
  );
  const statusBar = clock && status >= 1;
  if (!statusBar && ui.size < 4) return undefined;
  return {
    kind: 'screen',
    severity: 'medium',
    certainty: statusBar ? 'likely' : 'possible',
    source: 'text',
    summary: statusBar ? 'a phone or computer screen (status bar visible)' : 'a screen or app interface',
    details: { statusBar, uiWords: ui.size },
  };
}

function toLocationClues(page: ScenePage, existing: readonly Finding[]): Finding[] {
  const out: Finding[] = [];
  const addressBoxes = existing.filter((f) => f.kind === 'address').flatMap((f) => f.regions ?? []);
  const inAddress = (b: Region): boolean =>
    addressBoxes.some(
      (a) => b.x < a.x + a.width && a.x < b.x + b.width && b.y < a.y + a.height && a.y < b.y + b.height,
    );
  for (const re of PLATES)
    for (const m of page.text.matchAll(new RegExp(re.source, re.flags))) {
      const boxes = boxesOf(page, m.index, m.index + m[0].length);
      // Texture read as letters makes plate-like junk: only clearly read words count.
      if (boxes.length === 0 || minConfidenceOf(page, m.index, m.index + m[0].length) < 75) continue;
      out.push({
        kind: 'location_clue',
        severity: 'medium',
        certainty: 'possible',
        region: unionRegions(boxes),
        regions: boxes,
        source: 'text',
        summary: 'a licence plate',
        redact: 'fill',
        details: { clue: 'licence_plate' },
      });
    }
  for (const m of page.text.matchAll(new RegExp(STREET_NAME.source, STREET_NAME.flags))) {
    const boxes = boxesOf(page, m.index, m.index + m[0].length);
    if (boxes.length === 0 || boxes.some(inAddress)) continue;
    if (minConfidenceOf(page, m.index, m.index + m[0].length) < 70) continue;
    out.push({
      kind: 'location_clue',
      severity: 'medium',
      certainty: 'possible',
      region: unionRegions(boxes),
      source: 'text',
      summary: 'a street name',
      details: { clue: 'street_name' },
    });
  }
  return out;
}

export function findSceneSignals(
  page: ScenePage,
  size: { width: number; height: number },
  existing: readonly Finding[] = [],
): Finding[] {
  const out: Finding[] = [];
  const doc = toDocument(page, size);
  if (doc) out.push(doc);
  const screen = toScreen(page, size);
  if (screen) out.push(screen);
  out.push(...toLocationClues(page, existing));
  return out;
}
