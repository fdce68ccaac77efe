/**
 * The Keras 3 `.keras` archive as Keras's `saving_lib` lays it out: a zip
 * holding `metadata.json` ({keras_version, date_saved}), `config.json` (the
 * serialized model) and `model.weights.h5`, where each saveable object's
 * variables are the datasets `<inner path>/vars/0 … n-1` (`vars` at the
 * root for the model itself, `layers/<snake_case class>[_k]/vars` for its
 * layers, `optimizer/vars` for the optimizer). Keras ≥ 3.6 can also write the
 * weights sharded: `model.weights.json` ({metadata, weight_map: {'/layers/
 * dense/vars': 'model_00000.weights.h5', …}}) and the shard files it names.
 * Differences between Keras 3 versions are tolerated: a `vars` group may be
 * absent (written lazily) or present and empty, and may carry a `name`
 * attribute.
 *
 * io only: JSON and weight datasets in and out, no models. Browser-safe.
 */
import { isRecord, ModelFormatError, parseJsonText, show } from '../keras-format.js';
import { openH5, writeH5, type H5Info, type H5Reader, type H5Tree } from './h5.js';
import { listZip, readMember, writeZip, type ZipEntry } from './zip.js';

export const CONFIG_JSON = 'config.json';
export const METADATA_JSON = 'metadata.json';
export const WEIGHTS_H5 = 'model.weights.h5';
export const WEIGHTS_JSON = 'model.weights.json';
/** Largest JSON member read (config.json can be large for big graphs). */
export const MAX_ARCHIVE_JSON_BYTES = 64 * 1024 * 1024;
/** HDF5 bookkeeping allowed beyond the weight bytes themselves. */
const H5_OVERHEAD = 64 * 1024 * 1024;

/** One weight dataset of a saveable object: `vars/<index>`. */
export interface VarDataset {
  /** Where it is, for errors: `model.weights.h5:/layers/dense/vars/0`. */
  where: string;
  info: H5Info;
  read(): Float32Array;
}

/** The weights of an archive, by Keras inner path ('' for the model, 'layers/dense', 'optimizer'). */
export interface WeightStore {
  /** The datasets `vars/0 … n-1` of `innerPath` in index order; [] when the group is absent or empty. */
  vars(innerPath: string): Promise<VarDataset[]>;
  /** Releases the opened HDF5 files. */
  close(): void;
}

/** A read archive: its parsed JSON members and its weights. */
export interface KerasArchive {
  config: unknown;
  metadata: unknown;
  weights: WeightStore;
  /** Uncompressed bytes of the weight files (the most weight data the archive can hold). */
  weightBytes: number;
  /** Other members asked for by name (undefined when absent). */
  extra: Map<string, Uint8Array>;
}

/** A `vars` group's datasets in index order; the names must be 0 … n-1. */
function varsOf(r: H5Reader, inner: string): VarDataset[] {
  const group = inner === '' ? 'vars' : `${inner}/vars`;
  const keys = r.keys(group);
  if (keys === undefined) return [];
  const idx = keys.map((k) => (/^(0|[1-9]\d*)$/.test(k) ? Number(k) : NaN)).sort((a, b) => a - b);
  if (idx.some((v, i) => v !== i)) throw new ModelFormatError(r.file, `/${group} holds ${show(keys)}; Keras writes the datasets 0 … n-1`);
  return idx.map((i) => {
    const path = `${group}/${i}`;
    const info = r.info(path);
    if (!info) throw new ModelFormatError(r.file, `/${path} is not a dataset`);
    return { where: `${r.file}:/${path}`, info, read: () => r.read(path) };
  });
}

/**
 * Reads an archive's bytes: the directory and sizes checked first, then
 * config.json, metadata.json and the weights (one h5, or shards through
 * model.weights.json). `extraNames` are other members to return if present.
 */
