/**
 * Model artifacts ↔ a directory in the TF.js Layers layout:
 *
 *   model.json                 topology + weightsManifest (TF.js reads it as is)
 *   group1-shard1of1.bin …     weights, 4 MiB shards
 *   training-state.json/.bin   optional, Regula only (exact resume)
 *   <extra files>              optional, e.g. the CLI's preprocessing.json
 *   weights.json + weights-shard1of1.bin …   a weights-only save
 *
 * `model.json` (or `weights.json`) is the one pointer: it names every file of
 * its save, and a save switches the directory by renaming it last, in two
 * commits (generation.ts), so a kill at any point leaves a loadable model.
 * Its `userDefinedMetadata.regula = {saveId, crc32, trainingState,
 * extraFiles?}`: the CRC of the weight bytes detects shards from another save
 * and the saveId ties the training state to its model. Files written by TF.js
 * have no such metadata and load without those checks. All file access goes
 * through fs.ts.
 */
import { toArrayBuffer, weightDataBytes, type ModelArtifacts, type TrainingStateArtifacts } from './artifacts.js';
import { fileExists, linkFile, randomId, readFileInside, readJsonInside, readShards, writeFilesAtomic, MAX_JSON_BYTES, type OutFile } from './fs.js';
import { dirNames, findLeftovers, idName, readGeneration, regulaMeta, usualName, type RegulaMeta } from './generation.js';
import {
  checkManifest,
  checkModelJson,
  GENERATED_BY,
  isRecord,
  MODEL_JSON,
  ModelFormatError,
  show,
  TRAINING_STATE_JSON,
  WEIGHTS_JSON,
  type WeightSpec,
  type WeightsManifest,
} from './keras-format.js';
import { checkTrainingStateJson, type TrainingStateJson } from './training-state.js';
import { DEFAULT_MAX_WEIGHT_BYTES, shardNames, specsByteLength, splitShards } from './weights.js';
import { crc32 as crc32Of } from './crc32.js';

const TRAINING_STATE_BIN = 'training-state.bin';

/** CRC-32 (IEEE) of bytes, as an 8-digit hex string. */
export function crc32(bytes: Uint8Array): string {
  return crc32Of(bytes).toString(16).padStart(8, '0');
}

/** An extra file saved in the same generation as the model (e.g. the CLI's preprocessing.json). */
export interface ExtraFile {
  /** Logical name: a plain file name such as `preprocessing.json`. */
  name: string;
  data: string | Uint8Array;
}

/** Options of `writeArtifactsToDir`. */
export interface WriteDirOptions {
  /** Write `weights.json` (+ `weights-shard*.bin`) instead of model.json. */
  weightsOnly?: boolean;
  /** Files that switch together with the model; read back with `readExtraFile`. */
  extraFiles?: readonly ExtraFile[];
}

const DATA_RE = /^(?:group1-shard\d+of\d+\.bin|weights-shard\d+of\d+\.bin|training-state\.(?:json|bin))$/;

/** Rejects extra-file names that are not plain names or collide with Regula's own files. */
function checkExtraNames(extras: readonly ExtraFile[]): void {
  const seen = new Set<string>();
  for (const e of extras) {
    const n = e.name;
    if (typeof n !== 'string' || !/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(n) || n.includes('..')) {
      throw new Error(`save: extraFiles name must be a plain file name (letters, digits, '_', '-', '.'), got ${JSON.stringify(n)}`);
    }
    if (n === MODEL_JSON || n === WEIGHTS_JSON || DATA_RE.test(n) || usualName(n) !== undefined || n.endsWith('.tmp')) {
      throw new Error(`save: extraFiles name ${JSON.stringify(n)} is reserved for Regula's own files`);
    }
    if (seen.has(n)) throw new Error(`save: extraFiles names must be unique, got ${JSON.stringify(n)} twice`);
    if (typeof e.data !== 'string' && !(e.data instanceof Uint8Array)) throw new Error(`save: extraFiles ${JSON.stringify(n)} data must be a string or a Uint8Array`);
    seen.add(n);
  }
}

/** One save laid out under given names: data files, the training-state JSON, the commit file. */
interface Layout {
  data: OutFile[];
  stateJson: OutFile | undefined;
  commit: OutFile;
}

/**
 * Lays a save out with `nameOf(usual name)` choosing each file's name.
 * `replaces` (phase 1 only) records the previous generation's files.
 */
