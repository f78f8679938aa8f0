// The re-scan of the sanitized copy, limited to where the first pass found something: the copy
// differs from the original only where it was covered (and by its re-encoding), so each analyzer
// that found something looks again at a crop around what it found (covered or not), not at the whole
// unchanged picture. Findings go back to the copy's coordinates.
import sharp from 'sharp';
import type { Analyzer, Finding, PreparedImage, Region } from '../../types.ts';
import { prepareImage, type DecodeLimits } from '../image/decode.ts';
import { unionRegions } from '../image/regions.ts';
import { regionsOf } from '../sanitize/sanitize.ts';

/** Above this share of the picture, the crop costs as much as the whole copy: it is scanned whole. */
export const WHOLE_COPY_SHARE = 0.5;

/**
 * Where an analyzer looks again: the box around `found`'s regions, each grown by half its smaller
 * side and at least 4 % of the picture's longer side (a value beside a cover, a face the noise moved),
 * in the picture's bounds; undefined when the whole copy should be scanned (a finding without a
 * region, or a box over WHOLE_COPY_SHARE of the picture).
 */
export function toRescanArea(found: readonly Finding[], width: number, height: number): Region | undefined {
  const boxes = found.map(regionsOf);
  if (boxes.length === 0 || boxes.some((b) => b.length === 0)) return undefined;
  const minPad = 0.04 * Math.max(width, height);
  const grown = boxes.flat().map((r) => {
    const pad = Math.max(minPad, 0.5 * Math.min(r.width, r.height));
    const x = Math.max(0, Math.floor(r.x - pad));
    const y = Math.max(0, Math.floor(r.y - pad));
    return {
      x,
      y,
      width: Math.min(width, Math.ceil(r.x + r.width + pad)) - x,
      height: Math.min(height, Math.ceil(r.y + r.height + pad)) - y,
    };
  });
  const area = unionRegions(grown);
  return area.width * area.height > WHOLE_COPY_SHARE * width * height ? undefined : area;
}

const shift = (r: Region, dx: number, dy: number): Region => ({ ...r, x: r.x + dx, y: r.y + dy });

/** `f` with its boxes moved by (dx, dy). */
export function shiftFinding(f: Finding, dx: number, dy: number): Finding {
  const out: Finding = { ...f };
  if (f.region) out.region = shift(f.region, dx, dy);
  if (f.regions) out.regions = f.regions.map((r) => shift(r, dx, dy));
  return out;
}

/**
 * The copy's pixels inside `area` as an image of their own (lossless PNG, fastest compression: the
 * analyzers see exactly the copy's pixels).
 */
export async function cropCopy(copy: Buffer, area: Region, limits: DecodeLimits): Promise<PreparedImage> {
  const png = await sharp(copy, { limitInputPixels: limits.maxPixels })
    .extract({ left: area.x, top: area.y, width: area.width, height: area.height })
    .png({ compressionLevel: 0, adaptiveFiltering: false })
    .toBuffer();
  return prepareImage(png, { ...limits, maxBytes: Number.MAX_SAFE_INTEGER });
}

export interface RescanPlan {
  analyzer: Analyzer;
  /** The image it runs on: the whole copy, or a crop of it at `area`. */
  image: PreparedImage;
  area?: Region;
  /** What it found in the original, in the coordinates of `image`. */
  recheck?: Finding[];
  /** With `area`: the whole copy's size (AnalyzerContext.cropOf). */
  cropOf?: { width: number; height: number };
}

/**
 * For each analyzer to run again on the copy: the whole copy (the metadata check, an analyzer whose
 * findings cover most of the picture) or a crop around its first-pass findings.
 */
export async function planRescan(
  analyzers: readonly Analyzer[],
  copy: PreparedImage,
  foundBy: ReadonlyMap<Analyzer['name'], readonly Finding[]>,
  limits: DecodeLimits,
): Promise<RescanPlan[]> {
  return Promise.all(
    analyzers.map(async (analyzer): Promise<RescanPlan> => {
      const found = foundBy.get(analyzer.name);
      const area =
        analyzer.name === 'metadata' || !found ? undefined : toRescanArea(found, copy.width, copy.height);
      if (!area) return { analyzer, image: copy, ...(found ? { recheck: [...found] } : {}) };
      return {
        analyzer,
        image: await cropCopy(copy.source, area, limits),
        area,
        recheck: found!.map((f) => shiftFinding(f, -area.x, -area.y)),
        cropOf: { width: copy.width, height: copy.height },
      };
    }),
  );
}