export async function readKerasArchive(bytes: Uint8Array, source: string, maxWeightBytes: number, extraNames: readonly string[] = []): Promise<KerasArchive> {
  const entries = listZip(bytes, source);
  const byName = new Map<string, ZipEntry>(entries.map((e) => [e.name, e]));
  const member = (name: string, max: number): Promise<Uint8Array> => {
    const e = byName.get(name);
    if (!e) throw new ModelFormatError(source, `has no ${name} (members: ${show(entries.map((x) => x.name))}); not a Keras 3 .keras archive`);
    return readMember(bytes, e, `${source}:${name}`, max);
  };
  const json = async (name: string): Promise<unknown> => parseJsonText(new TextDecoder().decode(await member(name, MAX_ARCHIVE_JSON_BYTES)), `${source}:${name}`);
  const config = await json(CONFIG_JSON);
  const metadata = byName.has(METADATA_JSON) ? await json(METADATA_JSON) : {};
  const budget = maxWeightBytes + H5_OVERHEAD;
  let weights: WeightStore;
  let weightBytes = 0;
  if (byName.has(WEIGHTS_H5)) {
    weightBytes = byName.get(WEIGHTS_H5)!.size;
    const r = await openH5(await member(WEIGHTS_H5, budget), `${source}:${WEIGHTS_H5}`, maxWeightBytes);
    weights = { vars: async (inner) => varsOf(r, inner), close: () => r.close() };
  } else if (byName.has(WEIGHTS_JSON)) {
    for (const e of entries) if (e.name.endsWith('.weights.h5')) weightBytes += e.size;
    weights = await shardedStore(await json(WEIGHTS_JSON), source, byName, (name) => member(name, budget), maxWeightBytes);
  } else {
    throw new ModelFormatError(source, `has neither ${WEIGHTS_H5} nor ${WEIGHTS_JSON} (members: ${show(entries.map((x) => x.name))})`);
  }
  const extra = new Map<string, Uint8Array>();
  try {
    for (const n of extraNames) if (byName.has(n)) extra.set(n, await member(n, MAX_ARCHIVE_JSON_BYTES));
  } catch (e) {
    weights.close();
    throw e;
  }
  return { config, metadata, weights, weightBytes, extra };
}

/** Sharded weights: the weight map names, per `vars` group, the shard holding it; shards open on first use. */
async function shardedStore(map: unknown, source: string, byName: Map<string, ZipEntry>, member: (name: string) => Promise<Uint8Array>, maxWeightBytes: number): Promise<WeightStore> {
  const file = `${source}:${WEIGHTS_JSON}`;
  const wm = isRecord(map) ? map['weight_map'] : undefined;
  if (!isRecord(wm)) throw new ModelFormatError(file, `must hold {"weight_map": {...}}, got ${show(map)}`);
  for (const [k, v] of Object.entries(wm)) {
    if (typeof v !== 'string' || !byName.has(v)) throw new ModelFormatError(file, `weight_map[${JSON.stringify(k)}] names ${show(v)}, which is not a member of the archive`);
  }
  const open = new Map<string, H5Reader>();
  let used = 0;
  const reader = async (shard: string): Promise<H5Reader> => {
    let r = open.get(shard);
    if (!r) {
      const e = byName.get(shard)!;
      used += e.size;
      if (used > maxWeightBytes + H5_OVERHEAD) throw new ModelFormatError(file, `the weight shards declare more than ${maxWeightBytes} bytes (the load limit maxWeightBytes)`);
      r = await openH5(await member(shard), `${source}:${shard}`, maxWeightBytes);
      open.set(shard, r);
    }
    return r;
  };
  const close = (): void => {
    for (const r of open.values()) r.close();
    open.clear();
  };
  return {
    async vars(inner) {
      const key = inner === '' ? '/vars' : `/${inner}/vars`;
      const shard = (wm[key] ?? wm[inner]) as string | undefined;
      if (shard === undefined) return [];
      return varsOf(await reader(shard), inner);
    },
    close,
  };
}

/** What `writeKerasArchive` writes. */
export interface KerasArchiveOut {
  config: unknown;
  metadata: unknown;
  weights: H5Tree;
  /** Further members (e.g. Regula's preprocessing), after the three Keras writes. */
  extra?: readonly { name: string; data: Uint8Array }[];
}

/** The archive's bytes: metadata.json, config.json, model.weights.h5 (stored), then `extra`. */
export async function writeKerasArchive(a: KerasArchiveOut): Promise<Uint8Array> {
  const enc = new TextEncoder();
  const h5 = await writeH5(a.weights);
  return writeZip([
    { name: METADATA_JSON, data: enc.encode(JSON.stringify(a.metadata)), deflate: false },
    { name: CONFIG_JSON, data: enc.encode(JSON.stringify(a.config)), deflate: true },
    { name: WEIGHTS_H5, data: h5, deflate: false },
    ...(a.extra ?? []).map((x) => ({ name: x.name, data: x.data, deflate: true })),
  ]);
}