function layout(a: ModelArtifacts, bytes: Uint8Array, saveId: string, opts: WriteDirOptions, nameOf: (usual: string) => string, replaces?: RegulaMeta['replaces']): Layout {
  const shards = splitShards(bytes);
  const paths = shardNames(shards.length, opts.weightsOnly ? 'weights' : 'group1').map(nameOf);
  const data: OutFile[] = shards.map((d, i) => ({ name: paths[i]!, data: d }));
  const manifest: WeightsManifest = [{ paths, weights: a.weightSpecs ?? [] }];
  let stateJson: OutFile | undefined;
  const extraFiles: Record<string, string> = {};
  for (const e of opts.extraFiles ?? []) {
    extraFiles[e.name] = nameOf(e.name);
    data.push({ name: extraFiles[e.name]!, data: e.data });
  }
  const regula: RegulaMeta = { saveId, crc32: crc32(bytes) };
  if (opts.weightsOnly) {
    if (opts.extraFiles?.length) regula.extraFiles = extraFiles;
    if (replaces) regula.replaces = replaces;
    const json = { format: 'regula-weights', generatedBy: GENERATED_BY, weightsManifest: manifest, userDefinedMetadata: { regula } };
    return { data, stateJson, commit: { name: WEIGHTS_JSON, data: JSON.stringify(json) } };
  }
  if (!a.modelTopology) throw new Error('save: artifacts have no modelTopology');
  regula.trainingState = null;
  if (a.trainingState) {
    const jsonName = nameOf(TRAINING_STATE_JSON);
    const binName = nameOf(TRAINING_STATE_BIN);
    data.push({ name: binName, data: new Uint8Array(a.trainingState.weightData) });
    stateJson = { name: jsonName, data: trainingStateJson(a.trainingState, saveId, binName) };
    regula.trainingState = jsonName;
  }
  if (opts.extraFiles?.length) regula.extraFiles = extraFiles;
  if (replaces) regula.replaces = replaces;
  const json: Record<string, unknown> = {
    modelTopology: a.modelTopology,
    format: 'layers-model',
    generatedBy: a.generatedBy ?? GENERATED_BY,
    convertedBy: a.convertedBy ?? null,
    weightsManifest: manifest,
    userDefinedMetadata: { ...(a.userDefinedMetadata ?? {}), regula },
  };
  if (a.trainingConfig) json['trainingConfig'] = a.trainingConfig;
  return { data, stateJson, commit: { name: MODEL_JSON, data: JSON.stringify(json) } };
}

/**
 * Writes artifacts into `dir` (created if needed) as one new generation; see
 * generation.ts. A kill at any point leaves a directory that loads (the
 * previous save or this one); the next save removes what a killed one left.
 * Files Regula did not write are never overwritten or deleted. Returns the
 * leftovers of earlier interrupted saves that this save removed (to report).
 */
export async function writeArtifactsToDir(dir: string, a: ModelArtifacts, opts: WriteDirOptions = {}): Promise<{ removedLeftovers: string[] }> {
  const bytes = weightDataBytes(a.weightData, 'artifacts');
  checkExtraNames(opts.extraFiles ?? []);
  if (!opts.weightsOnly && !a.modelTopology) throw new Error('save: artifacts have no modelTopology');
  const saveId = await randomId();
  const commitName = opts.weightsOnly ? WEIGHTS_JSON : MODEL_JSON;
  const names = await dirNames(dir);
  const prev = await readGeneration(dir, commitName, names);
  const other = await readGeneration(dir, opts.weightsOnly ? MODEL_JSON : WEIGHTS_JSON, names);
  const leftovers = await findLeftovers(dir, names, prev, other, (opts.extraFiles ?? []).map((e) => e.name));
  const keep = new Set(other?.refs ?? []);
  const owned = prev?.meta ? prev.refs.filter((r) => !keep.has(r) && names.has(r)) : [];
  const replaces = prev?.meta ? { saveId: prev.meta.saveId, files: owned } : undefined;
  // Phase 1: every file under a saveId name, then the commit file; then the previous save goes.
  const one = layout(a, bytes, saveId, opts, (n) => idName(n, saveId), replaces);
  const stale = [...new Set([...owned, ...leftovers])];
  await writeFilesAtomic(dir, [...one.data, ...(one.stateJson ? [one.stateJson] : []), one.commit], stale);
  // Phase 2 (tidy): usual names where free, by hard links; the commit file again, without `replaces`.
  const now = await dirNames(dir);
  const two = layout(a, bytes, saveId, opts, (n) => (now.has(n) ? idName(n, saveId) : n));
  const linked: string[] = [];
  for (let i = 0; i < two.data.length; i++) {
    const from = one.data[i]!.name;
    const to = two.data[i]!.name;
    if (from === to) continue;
    if (!(await linkFile(dir, from, to))) return { removedLeftovers: leftovers }; // no hard links here: the saveId names stay (phase 1 is complete)
    linked.push(from);
  }
  const movedState = one.stateJson && two.stateJson && one.stateJson.name !== two.stateJson.name;
  const rewrite = [...(movedState ? [two.stateJson!] : []), two.commit];
  await writeFilesAtomic(dir, rewrite, [...linked, ...(movedState ? [one.stateJson!.name] : [])]);
  return { removedLeftovers: leftovers };
}

