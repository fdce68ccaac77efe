/**
 * TF.js model artifacts in tests: capture what `model.save` hands a save
 * handler, and move artifacts to and from a directory in the standard
 * layout (model.json + group1-shard1of1.bin, what tfjs-node's file://
 * handler writes and reads).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from './tfjs.js';

/** The artifacts TF.js's `model.save` produces, captured in memory. */
export async function tfSave(m: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await m.save(
    tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return saved!;
}

/** Reads a model directory the way TF.js's file loaders do: model.json + each group's shards concatenated. */
export function readDirForTfjs(dir: string): tf.io.ModelArtifacts {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  for (const g of json.weightsManifest) {
    for (const w of g.weights) weightSpecs.push(w);
    for (const p of g.paths) parts.push(readFileSync(join(dir, p)));
  }
  const data = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    data.set(p, o);
    o += p.length;
  }
  return { modelTopology: json.modelTopology, weightSpecs, weightData: data.buffer };
}

/** Writes TF.js artifacts to a directory in the standard layout. */
export function writeTfjsDir(a: tf.io.ModelArtifacts, dir: string): void {
  const wd = a.weightData!;
  const bytes = Array.isArray(wd) ? Buffer.concat(wd.map((b) => Buffer.from(b))) : Buffer.from(wd);
  writeFileSync(join(dir, 'group1-shard1of1.bin'), bytes);
  const json = {
    modelTopology: a.modelTopology,
    format: a.format,
    generatedBy: a.generatedBy,
    convertedBy: a.convertedBy,
    weightsManifest: [{ paths: ['./group1-shard1of1.bin'], weights: a.weightSpecs }],
  };
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
}
