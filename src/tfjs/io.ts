/**
 * `tf.io` and the URL side of `model.save(url)` / `tf.loadLayersModel(url)`:
 * a `file://` URL or a plain path is a directory in Node (a path to its
 * `model.json` means that directory); an IOHandler (`tf.io.fromMemory`,
 * `tf.io.withSaveHandler`, or any object with `save`/`load`) works anywhere.
 * Everything goes through Regula's public `save` / `loadModel`, which own
 * the other URL schemes (http(s) loads; `indexeddb://`, `localstorage://`,
 * `downloads://` refused naming the scheme): Regula's answer is this entry's.
 */
import type { ModelArtifacts, WeightData } from '../io/artifacts.js';
import type { ModelLoadHandler, ModelSaveHandler } from '../io/handlers.js';
import type { WeightSpec } from '../io/keras-format.js';

export type { ModelArtifacts, WeightData, WeightSpec };

/** TF.js's `ModelArtifactsInfo` (what a save reports). */
export interface ModelArtifactsInfo {
  dateSaved: Date;
  modelTopologyType: 'JSON' | 'GraphDef';
  modelTopologyBytes?: number;
  weightSpecsBytes?: number;
  weightDataBytes?: number;
}

/** TF.js's `SaveResult`. */
export interface SaveResult {
  modelArtifactsInfo: ModelArtifactsInfo;
  errors?: Array<{} | string>;
}

/** TF.js's `SaveConfig`. */
export interface SaveConfig {
  /** Save the optimizer state (Regula's training state, for an exact resume). Default false, as in TF.js. */
  includeOptimizer?: boolean;
  /** Not provided: Regula saves every weight. */
  trainableOnly?: never;
}

/** An object with `save` and/or `load` (TF.js's IOHandler). */
export interface IOHandler {
  save?: (modelArtifacts: ModelArtifacts) => Promise<SaveResult>;
  load?: () => Promise<ModelArtifacts>;
}

/** TF.js's `LoadOptions` (the parts that apply to a directory or handler). */
export interface LoadOptions {
  /** Refuse manifests declaring more weight bytes than this (Regula; default 1 GiB). */
  maxWeightBytes?: number;
  /** Not provided (TF.js checks unknown weights; Regula always does). */
  strict?: never;
  /** Not provided: fetch options for http(s) loads. */
  requestInit?: never;
  /** Not provided. */
  weightPathPrefix?: never;
}

/** Artifacts info for a save result. */
export function artifactsInfo(a: ModelArtifacts): ModelArtifactsInfo {
  const wd = a.weightData;
  const weightDataBytes = wd === undefined ? 0 : Array.isArray(wd) ? wd.reduce((s, b) => s + b.byteLength, 0) : (wd as ArrayBuffer).byteLength;
  return {
    dateSaved: new Date(),
    modelTopologyType: 'JSON',
    modelTopologyBytes: a.modelTopology === undefined ? 0 : JSON.stringify(a.modelTopology).length,
    weightSpecsBytes: a.weightSpecs === undefined ? 0 : JSON.stringify(a.weightSpecs).length,
    weightDataBytes,
  };
}

/** A `file://` URL as a path (Node); anything else as it is. */
function fileUrlToPath(url: string): string {
  if (!/^file:\/\//i.test(url)) return url;
  const u = new URL(url);
  const p = decodeURIComponent(u.pathname);
  return /^\/[A-Za-z]:\//.test(p) ? p.slice(1) : p;
}

/** Where a save goes: a directory path (file:// stripped) or a handler. */
export function saveTarget(urlOrHandler: string | IOHandler): string | ModelSaveHandler {
  if (typeof urlOrHandler !== 'string') return urlOrHandler as ModelSaveHandler;
  return fileUrlToPath(urlOrHandler);
}

/** Where a load comes from: a directory (file:// stripped, `…/model.json` → its directory) or a handler. */
export function loadSource(urlOrHandler: string | IOHandler): string | ModelLoadHandler {
  if (typeof urlOrHandler !== 'string') return urlOrHandler as ModelLoadHandler;
  const p = fileUrlToPath(urlOrHandler);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p)) return p;
  const m = /^(.*?)[\\/]*model\.json$/.exec(p);
  return m ? m[1] || '.' : p;
}

/** A load handler over artifacts in memory (TF.js's `tf.io.fromMemory`, both spellings). */
export function fromMemory(modelArtifacts: ModelArtifacts | object, weightSpecs?: WeightSpec[], weightData?: WeightData, trainingConfig?: ModelArtifacts['trainingConfig']): IOHandler {
  const isArtifacts = (a: object): a is ModelArtifacts => 'modelTopology' in a;
  const artifacts: ModelArtifacts =
    isArtifacts(modelArtifacts) && weightSpecs === undefined
      ? modelArtifacts
      : {
          modelTopology: modelArtifacts,
          ...(weightSpecs !== undefined ? { weightSpecs } : {}),
          ...(weightData !== undefined ? { weightData } : {}),
          ...(trainingConfig !== undefined ? { trainingConfig } : {}),
        };
  return { load: async () => artifacts };
}

/** A save handler that hands the artifacts to `saveHandler` (TF.js's `tf.io.withSaveHandler`). */
export function withSaveHandler(saveHandler: (artifacts: ModelArtifacts) => Promise<SaveResult>): IOHandler {
  return { save: saveHandler };
}

/** `tf.io`: the in-memory handlers. Browser/http handlers (browserFiles, http, browserDownloads) are not provided. */
export const io = { fromMemory, withSaveHandler };
