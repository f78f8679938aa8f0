// "Show where": a small picture of the cleaned copy with each finding outlined and numbered like the
// summary's lines (an SVG overlay composited by sharp). Numbers and boxes only, never a value.
import sharp from 'sharp';
import { findingGroups } from '../../render.ts';
import type { Finding, Region } from '../../types.ts';
import { regionsOf } from './sanitize.ts';

/** Longest side of the picture. */
export const PREVIEW_MAX_SIDE = 640;

const COLOURS = ['#ff2d55', '#ffcc00', '#34c759', '#0a84ff', '#bf5af2', '#ff9f0a', '#64d2ff'];

export interface PreviewMark {
  /** The summary line's number (1-based). */
  number: number;
  /** Boxes in the picture's pixels. */
  boxes: Region[];
}

/** Which boxes carry which line number, scaled to a picture of `scale` × the report's size. Pure. */
export function decidePreviewMarks(findings: readonly Finding[], scale: number): PreviewMark[] {
  return findingGroups(findings)
    .map((g, i) => ({
      number: i + 1,
      boxes: g.findings.flatMap(regionsOf).map((r) => ({
        x: Math.round(r.x * scale),
        y: Math.round(r.y * scale),
        width: Math.max(2, Math.round(r.width * scale)),
        height: Math.max(2, Math.round(r.height * scale)),
      })),
    }))
    .filter((m) => m.boxes.length > 0);
}

function overlaySvg(marks: readonly PreviewMark[], width: number, height: number): string {
  const parts: string[] = [];
  const r = Math.max(9, Math.round(Math.min(width, height) / 40));
  for (const m of marks) {
    const colour = COLOURS[(m.number - 1) % COLOURS.length]!;
    for (const b of m.boxes)
      parts.push(
        `<rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" fill="none" stroke="${colour}" stroke-width="3"/>`,
      );
    const first = m.boxes[0]!;
    const cx = Math.min(width - r, Math.max(r, first.x));
    const cy = Math.min(height - r, Math.max(r, first.y));
    parts.push(
      `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${colour}" stroke="#000" stroke-width="1"/>`,
      `<text x="${cx}" y="${cy + Math.round(r * 0.42)}" font-family="sans-serif" font-size="${Math.round(r * 1.2)}" font-weight="bold" fill="#000" text-anchor="middle">${m.number}</text>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${parts.join('')}</svg>`;
}

/**
 * The picture: the cleaned copy at most PREVIEW_MAX_SIDE wide or high, JPEG, every finding with a
 * region outlined and labelled with its line's number. `reportWidth` is the report's input width
 * (findings' coordinates).
 */
export async function makePreview(
  copy: Buffer,
  findings: readonly Finding[],
  reportWidth: number,
): Promise<Buffer> {
  const small = await sharp(copy)
    .resize(PREVIEW_MAX_SIDE, PREVIEW_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
    .removeAlpha()
    .toBuffer({ resolveWithObject: true });
  const { width, height } = small.info;
  const marks = decidePreviewMarks(findings, width / reportWidth);
  return sharp(small.data)
    .composite([{ input: Buffer.from(overlaySvg(marks, width, height)), top: 0, left: 0 }])
    .jpeg({ quality: 80 })
    .toBuffer();
}
