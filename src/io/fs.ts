/**
 * Directory I/O for saved models — the only module under `src/` besides
 * cli/, report/ and data/ readers that touches `node:*`, and it does so
 * lazily (`process.getBuiltinModule` / a non-literal dynamic import inside each call), so the main
 * barrel stays importable (and bundleable) for browsers; only calling these
 * functions there fails.
 *
 * Writes are atomic: every file is first written in full to a temporary file
 * in the same directory and fsynced, then renamed over its final name, the
 * commit file (`model.json`) last. A save that fails while serializing
 * touches no file; one that fails while writing removes its temporaries and
 * leaves the previous `model.json` in place.
 *
 * Reads treat the directory as untrusted: a path from a manifest must be
 * relative, without `..`, `\`, drive letters or URL schemes, and must resolve
 * (after following symlinks) to a regular file inside the directory. Sizes
 * are checked with `stat` before any byte is read, so nothing outside the
 * directory is opened and nothing oversized is allocated.
 */
import { ModelFormatError, parseJsonText } from './keras-format.js';

type FsPromises = typeof import('node:fs/promises');
type NodePath = typeof import('node:path');
interface NodeModules {
  fs: FsPromises;
  path: NodePath;
  randomHex: (bytes: number) => string;
}

let nodeModules: Promise<NodeModules> | undefined;

/**
 * A Node built-in without a static `node:` import, so bundlers targeting
 * browsers leave this file alone: `process.getBuiltinModule` (Node ≥ 20.16),
 * else a dynamic import of a non-literal specifier.
 */
async function builtin<T>(id: string): Promise<T> {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const m = proc?.getBuiltinModule?.(id);
  if (m) return m as T;
  const specifier = id;
  return (await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)) as T;
}

/** Loads node:fs/promises, node:path and node:crypto on first use. */
function node(): Promise<NodeModules> {
  nodeModules ??= (async () => {
    try {
      const [fs, path, crypto] = await Promise.all([
        builtin<FsPromises>('node:fs/promises'),
        builtin<NodePath>('node:path'),
        builtin<typeof import('node:crypto')>('node:crypto'),
      ]);
      return { fs, path, randomHex: (n: number) => crypto.randomBytes(n).toString('hex') };
    } catch (e) {
      nodeModules = undefined;
      throw new Error(`regula io: saving to or loading from a directory needs Node.js file access (${e instanceof Error ? e.message : String(e)}); in a browser use toArtifacts/fromArtifacts or an IOHandler`);
    }
  })();
  return nodeModules;
}

/** Largest JSON file read (model.json, training-state.json): 64 MiB. */
export const MAX_JSON_BYTES = 64 * 1024 * 1024;

/**
 * Rejects a manifest path that is not a plain relative path (checked on the
 * string, before the file system is asked anything). Returns the path's
 * segments without `.` entries.
 */
export function checkRelativePath(p: string, file: string): string[] {
  const bad = (why: string): never => {
    throw new ModelFormatError(file, `weight path ${JSON.stringify(p)} ${why}; shard paths must be relative and stay inside the model directory`);
  };
  if (p === '') bad('is empty');
  if (p.includes('\0')) bad('contains a NUL byte');
  if (p.startsWith('/') || p.startsWith('\\')) bad('is absolute');
  if (/^[A-Za-z]:/.test(p)) bad('has a drive letter');
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(p)) bad('is a URL');
  if (p.includes('\\')) bad("contains '\\'");
  const segs = p.split('/').filter((s) => s !== '' && s !== '.');
  if (segs.some((s) => s === '..')) bad("contains '..'");
  if (segs.length === 0) bad('names no file');
  return segs;
}

/** What `resolveInside` found: the real path and the file's size. */
interface Resolved {
  real: string;
  size: number;
  dev: number;
  ino: number;
}

/**
 * Resolves `rel` inside `dir` after the string checks, follows symlinks with
 * `realpath` (which opens no file) and requires a regular file whose real
 * path is inside `dir`'s real path.
 */
