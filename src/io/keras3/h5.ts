/**
 * HDF5 weight files (`model.weights.h5`) through h5wasm, the HDF5 C library
 * compiled to WebAssembly, loaded on first use only (importing Regula never
 * loads it). h5wasm works on its own in-memory file system: a write builds
 * the file there and reads its bytes back; a read puts the bytes there and
 * opens them. Every name is unique per call and removed afterwards.
 *
 * Reads are of untrusted files: the caller learns a dataset's shape and
 * dtype from its metadata and reads the data only after checking them, and
 * every read counts against a byte budget. Errors are ModelFormatErrors
 * naming the member and the path inside it. Browser-safe (the browser build
 * of h5wasm is used where `process.versions.node` is absent).
 */
import { ModelFormatError } from '../keras-format.js';

type H5 = typeof import('h5wasm');
let h5: Promise<H5> | undefined;

/** h5wasm (its Node build under Node), ready to use. */
function loadH5(): Promise<H5> {
  h5 ??= (async () => {
    const isNode = typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';
    // Neither specifier is a literal, so bundlers (esbuild, Vite, webpack) leave h5wasm out of a
    // browser bundle (it is 5 MB, and its Node build has node-only imports): a page that reads or
    // writes .keras archives maps 'h5wasm' itself (an import map or a bundler alias).
    const entry: string = isNode ? 'h5wasm/node' : 'h5wasm';
    const m = (await import(/* @vite-ignore */ /* webpackIgnore: true */ entry)) as H5;
    await m.ready;
    return m;
  })();
  return h5;
}

let counter = 0;
const tempName = (): string => `/regula-${Date.now().toString(36)}-${++counter}.h5`;

/** A dataset to write: float32 or int64 values, row-major. */
export interface H5Dataset {
  path: string;
  shape: readonly number[];
  dtype: 'float32' | 'int64';
  data: Float32Array | BigInt64Array;
}

/** Groups (with string attributes) and datasets, written in the order given. */
export interface H5Tree {
  groups: { path: string; attrs?: Record<string, string> }[];
  datasets: H5Dataset[];
}

/** Writes `tree` as an HDF5 file and returns its bytes. */
export async function writeH5(tree: H5Tree): Promise<Uint8Array> {
  const m = await loadH5();
  const name = tempName();
  const FS = m.FS as unknown as { readFile(p: string): Uint8Array; unlink(p: string): void };
  const f = new m.File(name, 'w');
  try {
    const made = new Set<string>();
    const group = (path: string): void => {
      if (path === '' || made.has(path)) return;
      const cut = path.lastIndexOf('/');
      if (cut > 0) group(path.slice(0, cut));
      f.create_group(path);
      made.add(path);
    };
    for (const g of tree.groups) {
      group(g.path);
      for (const [k, v] of Object.entries(g.attrs ?? {})) (f.get(g.path) as InstanceType<H5['Group']>).create_attribute(k, v);
    }
    for (const d of tree.datasets) {
      const cut = d.path.lastIndexOf('/');
      group(d.path.slice(0, cut));
      f.create_dataset({ name: d.path, data: d.data, shape: [...d.shape], dtype: d.dtype === 'int64' ? '<q' : '<f' });
    }
  } finally {
    f.close();
  }
  try {
    return FS.readFile(name);
  } finally {
    FS.unlink(name);
  }
}

/** What the reader knows of a dataset before reading it. */
export interface H5Info {
  shape: number[];
  /** 'float32', 'float64', 'int32', 'int64', … or a description of what it is. */
  dtype: string;
}

/** An opened HDF5 file: list groups, inspect datasets, read them within a budget. */
export interface H5Reader {
  /** The member's name, for errors. */
  readonly file: string;
  /** Child names of a group, or undefined when `path` is not a group. */
  keys(path: string): string[] | undefined;
  /** A dataset's shape and dtype, or undefined when `path` is not a dataset. */
  info(path: string): H5Info | undefined;
  /** A dataset's values as float32 (integers converted), counted against the budget. */
  read(path: string): Float32Array;
  close(): void;
}

