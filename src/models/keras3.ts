/**
 * `.keras` archives (Keras 3's native format), the models/ side: a model
 * becomes `metadata.json` + `config.json` (keras3-config.ts, with the
 * compile_config of keras3-compile.ts) + `model.weights.h5`
 * (keras3-weights.ts), zipped by io/keras3/archive.ts; and back. Loaded
 * only on the `.keras` paths (`model.save('x.keras')`, `loadModel('x.keras')`,
 * `saveKeras`), so importing Regula does not load h5wasm or fflate.
 *
 * Loading validates before it allocates: the zip's directory and declared
 * sizes, the config's structure and layer classes (all unknown ones in one
 * error), each layer's declared weights against the load limit and the
 * bytes the archive holds, then each weight dataset's shape and dtype
 * against the model before its data is read.
 */
import { checkTopology, ModelFormatError } from '../io/keras-format.js';
import { readKerasArchive, writeKerasArchive } from '../io/keras3/archive.js';
import { assignWeights } from '../io/model-json.js';
import { DEFAULT_MAX_WEIGHT_BYTES } from '../io/weights.js';
import { compileArgsFromKeras, compileConfigOf } from './keras3-compile.js';
import { kerasModelConfig, topologyFromKeras } from './keras3-config.js';
import { readModelWeights, readOptimizerState, weightsTree } from './keras3-weights.js';
import type { Model } from './model.js';
import type { LoadOptions, SaveOptions } from './model-artifacts.js';

/** The Keras version whose archive layout Regula writes (metadata.json). */
export const KERAS_FORMAT_VERSION = '3.8.0';
/** Marks archives Regula wrote (metadata.json `saved_by`; the CLI only replaces such files). */
export const SAVED_BY = 'Regula 0.1.0';
/** Where extra files (e.g. the CLI's preprocessing.json) live inside an archive. */
export const EXTRA_PREFIX = 'regula/';

const pad = (n: number): string => String(n).padStart(2, '0');
/** Keras's `date_saved` format: 2024-05-01@13:45:10. */
function dateSaved(d = new Date()): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}@${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * A model as `.keras` archive bytes. Fails before producing anything when a
 * layer option has no Keras 3 form or the model is not built.
 */
export async function kerasArchiveBytes(model: Model, opts: SaveOptions = {}): Promise<Uint8Array> {
  if (opts.weightsOnly) throw new Error('save: weightsOnly writes a model directory, not a .keras archive; save to a directory path instead');
  if (!model.built) throw new Error(`save: model '${model.name}' is not built, so it has no weights yet; give the first layer an inputShape, call model.build([null, ...features]) or fit it first`);
  const config = kerasModelConfig(model);
  const compile = opts.includeOptimizer === false ? null : compileConfigOf(model);
  if (opts.includeOptimizer === true && compile === null) {
    throw new Error(`save: includeOptimizer needs a compiled model whose loss Keras 3 can rebuild; '${model.name}' is ${model.compiled ? 'compiled with a user-function loss' : 'not compiled'}`);
  }
  if (compile !== null) config.compile_config = compile;
  const opt = compile !== null ? model.compiled!.optimizer : undefined;
  const tree = weightsTree(model, opt);
  const enc = new TextEncoder();
  const extra = (opts.extraFiles ?? []).map((f) => {
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(f.name)) throw new Error(`save: extraFiles name must be a plain file name, got ${JSON.stringify(f.name)}`);
    return { name: `${EXTRA_PREFIX}${f.name}`, data: typeof f.data === 'string' ? enc.encode(f.data) : f.data };
  });
  return writeKerasArchive({ config, metadata: { keras_version: KERAS_FORMAT_VERSION, date_saved: dateSaved(), saved_by: SAVED_BY }, weights: tree, extra });
}

/** Splits a file path into its directory and name (either separator). */
function splitPath(path: string): { dir: string; name: string } {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut < 0 ? { dir: '.', name: path } : { dir: path.slice(0, cut) || '/', name: path.slice(cut + 1) };
}

/** Writes `model` to a `.keras` file atomically (temporary file, fsync, rename). */
export async function saveKeras(model: Model, path: string, opts: SaveOptions = {}): Promise<void> {
  const bytes = await kerasArchiveBytes(model, opts);
  const { writeFilesAtomic } = await import('../io/fs.js');
  const { dir, name } = splitPath(path);
  await writeFilesAtomic(dir, [{ name, data: bytes }]);
}

/** Options of `modelFromKerasBytes`. */
export interface KerasLoadOptions extends LoadOptions {
  /** Names errors give the archive (default 'archive.keras'). */
  source?: string;
  /** Extra files to return, by logical name (e.g. 'preprocessing.json'). */
  extraFiles?: readonly string[];
}

/** How save-load.ts builds a model from a checked topology (injected to avoid an import cycle). */
export type TopologyBuilder = (topology: ReturnType<typeof checkTopology>, source: string, maxBytes: number, savedBytes: number) => Model;

/**
 * A model from `.keras` archive bytes (untrusted): compiled from its
 * compile_config and with its optimizer state when Regula has that loss,
 * optimizer and metrics (else uncompiled).
 */
export async function modelFromKerasBytes(bytes: Uint8Array, build: TopologyBuilder, opts: KerasLoadOptions = {}): Promise<{ model: Model; extra: Map<string, Uint8Array> }> {
  const source = opts.source ?? 'archive.keras';
  const maxBytes = opts.maxWeightBytes ?? DEFAULT_MAX_WEIGHT_BYTES;
  const extras = (opts.extraFiles ?? []).map((n) => `${EXTRA_PREFIX}${n}`);
  const a = await readKerasArchive(bytes, source, maxBytes, extras);
  try {
    const topology = checkTopology(topologyFromKeras(a.config, `${source}:config.json`), `${source}:config.json`);
    const model = build(topology, `${source}:config.json`, maxBytes, a.weightBytes);
    const file = `${source}:model.weights.h5`;
    assignWeights(model, await readModelWeights(model, a.weights, file), file);
    const cc = (a.config as Record<string, unknown>)['compile_config'];
    const args = opts.trainingState === 'ignore' ? undefined : compileArgsFromKeras(cc);
    if (args) {
      let compiled = true;
      try {
        model.compile(args);
      } catch {
        compiled = false; // a loss, metric or optimizer Regula lacks: the model loads uncompiled
      }
      const opt = compiled ? model.optimizer : undefined;
      if (opt) {
        const state = await readOptimizerState(model, opt, a.weights);
        if (state) opt.setState(state);
      }
    }
    const extra = new Map<string, Uint8Array>();
    for (const [k, v] of a.extra) extra.set(k.slice(EXTRA_PREFIX.length), v);
    return { model, extra };
  } catch (e) {
    if (e instanceof ModelFormatError) throw e;
    throw new ModelFormatError(source, (e as Error).message);
  } finally {
    a.weights.close();
  }
}

/** Reads a `.keras` file (size-checked before reading) and builds its model. */
export async function loadKerasFile(path: string, build: TopologyBuilder, opts: KerasLoadOptions = {}): Promise<{ model: Model; extra: Map<string, Uint8Array> }> {
  const { readFileInside } = await import('../io/fs.js');
  const { dir, name } = splitPath(path);
  const maxBytes = opts.maxWeightBytes ?? DEFAULT_MAX_WEIGHT_BYTES;
  const bytes = await readFileInside(dir, name, maxBytes + 256 * 1024 * 1024);
  return modelFromKerasBytes(bytes, build, { ...opts, source: opts.source ?? path });
}
