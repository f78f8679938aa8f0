// Graph models shipped in @vladmandic/human's npm package (weights in its models/ folder), read from
// disk and run on face-api's tfjs engine. Nothing is downloaded.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as FaceApiModule from '@vladmandic/face-api/dist/face-api.node-wasm.js';

type Tf = typeof FaceApiModule.tf;

/** The part of a tfjs GraphModel we use. */
export interface GraphModel {
  execute(input: FaceApiModule.tf.Tensor): FaceApiModule.tf.Tensor | FaceApiModule.tf.Tensor[];
}

const require = createRequire(import.meta.url);

/** Loads `models/<name>.json` and its weights from the package folder (an in-memory IO handler). */
export async function loadHumanModel(tf: Tf, name: string): Promise<GraphModel> {
  // The package exports no package.json: its node entry sits in dist/, the models beside it.
  const dir = path.join(path.dirname(require.resolve('@vladmandic/human')), '..', 'models');
  const json = JSON.parse(await readFile(path.join(dir, `${name}.json`), 'utf8')) as {
    modelTopology: object;
    weightsManifest: { paths: string[]; weights: FaceApiModule.tf.io.WeightsManifestEntry[] }[];
  };
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const bins = await Promise.all(
    json.weightsManifest.flatMap((g) => g.paths).map((p) => readFile(path.join(dir, p))),
  );
  const all = Buffer.concat(bins);
  const weights = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  const io = tf.io as unknown as { fromMemory(artifacts: object): unknown };
  const converter = tf as unknown as { loadGraphModel(h: unknown): Promise<GraphModel> };
  return converter.loadGraphModel(
    io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData: weights }),
  );
}