function trainingStateJson(t: TrainingStateArtifacts, saveId: string, binName: string): string {
  const json: TrainingStateJson = {
    format: 'regula-training-state',
    version: 1,
    generatedBy: GENERATED_BY,
    saveId,
    state: t.state,
    weightsManifest: [{ paths: [binName], weights: t.weightSpecs }],
  };
  return JSON.stringify(json);
}

/** Reads every group of a manifest (sizes checked before reading), concatenated in manifest order. */
async function readManifestBytes(dir: string, manifest: WeightsManifest, file: string, maxBytes: number): Promise<{ specs: WeightSpec[]; bytes: Uint8Array }> {
  const specs: WeightSpec[] = [];
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const g of manifest) {
    const need = specsByteLength(g.weights, file, maxBytes);
    total += need;
    if (total > maxBytes) throw new ModelFormatError(file, `weights need more than ${maxBytes} bytes in total (the load limit maxWeightBytes)`);
    parts.push(await readShards(dir, g.paths, need, file));
    specs.push(...g.weights);
  }
  const bytes = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    bytes.set(p, o);
    o += p.length;
  }
  return { specs, bytes };
}

/** Options of `readArtifactsFromDir`. */
export interface ReadDirOptions {
  /** Cap on declared weight bytes (default 1 GiB). */
  maxWeightBytes?: number;
  /** 'auto' (default): load training-state.json if present; 'ignore': never read it. */
  trainingState?: 'auto' | 'ignore';
}

/**
 * Reads a saved-model directory into artifacts, validating as it goes:
 * model.json structure, shard paths, sizes (before reading), the CRC of
 * Regula-written weights and the training state's saveId.
 */
export async function readArtifactsFromDir(dir: string, opts: ReadDirOptions = {}): Promise<ModelArtifacts> {
  const maxBytes = opts.maxWeightBytes ?? DEFAULT_MAX_WEIGHT_BYTES;
  const file = joinShown(dir, MODEL_JSON);
  if (!(await fileExists(dir, MODEL_JSON)) && (await fileExists(dir, WEIGHTS_JSON))) {
    throw new ModelFormatError(file, `not found; ${dir} holds a weights-only save (${WEIGHTS_JSON}): build the model and call model.loadWeights('${dir}')`);
  }
  const raw = await readJsonInside(dir, MODEL_JSON);
  const checked = checkModelJson(raw, file, true);
  const { specs, bytes } = await readManifestBytes(dir, checked.weightsManifest, file, maxBytes);
  const meta = regulaMeta(raw);
  if (meta && crc32(bytes) !== meta.crc32) {
    throw new ModelFormatError(file, `the weight shards do not match model.json (CRC-32 ${crc32(bytes)}, expected ${meta.crc32}): they come from another save (interrupted?) or were modified`);
  }
  const a: ModelArtifacts = {
    modelTopology: checked.modelTopology!,
    weightSpecs: specs,
    weightData: toArrayBuffer(bytes),
    format: 'layers-model',
  };
  const rawRec = raw as Record<string, unknown>;
  if (typeof rawRec['generatedBy'] === 'string') a.generatedBy = rawRec['generatedBy'];
  if (checked.trainingConfig) a.trainingConfig = checked.trainingConfig;
  if (opts.trainingState !== 'ignore') {
    const name = await trainingStateName(dir, meta);
    if (name !== undefined) a.trainingState = await readTrainingState(dir, name, meta?.saveId, maxBytes);
  }
  return a;
}