async function resolveInside(dir: string, rel: string, file: string, what = 'weight file'): Promise<Resolved> {
  const { fs, path } = await node();
  const segs = checkRelativePath(rel, file);
  const realDir = await fs.realpath(dir);
  const target = path.join(realDir, ...segs);
  let real: string;
  try {
    real = await fs.realpath(target);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ModelFormatError(file, `${what} ${JSON.stringify(rel)} is missing (${target})`);
    throw new ModelFormatError(file, `cannot resolve ${what} ${JSON.stringify(rel)}: ${(e as Error).message}`);
  }
  const within = path.relative(realDir, real);
  if (within === '' || within.startsWith('..') || path.isAbsolute(within)) {
    throw new ModelFormatError(file, `${what} ${JSON.stringify(rel)} resolves to ${real}, outside the model directory ${realDir} (symlink?); refusing to read it`);
  }
  const st = await fs.stat(real);
  if (!st.isFile()) throw new ModelFormatError(file, `${what} ${JSON.stringify(rel)} is not a regular file`);
  return { real, size: st.size, dev: st.dev, ino: st.ino };
}

/**
 * Opens a resolved file without following a symlink in its last component
 * and checks it is still the file that was checked (same device, inode and
 * size), so swapping a link between the check and the read cannot redirect it.
 */
async function openChecked(r: Resolved, rel: string, file: string): Promise<import('node:fs/promises').FileHandle> {
  const { fs } = await node();
  const noFollow = fs.constants.O_NOFOLLOW ?? 0;
  const h = await fs.open(r.real, fs.constants.O_RDONLY | noFollow);
  try {
    const st = await h.stat();
    if (st.dev !== r.dev || st.ino !== r.ino || st.size !== r.size || !st.isFile()) {
      throw new ModelFormatError(file, `${JSON.stringify(rel)} changed while being opened; refusing to read it`);
    }
  } catch (e) {
    await h.close();
    throw e;
  }
  return h;
}

