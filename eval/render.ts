// Text and Markdown for measured figures: tables, the eval's rows, and README blocks between markers.
import type { EvalScore, Row } from './score.ts';

export type Align = 'left' | 'right';

/** A Markdown table laid out as prettier lays it out (padded cells, `---:` for right-aligned columns). */
export function renderTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align?: readonly Align[],
): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(3, ...all.map((r) => [...(r[i] ?? '')].length)));
  const right = (i: number): boolean => (align ? align[i] === 'right' : i > 0);
  const pad = (cell: string, i: number): string => {
    const fill = ' '.repeat(widths[i]! - [...cell].length);
    return right(i) ? fill + cell : cell + fill;
  };
  const line = (r: readonly string[]): string =>
    `| ${header.map((_, i) => pad(r[i] ?? '', i)).join(' | ')} |`;
  const sep = `| ${widths.map((w, i) => (right(i) ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(header), sep, ...rows.map(line)].join('\n');
}

const pct = (a: number, b: number): string => (b === 0 ? '—' : `${Math.round((a / b) * 100)} %`);

const toFalseAlarmCell = (r: Row): string => {
  if (r.unit === 'faces') return `${r.falseAlarms} extra`;
  if (r.clean === 0) return '—';
  return `${r.falseAlarms} of ${r.clean}`;
};

/** The rows as a Markdown table: found of expected, the share, false alarms over the clean images. */
export function renderRows(rows: readonly Row[]): string {
  return renderTable(
    ['Row', 'Found', 'Share', 'False alarms'],
    rows
      .filter((r) => r.expected > 0 || r.clean > 0)
      .map((r) => [
        r.name,
        r.expected === 0 ? '—' : `${r.found} / ${r.expected}${r.unit === 'images' ? '' : ` ${r.unit}`}`,
        pct(r.found, r.expected),
        toFalseAlarmCell(r),
      ]),
  );
}

const GROUP_NAMES = { face: 'Faces', text: 'Text PII / MRZ', code: 'Codes (covered kinds)' } as const;

/** After cleaning: what the re-scan of the sanitized copies still finds, per group. */
export function renderResidual(s: EvalScore): string {
  const r = s.residual;
  return renderTable(
    ['After cleaning (re-scan of the copy)', 'Originals with findings', 'Copies still showing them'],
    (['face', 'text', 'code'] as const).map((g) => [
      GROUP_NAMES[g],
      String(r.groups[g].inOriginal),
      String(r.groups[g].stillDetected),
    ]),
  );
}

/** The notes under the tables: checks that did not complete, refused images. Empty when none. */
export function renderIncidents(s: EvalScore): string {
  const out: string[] = [];
  const failures = Object.entries(s.checkFailures);
  if (failures.length > 0)
    out.push(
      `Checks that did not complete: ${failures.map(([n, c]) => `${n} failed ${c.failed}, timed out ${c.timeout}`).join('; ')}.`,
    );
  if (s.errors.length > 0)
    out.push(`Refused or failed images: ${s.errors.map((e) => `${e.file} (${e.error})`).join(', ')}.`);
  return out.join('\n\n');
}

/** Per row, the files missed and the files falsely flagged (for --verbose). */
export function renderMisses(s: EvalScore): string {
  const out: string[] = [];
  for (const r of s.rows) {
    if (r.missedFiles.length > 0) out.push(`${r.name}: missed ${r.missedFiles.join(', ')}`);
    if (r.falseAlarmFiles.length > 0) out.push(`${r.name}: false alarm ${r.falseAlarmFiles.join(', ')}`);
  }
  for (const g of ['face', 'text', 'code'] as const)
    if (s.residual.groups[g].files.length > 0)
      out.push(`After cleaning, ${GROUP_NAMES[g]}: ${s.residual.groups[g].files.join(', ')}`);
  return out.join('\n');
}

/** The rows, the residual table and the incidents, separated by blank lines. */
export function renderScore(s: EvalScore): string {
  return [renderRows(s.rows), renderResidual(s), renderIncidents(s)].filter((x) => x !== '').join('\n\n');
}

const markers = (name: string): [string, string] => [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`];

/**
 * `text` with what lies between `<!-- name:start -->` and `<!-- name:end -->` replaced by `body`
 * (blank lines around it). Writing the same body twice gives the same text. Throws without markers.
 */
export function replaceBlock(text: string, name: string, body: string): string {
  const [start, end] = markers(name);
  const i = text.indexOf(start);
  const j = text.indexOf(end, i + start.length);
  if (i < 0 || j < 0) throw new Error(`no ${start} … ${end} block`);
  return `${text.slice(0, i + start.length)}\n\n${body.trim()}\n\n${text.slice(j)}`;
}