/**
 * The training-state file of a model: the one its metadata names; with none
 * named, `training-state.json` if present (the pre-generation layout, or a
 * stray file the saveId check then refuses), except a leftover of the save
 * this one replaced.
 */
async function trainingStateName(dir: string, meta: RegulaMeta | undefined): Promise<string | undefined> {
  if (typeof meta?.trainingState === 'string') return meta.trainingState;
  if (!(await fileExists(dir, TRAINING_STATE_JSON))) return undefined;
  if (meta?.trainingState === null && meta.replaces?.files.includes(TRAINING_STATE_JSON)) return undefined;
  return TRAINING_STATE_JSON;
}

async function readTrainingState(dir: string, name: string, modelSaveId: string | undefined, maxBytes: number): Promise<TrainingStateArtifacts> {
  const file = joinShown(dir, name);
  const raw = await readJsonInside(dir, name);
  const { saveId, state, manifestRaw } = checkTrainingStateJson(raw, file);
  if (saveId !== modelSaveId) {
    throw new ModelFormatError(file, `belongs to another save (saveId ${show(saveId)}, model.json has ${show(modelSaveId ?? null)}); delete it or load with {trainingState: 'ignore'}`);
  }
  const manifest = checkManifest(manifestRaw, file);
  const { specs, bytes } = await readManifestBytes(dir, manifest, file, maxBytes);
  return { state, weightSpecs: specs, weightData: toArrayBuffer(bytes) };
}

/**
 * Reads the weights of `dir`: `weights.json` if present (a weights-only
 * save), else model.json's manifest. Returns weights-only artifacts.
 */
export async function readWeightsFromDir(dir: string, opts: ReadDirOptions = {}): Promise<ModelArtifacts> {
  const maxBytes = opts.maxWeightBytes ?? DEFAULT_MAX_WEIGHT_BYTES;
  const name = (await fileExists(dir, WEIGHTS_JSON)) ? WEIGHTS_JSON : MODEL_JSON;
  const file = joinShown(dir, name);
  const raw = await readJsonInside(dir, name);
  const checked = checkModelJson(raw, file, false);
  const { specs, bytes } = await readManifestBytes(dir, checked.weightsManifest, file, maxBytes);
  const meta = regulaMeta(raw);
  if (meta && crc32(bytes) !== meta.crc32) {
    throw new ModelFormatError(file, `the weight shards do not match ${name} (CRC-32 ${crc32(bytes)}, expected ${meta.crc32}): they come from another save (interrupted?) or were modified`);
  }
  return { weightSpecs: specs, weightData: toArrayBuffer(bytes), format: 'layers-model' };
}

/** `dir/name` for messages, without importing node:path. */
function joinShown(dir: string, name: string): string {
  return dir.endsWith('/') || dir.endsWith('\\') ? `${dir}${name}` : `${dir}/${name}`;
}

/**
 * The content of an extra file saved with the model in `dir` (see
 * `SaveOptions.extraFiles`), from the generation the current model.json (or,
 * without one, weights.json) names; undefined if that generation has no such
 * file. A directory whose commit file records no extra files at all (TF.js,
 * or older Regula saves) falls back to a plain `dir/name`.
 * @example
 * const pre = await readExtraFile('ckpt', 'preprocessing.json'); // string | undefined
 */
export async function readExtraFile(dir: string, name: string): Promise<string | undefined> {
  const bytes = await readExtraFileBytes(dir, name);
  return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
}

/** `readExtraFile` as bytes. */
export async function readExtraFileBytes(dir: string, name: string): Promise<Uint8Array | undefined> {
  const commit = (await fileExists(dir, MODEL_JSON)) ? MODEL_JSON : (await fileExists(dir, WEIGHTS_JSON)) ? WEIGHTS_JSON : undefined;
  const meta = commit === undefined ? undefined : regulaMeta(await readJsonInside(dir, commit));
  let file: string | undefined = name;
  if (meta?.extraFiles) file = Object.prototype.hasOwnProperty.call(meta.extraFiles, name) ? meta.extraFiles[name] : undefined;
  if (file === undefined || !(await fileExists(dir, file))) return undefined;
  return readFileInside(dir, file, MAX_JSON_BYTES);
}
