/**
 * Fault injection for crash-safety tests: a preload module
 * (`node --import tsx --import ./test/helpers/fault-inject.mjs script`) that
 * counts the mutating file-system operations of the process and can kill it
 * with SIGKILL right before the N-th one, as a power cut or `kill -9` would.
 *
 * Environment:
 * - `REGULA_FAULT_PATH`: only operations on paths under this prefix (after
 *   `path.resolve`) are counted; a handle or fd counts if it was opened under
 *   it. Set it to the test's temporary directory so tsx's cache writes and
 *   other noise do not shift the count. Unset: every path counts.
 * - `REGULA_FAULT_KILL_AT=N`: SIGKILL the process right before operation N
 *   (1-based). Unset or 0: never.
 * - `REGULA_FAULT_COUNT_FILE=file`: at exit, append `<count>\n` to `file`
 *   (with the original fs functions, so it is not counted).
 * - `REGULA_FAULT_LOG_FILE=file`: append `<n> <op> <path>\n` per counted
 *   operation (debugging: which operation is number N).
 *
 * Wrapped (whatever Regula uses, grep src/): the sync forms `renameSync`,
 * `linkSync`, `copyFileSync`, `writeFileSync`, `appendFileSync`, `rmSync`,
 * `rmdirSync`, `unlinkSync`, `mkdirSync`, `openSync` with a write flag,
 * `writeSync`, `fsyncSync`, `truncateSync`; the promise forms
 * (`fs.promises.rename`, `link`, `writeFile`, `rm`, `unlink`, `mkdir`, `open`
 * with a write flag, …); and `FileHandle.prototype` `write`, `writeFile`,
 * `appendFile`, `sync`, `datasync`, `truncate`. Node's own `fs.writeFileSync`
 * calls `fs.openSync`/`fs.writeSync`; a nesting guard counts such a call once.
 * Callback forms are not wrapped (see below).
 *
 * The ESM namespace of `node:fs` is read-only, so the CommonJS objects are
 * patched and `module.syncBuiltinESMExports()` refreshes the named ESM
 * bindings (`import { renameSync } from 'node:fs'` sees the wrapper).
 * `process.getBuiltinModule('node:fs/promises')` returns the patched object.
 * Only the main thread is instrumented (workers do no file writes).
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { isMainThread } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const fs = require('node:fs');
const fsp = require('node:fs/promises');
const nodePath = require('node:path');

if (isMainThread) {
  const orig = {
    appendFileSync: fs.appendFileSync,
  };
  const prefixEnv = process.env.REGULA_FAULT_PATH;
  const prefix = prefixEnv ? nodePath.resolve(prefixEnv) : undefined;
  const killAt = Number(process.env.REGULA_FAULT_KILL_AT ?? 0);
  const countFile = process.env.REGULA_FAULT_COUNT_FILE;
  const logFile = process.env.REGULA_FAULT_LOG_FILE;
  let count = 0;
  let depth = 0;
  /** fds and FileHandles opened under the prefix. */
  const fds = new Set();
  const handles = new WeakSet();

  const toPath = (p) => {
    if (typeof p === 'string') return nodePath.resolve(p);
    if (p instanceof URL) return nodePath.resolve(p.pathname);
    if (Buffer.isBuffer(p)) return nodePath.resolve(p.toString());
    return undefined;
  };
  const under = (p) => {
    if (prefix === undefined) return true;
    const r = toPath(p);
    return r !== undefined && (r === prefix || r.startsWith(prefix + nodePath.sep));
  };

  /** Counts one operation; kills the process first if it is the chosen one. */
  const hit = (op, what) => {
    count++;
    if (logFile) orig.appendFileSync(logFile, `${count} ${op} ${what}\n`);
    if (count === killAt) process.kill(process.pid, 'SIGKILL');
  };

  const writeFlag = (flags) => {
    if (flags === undefined || flags === null) return false;
    if (typeof flags === 'number') {
      const c = fs.constants;
      return (flags & (c.O_WRONLY | c.O_RDWR | c.O_CREAT | c.O_TRUNC | c.O_APPEND)) !== 0;
    }
    return /[wax+]/.test(String(flags));
  };

  /** Wraps a function whose first (or any of `paths`) argument is a path. */
  const wrapPath = (obj, name, paths = [0]) => {
    const f = obj[name];
    if (typeof f !== 'function') return;
    obj[name] = function (...args) {
      if (depth === 0 && paths.some((i) => under(args[i]))) hit(name, String(toPath(args[paths[0]])));
      depth++;
      try {
        return f.apply(this, args);
      } finally {
        depth--;
      }
    };
  };

  /** Wraps a function whose first argument is an fd. */
  const wrapFd = (obj, name) => {
    const f = obj[name];
    if (typeof f !== 'function') return;
    obj[name] = function (...args) {
      if (depth === 0 && fds.has(args[0])) hit(name, `fd ${args[0]}`);
      depth++;
      try {
        return f.apply(this, args);
      } finally {
        depth--;
      }
    };
  };

  // Sync forms. Callback forms are not wrapped: Regula does not use them, and
  // Node's promise functions call some of them internally (fs.promises.rm →
  // fs.unlink), which would count one operation twice.
  for (const name of ['renameSync', 'copyFileSync', 'linkSync', 'symlinkSync']) wrapPath(fs, name, [0, 1]);
  for (const name of ['writeFileSync', 'appendFileSync', 'rmSync', 'rmdirSync', 'unlinkSync', 'mkdirSync', 'truncateSync']) wrapPath(fs, name);
  for (const name of ['writeSync', 'fsyncSync', 'fdatasyncSync', 'ftruncateSync']) wrapFd(fs, name);

  // open: counted only with a write flag; the fd is tracked when under the prefix.
  const openSync = fs.openSync;
  fs.openSync = function (p, flags, mode) {
    const inside = under(p);
    if (depth === 0 && inside && writeFlag(flags)) hit('openSync', String(toPath(p)));
    depth++;
    let fd;
    try {
      fd = openSync.call(this, p, flags, mode);
    } finally {
      depth--;
    }
    if (inside) fds.add(fd);
    return fd;
  };
  for (const name of ['closeSync', 'close']) {
    const f = fs[name];
    fs[name] = function (fd, ...rest) {
      fds.delete(fd);
      return f.call(this, fd, ...rest);
    };
  }

  // Promise API (fs.promises === require('node:fs/promises')).
  for (const name of ['rename', 'copyFile', 'link', 'symlink']) wrapPath(fsp, name, [0, 1]);
  for (const name of ['writeFile', 'appendFile', 'rm', 'rmdir', 'unlink', 'mkdir', 'truncate']) wrapPath(fsp, name);
  const popen = fsp.open;
  fsp.open = async function (p, flags, mode) {
    const inside = under(p);
    if (inside && writeFlag(flags)) hit('promises.open', String(toPath(p)));
    const h = await popen.call(this, p, flags, mode);
    if (inside) handles.add(h);
    return h;
  };

  // FileHandle methods: the prototype is reached through one handle, opened
  // with the original function on a file that exists (this module).
  const probe = await popen(new URL(import.meta.url), 'r');
  const proto = Object.getPrototypeOf(probe);
  await probe.close();
  for (const name of ['write', 'writeFile', 'appendFile', 'sync', 'datasync', 'truncate', 'writev']) {
    const f = proto[name];
    if (typeof f !== 'function') continue;
    proto[name] = function (...args) {
      if (handles.has(this)) hit(`FileHandle.${name}`, `fd ${this.fd}`);
      return f.apply(this, args);
    };
  }

  syncBuiltinESMExports();

  if (countFile) process.on('exit', () => orig.appendFileSync(countFile, `${count}\n`));
}