const DTYPES: Record<string, string> = { '<f': 'float32', '<d': 'float64', '<i': 'int32', '<q': 'int64', '<h': 'int16', '<b': 'int8', '<B': 'uint8', '<I': 'uint32', '<Q': 'uint64' };

/** Opens HDF5 bytes (refusing what is not HDF5); reads may use at most `maxBytes` in all. */
export async function openH5(bytes: Uint8Array, file: string, maxBytes: number): Promise<H5Reader> {
  if (bytes.length < 8 || bytes[0] !== 0x89 || bytes[1] !== 0x48 || bytes[2] !== 0x44 || bytes[3] !== 0x46) {
    throw new ModelFormatError(file, 'is not an HDF5 file (no HDF5 signature)');
  }
  const m = await loadH5();
  const FS = m.FS as unknown as { writeFile(p: string, d: Uint8Array): void; unlink(p: string): void };
  const name = tempName();
  FS.writeFile(name, bytes);
  let f: InstanceType<H5['File']>;
  try {
    f = new m.File(name, 'r');
  } catch (e) {
    FS.unlink(name);
    throw new ModelFormatError(file, `cannot be opened as HDF5 (truncated or corrupt): ${(e as Error).message}`);
  }
  let used = 0;
  const guard = <T>(path: string, fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      if (e instanceof ModelFormatError) throw e;
      throw new ModelFormatError(file, `${path}: cannot be read (corrupt HDF5?): ${(e as Error).message}`);
    }
  };
  // Walks from the root by listed names, so a missing path is never handed to HDF5 (which would print diagnostics).
  const entity = (path: string): unknown =>
    guard(path, () => {
      let cur: unknown = f;
      for (const seg of path.split('/').filter((s) => s !== '')) {
        if (!(cur instanceof m.Group) || !cur.keys().includes(seg)) return null;
        cur = cur.get(seg);
      }
      return cur;
    });
  let open = true;
  return {
    file,
    keys(path) {
      const g = path === '' ? f : entity(path);
      if (!(g instanceof m.Group)) return undefined;
      return guard(path, () => g.keys());
    },
    info(path) {
      const d = entity(path);
      if (!(d instanceof m.Dataset)) return undefined;
      return guard(path, () => {
        const shape = (d.shape ?? []).map(Number);
        const dt = d.dtype;
        const attrs = d.attrs as Record<string, { value: unknown }>;
        if ('dtype' in attrs && attrs['dtype']?.value === 'bfloat16') return { shape, dtype: 'bfloat16' };
        return { shape, dtype: typeof dt === 'string' ? (DTYPES[dt] ?? dt) : JSON.stringify(dt) };
      });
    },
    read(path) {
      const d = entity(path);
      if (!(d instanceof m.Dataset)) throw new ModelFormatError(file, `${path} is not a dataset`);
      return guard(path, () => {
        const meta = d.metadata as { total_size: number; size: number };
        const bytes = Number(meta.total_size) * Number(meta.size);
        used += bytes;
        if (used > maxBytes) throw new ModelFormatError(file, `${path}: reading it brings the weights to more than ${maxBytes} bytes (the load limit maxWeightBytes)`);
        const v = d.value as unknown;
        if (v instanceof Float32Array) return v;
        if (v instanceof Float64Array || v instanceof Int32Array || v instanceof Int16Array || v instanceof Int8Array || v instanceof Uint8Array || v instanceof Uint32Array) return Float32Array.from(v);
        if (v instanceof BigInt64Array || v instanceof BigUint64Array) return Float32Array.from(v, (x) => Number(x));
        if (typeof v === 'number') return Float32Array.of(v);
        if (typeof v === 'bigint') return Float32Array.of(Number(v));
        throw new ModelFormatError(file, `${path} holds ${typeof v} values, not numbers`);
      });
    },
    close() {
      if (!open) return;
      open = false;
      try {
        f.close();
      } finally {
        FS.unlink(name);
      }
    },
  };
}