/** True if `dir/name` exists (without following it outside: lstat). */
export async function fileExists(dir: string, name: string): Promise<boolean> {
  const { fs, path } = await node();
  try {
    await fs.lstat(path.join(dir, name));
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads and parses a JSON file that must lie inside `dir` (symlinks may not
 * escape), refusing files larger than `MAX_JSON_BYTES`.
 */
export async function readJsonInside(dir: string, name: string): Promise<unknown> {
  const { fs, path } = await node();
  const shown = path.join(dir, name);
  try {
    const st = await fs.stat(dir);
    if (!st.isDirectory()) throw new ModelFormatError(dir, 'is not a directory');
  } catch (e) {
    if (e instanceof ModelFormatError) throw e;
    throw new ModelFormatError(dir, `cannot open the model directory: ${(e as Error).message}`);
  }
  const r = await resolveInside(dir, name, shown, 'file');
  if (r.size > MAX_JSON_BYTES) throw new ModelFormatError(shown, `is ${r.size} bytes, more than the ${MAX_JSON_BYTES}-byte limit for JSON files`);
  const h = await openChecked(r, name, shown);
  let text: string;
  try {
    text = await h.readFile('utf8');
  } finally {
    await h.close();
  }
  return parseJsonText(text, shown);
}

/**
 * Reads a file that must lie inside `dir` (symlinks may not escape), refusing
 * files larger than `maxBytes` before reading.
 */
export async function readFileInside(dir: string, name: string, maxBytes: number): Promise<Uint8Array> {
  const { path } = await node();
  const shown = path.join(dir, name);
  const r = await resolveInside(dir, name, shown, 'file');
  if (r.size > maxBytes) throw new ModelFormatError(shown, `is ${r.size} bytes, more than the ${maxBytes}-byte limit`);
  const h = await openChecked(r, name, shown);
  try {
    return new Uint8Array(await h.readFile());
  } finally {
    await h.close();
  }
}

/**
 * Reads a manifest group's shards: every path is checked and stat'ed first,
 * the total size must equal `expectedBytes` exactly, then the bytes are read
 * and concatenated in `paths` order.
 */
export async function readShards(dir: string, paths: readonly string[], expectedBytes: number, file: string): Promise<Uint8Array> {
  const resolved: Resolved[] = [];
  for (const p of paths) resolved.push(await resolveInside(dir, p, file));
  const total = resolved.reduce((s, r) => s + r.size, 0);
  if (total !== expectedBytes) {
    const list = paths.map((p, i) => `${p} (${resolved[i]!.size} bytes)`).join(', ');
    const how = total < expectedBytes ? 'shorter than' : 'longer than';
    throw new ModelFormatError(file, `weight shards ${list} hold ${total} bytes, ${how} the ${expectedBytes} bytes the manifest declares`);
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (let i = 0; i < resolved.length; i++) {
    const r = resolved[i]!;
    const h = await openChecked(r, paths[i]!, file);
    try {
      let got = 0;
      while (got < r.size) {
        const { bytesRead } = await h.read(out, o + got, r.size - got, got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      if (got !== r.size) throw new ModelFormatError(file, `weight file ${JSON.stringify(paths[i])} changed size while being read`);
    } finally {
      await h.close();
    }
    o += r.size;
  }
  return out;
}

/** One file of a save: its name inside the directory and its content. */
export interface OutFile {
  name: string;
  data: Uint8Array | string;
}

/**
 * Writes `files` into `dir` atomically, in order: all temporaries are written
 * and fsynced first, then renamed in the given order (put the commit file
 * last); `remove` (stale files of an older save) are deleted after the last
 * rename. On any failure, temporaries are removed and no final name has been
 * touched unless its rename already happened.
 */
export async function writeFilesAtomic(dir: string, files: readonly OutFile[], remove: readonly string[] = []): Promise<void> {
  const { fs, path, randomHex } = await node();
  for (const f of files) checkRelativePath(f.name, path.join(dir, f.name));
  await fs.mkdir(dir, { recursive: true });
  await removeDeadTemporaries(dir, files.map((f) => f.name));
  const tag = `${process.pid}-${randomHex(6)}`;
  const temps: string[] = [];
  try {
    for (const f of files) {
      const tmp = path.join(dir, `.${f.name}.${tag}.tmp`);
      temps.push(tmp);
      const h = await fs.open(tmp, 'wx');
      try {
        await h.writeFile(f.data);
        await h.sync();
      } finally {
        await h.close();
      }
    }
    for (let i = 0; i < files.length; i++) {
      await fs.rename(temps[i]!, path.join(dir, files[i]!.name));
      temps[i] = '';
    }
  } finally {
    for (const t of temps) if (t !== '') await fs.rm(t, { force: true });
  }
  await syncDir(dir);
  for (const r of remove) {
    checkRelativePath(r, path.join(dir, r));
    await fs.rm(path.join(dir, r), { force: true });
  }
}

/** fsyncs a directory so the renames are durable (best effort: not every platform allows it). */
async function syncDir(dir: string): Promise<void> {
  const { fs } = await node();
  try {
    const h = await fs.open(dir, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    // Windows cannot open directories; the rename is still atomic there.
  }
}

/** Names of files in `dir` (empty if it does not exist). */
export async function listDir(dir: string): Promise<string[]> {
  const { fs } = await node();
  try {
    return await fs.readdir(dir);
  } catch {
    return [];
  }
}

/**
 * Hard-links `dir/from` to the new name `dir/to` (fails if `to` exists), so
 * a file can take a second name without being copied. Returns false where the
 * file system has no hard links.
 */
export async function linkFile(dir: string, from: string, to: string): Promise<boolean> {
  const { fs, path } = await node();
  checkRelativePath(from, path.join(dir, from));
  checkRelativePath(to, path.join(dir, to));
  try {
    await fs.link(path.join(dir, from), path.join(dir, to));
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw e;
    return false;
  }
}

/** `dev:ino` of `dir/name` (lstat; a link is not followed), or undefined if it does not exist. */
export async function fileIdentity(dir: string, name: string): Promise<string | undefined> {
  const { fs, path } = await node();
  try {
    const st = await fs.lstat(path.join(dir, name));
    return `${st.dev}:${st.ino}`;
  } catch {
    return undefined;
  }
}

/** The temporary-file names of `writeFilesAtomic`: `.<name>.<pid>-<12 hex>.tmp`. */
export const TEMP_RE = /^\..+\.(\d+)-[0-9a-f]{12}\.tmp$/;

/**
 * Removes the temporaries that an earlier, killed write of these names left
 * in `dir` (`.<name>.<dead pid>-<hex>.tmp`): Regula's own files only, never
 * one of a write still in flight.
 */
async function removeDeadTemporaries(dir: string, names: readonly string[]): Promise<void> {
  const { fs, path } = await node();
  const wanted = new Set(names.map((n) => path.basename(n)));
  for (const n of await listDir(dir)) {
    const m = TEMP_RE.exec(n);
    if (!m || !isDeadTemporary(n)) continue;
    const target = n.slice(1, n.length - `.${m[1]}-000000000000.tmp`.length);
    if (wanted.has(target)) await fs.rm(path.join(dir, n), { force: true });
  }
}

/**
 * True when `name` is a temporary of `writeFilesAtomic` whose writing process
 * is gone (killed mid-save), so removing it cannot disturb a save in flight.
 */
export function isDeadTemporary(name: string): boolean {
  const m = TEMP_RE.exec(name);
  return m !== null && !processAlive(Number(m[1]));
}

/**
 * True unless process `pid` is known to be gone (signal 0 answers ESRCH):
 * this process, a live one, or one we may not signal all count as alive, so
 * its files in progress are left alone.
 */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** A random hex id (save ids tie training-state.json to its model.json). */
export async function randomId(): Promise<string> {
  return (await node()).randomHex(8);
}

/** A text file's contents, or undefined when it does not exist (used by CSVLogger's append mode). */
export async function readTextFile(file: string): Promise<string | undefined> {
  const { fs } = await node();
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Replaces a text file atomically (temporary file, fsync, rename), creating its directory. */
export async function writeTextFileAtomic(file: string, text: string): Promise<void> {
  const { path } = await node();
  await writeFilesAtomic(path.dirname(file), [{ name: path.basename(file), data: text }]);
}

/**
 * Appends `text` to `file` with ONE write on an O_APPEND descriptor, then
 * fsyncs it (the study journal, src/study/journal.ts). On a local file
 * system O_APPEND writes by several processes land whole and in some total
 * order; the fsync makes the line durable before this returns.
 */
export async function appendTextDurable(file: string, text: string): Promise<void> {
  const { fs } = await node();
  const h = await fs.open(file, 'a');
  try {
    const bytes = new TextEncoder().encode(text);
    const { bytesWritten } = await h.write(bytes, 0, bytes.length);
    if (bytesWritten !== bytes.length) throw new Error(`appendTextDurable: short write to ${file} (${bytesWritten} of ${bytes.length} bytes)`);
    await h.sync();
  } finally {
    await h.close();
  }
}

/**
 * Creates `file` with `text` only if no file has that name, atomically (a
 * fsynced temporary hard-linked to the name, so no reader ever sees it empty
 * or half-written). Returns false when the name was taken.
 */
export async function createTextFileExclusive(file: string, text: string): Promise<boolean> {
  const { fs, path, randomHex } = await node();
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}-${randomHex(6)}.tmp`);
  try {
    const h = await fs.open(tmp, 'wx');
    try {
      await h.writeFile(text);
      await h.sync();
    } finally {
      await h.close();
    }
    try {
      await fs.link(tmp, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
  } finally {
    await fs.rm(tmp, { force: true });
  }
  await syncDir(dir);
  return true;
}
