/**
 * Model artifacts ↔ a directory in the TF.js Layers layout:
 *
 *   model.json                 topology + weightsManifest (TF.js reads it as is)
 *   group1-shard1of1.bin …     weights, 4 MiB shards
 *   training-state.json/.bin   optional, Regula only (exact resume)
 *   weights.json + weights-shard1of1.bin …   a weights-only save
 *
 * `model.json` (or `weights.json`) is renamed into place last, so it always
 * describes complete shards. It carries `userDefinedMetadata.regula =
 * {saveId, crc32}`: the CRC of the weight bytes detects shards from another
 * save (a crash between renames) and the saveId ties the training state to
 * its model. Files written by TF.js have no such metadata and load without
 * those checks. All file access goes through fs.ts.
 */
import { toArrayBuffer, weightDataBytes, type ModelArtifacts, type TrainingStateArtifacts } from './artifacts.js';
import { fileExists, listDir, randomId, readJsonInside, readShards, writeFilesAtomic, type OutFile } from './fs.js';
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

const TRAINING_STATE_BIN = 'training-state.bin';
const SHARD_RE = /^group1-shard\d+of\d+\.bin$/;
const WEIGHTS_SHARD_RE = /^weights-shard\d+of\d+\.bin$/;

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE) of bytes, as an 8-digit hex string. */
export function crc32(bytes: Uint8Array): string {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  const t = crcTable;
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ((c ^ 0xffffffff) >>> 0).toString(16).padStart(8, '0');
}

/** Shards + manifest group for one byte stream. */
function shardFiles(specs: WeightSpec[], bytes: Uint8Array, names: (n: number) => string[]): { files: OutFile[]; manifest: WeightsManifest } {
  const shards = splitShards(bytes);
  const paths = names(shards.length);
  return { files: shards.map((data, i) => ({ name: paths[i]!, data })), manifest: [{ paths, weights: specs }] };
}

/** Options of `writeArtifactsToDir`. */
export interface WriteDirOptions {
  /** Write `weights.json` (+ `weights-shard*.bin`) instead of model.json. */
  weightsOnly?: boolean;
}

/**
 * Writes artifacts into `dir` (created if needed) atomically; see the file
 * header for the layout. Stale shards and training state of an older save in
 * the same directory are removed after the new commit file is in place.
 */
export async function writeArtifactsToDir(dir: string, a: ModelArtifacts, opts: WriteDirOptions = {}): Promise<void> {
  const bytes = weightDataBytes(a.weightData, 'artifacts');
  const saveId = await randomId();
  const files: OutFile[] = [];
  const regula = { saveId, crc32: crc32(bytes) };
  let commit: OutFile;
  if (opts.weightsOnly) {
    const s = shardFiles(a.weightSpecs ?? [], bytes, (n) => shardNames(n, 'weights'));
    files.push(...s.files);
    commit = { name: WEIGHTS_JSON, data: JSON.stringify({ format: 'regula-weights', generatedBy: GENERATED_BY, weightsManifest: s.manifest, userDefinedMetadata: { regula } }) };
  } else {
    if (!a.modelTopology) throw new Error('save: artifacts have no modelTopology');
    const s = shardFiles(a.weightSpecs ?? [], bytes, (n) => shardNames(n));
    files.push(...s.files);
    if (a.trainingState) files.push(...trainingStateFiles(a.trainingState, saveId));
    const json: Record<string, unknown> = {
      modelTopology: a.modelTopology,
      format: 'layers-model',
      generatedBy: a.generatedBy ?? GENERATED_BY,
      convertedBy: a.convertedBy ?? null,
      weightsManifest: s.manifest,
      userDefinedMetadata: { ...(a.userDefinedMetadata ?? {}), regula },
    };
    if (a.trainingConfig) json['trainingConfig'] = a.trainingConfig;
    commit = { name: MODEL_JSON, data: JSON.stringify(json) };
  }
  const keep = new Set([...files.map((f) => f.name), commit.name]);
  const staleRe = opts.weightsOnly ? WEIGHTS_SHARD_RE : SHARD_RE;
  const stale = (await listDir(dir)).filter((n) => !keep.has(n) && (staleRe.test(n) || (!opts.weightsOnly && (n === TRAINING_STATE_JSON || n === TRAINING_STATE_BIN))));
  await writeFilesAtomic(dir, [...files, commit], stale);
}

function trainingStateFiles(t: TrainingStateArtifacts, saveId: string): OutFile[] {
  const bytes = new Uint8Array(t.weightData);
  const json: TrainingStateJson = {
    format: 'regula-training-state',
    version: 1,
    generatedBy: GENERATED_BY,
    saveId,
    state: t.state,
    weightsManifest: [{ paths: [TRAINING_STATE_BIN], weights: t.weightSpecs }],
  };
  return [
    { name: TRAINING_STATE_BIN, data: bytes },
    { name: TRAINING_STATE_JSON, data: JSON.stringify(json) },
  ];
}

/** The `userDefinedMetadata.regula` of a file Regula wrote, if well-formed. */
function regulaMeta(v: Record<string, unknown>): { saveId: string; crc32: string } | undefined {
  const u = v['userDefinedMetadata'];
  const r = isRecord(u) ? u['regula'] : undefined;
  if (!isRecord(r)) return undefined;
  return typeof r['saveId'] === 'string' && typeof r['crc32'] === 'string' ? { saveId: r['saveId'], crc32: r['crc32'] } : undefined;
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
  const meta = regulaMeta(raw as Record<string, unknown>);
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
  if (opts.trainingState !== 'ignore' && (await fileExists(dir, TRAINING_STATE_JSON))) {
    a.trainingState = await readTrainingState(dir, meta?.saveId, maxBytes);
  }
  return a;
}

async function readTrainingState(dir: string, modelSaveId: string | undefined, maxBytes: number): Promise<TrainingStateArtifacts> {
  const file = joinShown(dir, TRAINING_STATE_JSON);
  const raw = await readJsonInside(dir, TRAINING_STATE_JSON);
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
  const meta = regulaMeta(raw as Record<string, unknown>);
  if (meta && crc32(bytes) !== meta.crc32) {
    throw new ModelFormatError(file, `the weight shards do not match ${name} (CRC-32 ${crc32(bytes)}, expected ${meta.crc32}): they come from another save (interrupted?) or were modified`);
  }
  return { weightSpecs: specs, weightData: toArrayBuffer(bytes), format: 'layers-model' };
}

/** `dir/name` for messages, without importing node:path. */
function joinShown(dir: string, name: string): string {
  return dir.endsWith('/') || dir.endsWith('\\') ? `${dir}${name}` : `${dir}/${name}`;
}
