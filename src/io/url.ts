/**
 * Model locations written as TF.js writes them:
 *
 * - `file:///abs/dir` (and `file://rel/dir`) is the directory `dir` (Node);
 * - a path or `file://` URL ending in `/model.json` is its directory, so
 *   `loadModel('out/model/model.json')` and
 *   `tf.loadLayersModel('file://out/model/model.json')` both work;
 * - `http://` / `https://` URLs of a model.json load over `fetch` (Node ≥ 18
 *   and browsers), with the shards resolved against that URL and every size
 *   checked before and while it is read;
 * - TF.js's browser stores (`indexeddb://`, `localstorage://`,
 *   `downloads://`) and any other scheme are refused with an error naming
 *   the scheme and saying what to pass instead — never a stray folder named
 *   `indexeddb:` in the working directory.
 *
 * Browser-safe: no Node import (fetch is global).
 */
import type { ModelArtifacts } from './artifacts.js';
import { toArrayBuffer } from './artifacts.js';
import { checkModelJson, MODEL_JSON, ModelFormatError } from './keras-format.js';
import { DEFAULT_MAX_WEIGHT_BYTES, specsByteLength } from './weights.js';
import type { WeightSpec } from './keras-format.js';

/** A location: a directory path, or an http(s) URL of a model.json. */
export type Location = { kind: 'dir'; dir: string } | { kind: 'http'; url: string };

const BROWSER_STORES: Readonly<Record<string, string>> = {
  'indexeddb:': "TF.js's IndexedDB store",
  'localstorage:': "TF.js's localStorage store",
  'downloads:': "TF.js's browser downloads",
};

/** Where `target` points, for `who` ('save', 'loadModel', …); throws on a scheme Regula cannot use. */
export function locate(target: string, who: string): Location {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(target);
  if (!m) return { kind: 'dir', dir: stripModelJson(target) };
  const scheme = `${m[1]!.toLowerCase()}:`;
  if (scheme === 'file:') {
    let path: string;
    try {
      path = decodeURIComponent(target.slice('file://'.length));
    } catch {
      throw new Error(`${who}: ${JSON.stringify(target)} is not a valid file:// URL`);
    }
    if (path.startsWith('localhost/')) path = path.slice('localhost'.length);
    // file:///C:/x is the Windows path C:/x.
    if (/^\/[a-zA-Z]:[\\/]/.test(path)) path = path.slice(1);
    if (path === '') throw new Error(`${who}: ${JSON.stringify(target)} names no directory`);
    return { kind: 'dir', dir: stripModelJson(path) };
  }
  if (scheme === 'http:' || scheme === 'https:') {
    if (who !== 'loadModel' && who !== 'loadWeights') throw new Error(`${who}: saving to ${scheme}// is not supported (TF.js POSTs to a server); save to a directory, or pass a handler such as tf.io.http(url)`);
    return { kind: 'http', url: target };
  }
  const store = BROWSER_STORES[scheme];
  if (store) {
    throw new Error(`${who}: '${scheme}//' (${store}) is not built into Regula; pass TF.js's own handler instead, e.g. ${who === 'save' ? `model.save(tf.io.getSaveHandlers('${target}')[0])` : `loadModel(tf.io.getLoadHandlers('${target}')[0])`}, or a directory path in Node`);
  }
  throw new Error(`${who}: unknown URL scheme '${scheme}//' in ${JSON.stringify(target)}; give a directory path, a file:// or http(s):// URL, or a TF.js IOHandler`);
}

/** 'dir/model.json' → 'dir' (a directory path is returned unchanged). */
function stripModelJson(p: string): string {
  const m = /^(.*)[\\/]model\.json$/.exec(p);
  if (m) return m[1] === '' ? '/' : m[1]!;
  return p === MODEL_JSON ? '.' : p;
}

async function fetchChecked(url: string, file: string, limit: number): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new ModelFormatError(file, `cannot fetch ${url}: ${(e as Error).message}`);
  }
  if (!res.ok) throw new ModelFormatError(file, `fetching ${url} gave HTTP ${res.status} ${res.statusText}`);
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw new ModelFormatError(file, `${url} is ${declared} bytes, more than the ${limit} allowed`);
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  const parts: Uint8Array[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      throw new ModelFormatError(file, `${url} sends more than the ${limit} bytes allowed`);
    }
    parts.push(value);
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Reads a model (or weights) published over http(s): model.json at `url`, shards beside it. */
export async function readArtifactsFromUrl(url: string, opts: { maxWeightBytes?: number; needTopology?: boolean } = {}): Promise<ModelArtifacts> {
  const maxBytes = opts.maxWeightBytes ?? DEFAULT_MAX_WEIGHT_BYTES;
  const base = url.endsWith('/') ? `${url}${MODEL_JSON}` : url;
  const text = new TextDecoder().decode(await fetchChecked(base, base, 64 * 2 ** 20));
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ModelFormatError(base, `not valid JSON: ${(e as Error).message}`);
  }
  const checked = checkModelJson(raw, base, opts.needTopology !== false);
  const specs: WeightSpec[] = [];
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const g of checked.weightsManifest) {
    const need = specsByteLength(g.weights, base, maxBytes);
    total += need;
    if (total > maxBytes) throw new ModelFormatError(base, `weights need more than ${maxBytes} bytes in total (the load limit maxWeightBytes)`);
    let got = 0;
    for (const p of g.paths) {
      const bytes = await fetchChecked(new URL(p, base).href, base, need - got);
      got += bytes.length;
      parts.push(bytes);
    }
    if (got !== need) throw new ModelFormatError(base, `weight shards ${g.paths.join(', ')} hold ${got} bytes, but the manifest declares ${need}`);
    for (const w of g.weights) specs.push(w);
  }
  const bytes = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    bytes.set(p, o);
    o += p.length;
  }
  const a: ModelArtifacts = { weightSpecs: specs, weightData: toArrayBuffer(bytes), format: 'layers-model' };
  if (checked.modelTopology) a.modelTopology = checked.modelTopology;
  return a;
}
