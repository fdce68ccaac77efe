/**
 * Output directories of the CLI (`--out` of train, demo and compare;
 * `--checkpoint`): Regula writes only into a directory it was told to use and
 * replaces only the files it wrote there.
 *
 * Ownership. A directory Regula filled holds a manifest, `.regula-output.json`,
 * listing the top-level entries it wrote. `--out` may be a new directory, an
 * empty one, or one whose manifest says Regula wrote it; anything else is
 * refused unless `--force`, and even then an entry of Regula's that would
 * replace a file it did not write is refused. An output that equals or
 * contains an input file is refused, as is a filesystem root.
 *
 * Publishing (atomic, recoverable). Everything is written into a staging
 * directory inside the output, `.regula-staging-<gen>/`, whose manifest is
 * written last. Then, in order: the old manifest moves into
 * `.regula-old-<gen>/`, the old entries follow it, the new entries move in,
 * and the new manifest moves in last: that rename is the commit. A kill at
 * any point leaves either the old set or the new set recoverable: the next
 * run rolls an interrupted publish forward when its staging was complete
 * (back to nothing to do when it was not), removes what is left, and says so.
 */
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, parse as parsePath, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { UsageError } from './cli-error.js';
import { pathWithin, writeFileAtomic } from './atomic-output.js';
import { processAlive } from '../io/fs.js';

/** File name of the ownership manifest in an output directory. */
export const OUTPUT_MANIFEST = '.regula-output.json';
const STAGING_PREFIX = '.regula-staging-';
const OLD_PREFIX = '.regula-old-';

/** What `.regula-output.json` holds. */
export interface OutputManifest {
  format: 'regula-output';
  version: 1;
  /** The command that wrote it (`train`, `demo`, `compare`, `checkpoint`). */
  kind: string;
  /** Publish generation: `<pid>-<hex>`. */
  generation: string;
  /** Top-level entries (files or directories) Regula wrote. */
  entries: string[];
}

/** Options of `openOutputDir`. */
export interface OutputDirOptions {
  /** The flag named in messages (`--out`, `--checkpoint`). */
  flag: string;
  /** What writes it (recorded in the manifest). */
  kind: string;
  /** Write into an existing directory Regula did not write (only new entries; nothing replaced). */
  force?: boolean;
  /** Input files and directories the output must not equal or contain. */
  inputs?: readonly (string | undefined)[];
  /** Where notes go (recovered leftovers); stderr by default. */
  note?: (line: string) => void;
}

function isManifest(v: unknown): v is OutputManifest {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Record<string, unknown>;
  return m['format'] === 'regula-output' && typeof m['generation'] === 'string' && Array.isArray(m['entries']) && m['entries'].every((e) => typeof e === 'string' && isPlainName(e));
}

/** A single path segment Regula may have written (no separators, not `.`/`..`). */
function isPlainName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/') && !name.includes('\\') && !name.includes('\0');
}

/** The manifest in `dir` (undefined when absent); a malformed one is an error. */
export function readOutputManifest(dir: string): OutputManifest | undefined {
  const file = join(dir, OUTPUT_MANIFEST);
  let text: string;
  try {
    if (!lstatSync(file).isFile()) throw new UsageError(`${file} is not a regular file`);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    v = undefined;
  }
  if (!isManifest(v)) throw new UsageError(`${file} is not a valid Regula output manifest; remove it if this directory is not Regula's`);
  return v;
}

function writeManifest(dir: string, m: OutputManifest): void {
  writeFileAtomic(join(dir, OUTPUT_MANIFEST), `${JSON.stringify(m, null, 2)}\n`);
}

function exists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}


/**
 * Checks that `path` may be written as `flag` before any work (new, empty,
 * a Regula output, or `--force`), finishing or cleaning an interrupted
 * publish found there. Returns a handle for staging and publishing.
 *
 * @throws UsageError naming the flag, the path and the rule.
 */
export function openOutputDir(path: string, o: OutputDirOptions): OutputDir {
  const dir = resolve(path);
  const { flag } = o;
  if (parsePath(dir).root === dir) throw new UsageError(`${flag} ${path} is a filesystem root; choose a directory of its own`);
  for (const input of o.inputs ?? []) {
    if (input !== undefined && pathWithin(input, dir)) throw new UsageError(`${flag} ${path} contains the input ${input}; write the output somewhere else`);
  }
  if (exists(dir)) {
    const st = statSync(dir);
    if (!st.isDirectory()) throw new UsageError(`${flag} ${path} exists and is not a directory`);
  }
  const out = new OutputDir(dir, path, o);
  if (exists(dir)) {
    out.recover();
    out.checkOwnership();
  }
  return out;
}

/** An output directory being written: stage into `staging()`, then `publish()` or `discard()`. */
export class OutputDir {
  private stage: string | undefined;
  private readonly generation = `${process.pid}-${randomBytes(4).toString('hex')}`;

  constructor(
    readonly dir: string,
    private readonly shown: string,
    private readonly o: OutputDirOptions,
  ) {}

  private note(line: string): void {
    (this.o.note ?? ((l: string) => process.stderr.write(`${l}\n`)))(line);
  }

  /** Entries of the directory that are not Regula's (manifest, staging, the manifest's entries). */
  private foreign(manifest: OutputManifest | undefined): string[] {
    const ours = new Set(manifest?.entries ?? []);
    return readdirSync(this.dir).filter((n) => n !== OUTPUT_MANIFEST && !n.startsWith(STAGING_PREFIX) && !n.startsWith(OLD_PREFIX) && !ours.has(n));
  }

  /** Refuses a non-empty directory that Regula did not write, unless forced. */
  checkOwnership(): void {
    const manifest = readOutputManifest(this.dir);
    if (manifest !== undefined || this.o.force) return;
    const others = this.foreign(undefined);
    if (others.length === 0) return;
    const legacy = legacyEntries(this.dir, others);
    if (legacy !== undefined) {
      // Written by a Regula from before manifests: adopt exactly those entries.
      writeManifest(this.dir, { format: 'regula-output', version: 1, kind: this.o.kind, generation: 'adopted', entries: legacy });
      return;
    }
    const shown = others.slice(0, 3).join(', ') + (others.length > 3 ? `, … (${others.length} entries)` : '');
    throw new UsageError(
      `${this.o.flag} ${this.shown} is a non-empty directory that Regula did not write (holds ${shown}); choose a new directory, or pass --force to add Regula's files to it (nothing already there is replaced)`,
    );
  }

  /**
   * Claims a directory that Regula writes in place (a `--checkpoint`, whose
   * model saves switch generations on their own): creates it and writes a
   * manifest with no entries, so later runs recognize it as Regula's.
   */
  claim(): void {
    mkdirSync(this.dir, { recursive: true });
    if (readOutputManifest(this.dir) === undefined) {
      writeManifest(this.dir, { format: 'regula-output', version: 1, kind: this.o.kind, generation: this.generation, entries: [] });
    }
  }

  /** Creates (once) and returns the staging directory to write the new output into. */
  staging(): string {
    if (this.stage === undefined) {
      mkdirSync(this.dir, { recursive: true });
      this.stage = join(this.dir, `${STAGING_PREFIX}${this.generation}`);
      mkdirSync(this.stage);
    }
    return this.stage;
  }

  /**
   * Moves everything in the staging directory into place as one switch (see
   * the file header); refuses, before moving anything, an entry that would
   * replace a file Regula did not write.
   */
  publish(): void {
    const s = this.staging();
    const entries = readdirSync(s).filter((n) => n !== OUTPUT_MANIFEST);
    const old = readOutputManifest(this.dir);
    const ours = new Set(old?.entries ?? []);
    const clash = entries.filter((n) => !ours.has(n) && exists(join(this.dir, n)));
    if (clash.length > 0) {
      this.discard();
      throw new UsageError(`${this.o.flag} ${this.shown}: ${clash.join(', ')} already exist${clash.length === 1 ? 's' : ''} and Regula did not write ${clash.length === 1 ? 'it' : 'them'}; refusing to replace; choose another directory`);
    }
    writeManifest(s, { format: 'regula-output', version: 1, kind: this.o.kind, generation: this.generation, entries });
    commit(this.dir, this.generation);
    this.stage = undefined;
  }

  /**
   * Stages with `write(stagingDir)` (if given), then publishes; on any failure
   * the staging directory is removed and the error rethrown.
   */
  async publishWith(write?: (staging: string) => Promise<void>): Promise<void> {
    try {
      await write?.(this.staging());
      this.publish();
    } catch (e) {
      this.discard();
      throw e;
    }
  }

  /** Removes the staging directory (after a failure). */
  discard(): void {
    if (this.stage !== undefined) rmSync(this.stage, { recursive: true, force: true });
    this.stage = undefined;
  }

  /**
   * Finishes or cleans what an interrupted publish left in the directory:
   * complete staging is rolled forward, incomplete staging removed; the old
   * entries set aside are removed once the new manifest is in place.
   */
  recover(): void {
    for (const name of readdirSync(this.dir)) {
      const isStage = name.startsWith(STAGING_PREFIX);
      const isOld = name.startsWith(OLD_PREFIX);
      if (!isStage && !isOld) continue;
      const gen = name.slice((isStage ? STAGING_PREFIX : OLD_PREFIX).length);
      const pid = Number(gen.split('-')[0]);
      if (pid !== process.pid && processAlive(pid)) {
        throw new UsageError(`${this.o.flag} ${this.shown} is being written by another Regula process (pid ${pid}); wait for it or choose another directory`);
      }
      if (!exists(join(this.dir, name))) continue; // handled with its twin
      const stage = join(this.dir, `${STAGING_PREFIX}${gen}`);
      const complete = exists(join(stage, OUTPUT_MANIFEST));
      const current = readOutputManifest(this.dir);
      if (current?.generation === gen || complete) {
        commit(this.dir, gen);
        this.note(`regula: note: ${this.shown}: finished the publish of an interrupted run (pid ${pid})`);
      } else {
        rmSync(stage, { recursive: true, force: true });
        rollBack(this.dir, gen);
        this.note(`regula: note: ${this.shown}: removed the partial output of an interrupted run (pid ${pid})`);
      }
    }
  }
}

/** True when `file` is a regular file whose first MiB contains `marker`. */
function fileHas(file: string, marker: string): boolean {
  try {
    if (!lstatSync(file).isFile()) return false;
    return readFileSync(file).subarray(0, 1 << 20).toString('utf8').includes(marker);
  } catch {
    return false;
  }
}

/**
 * The entries of an output written by a Regula without manifests (a report's
 * `index.html` and `checkpoints/`; a saved model with Regula's metadata, its
 * shards, training state, preprocessing and report), when every entry of the
 * directory is one of them; else undefined.
 */
function legacyEntries(dir: string, names: readonly string[]): string[] | undefined {
  const ours = new Set<string>();
  const isReport = (f: string): boolean => fileHas(f, 'id="regula-report-data"');
  if (isReport(join(dir, 'index.html'))) ours.add('index.html').add('checkpoints');
  if (fileHas(join(dir, 'model.json'), '"regula":{"saveId"')) {
    for (const n of names) if (/^group\d+-shard\d+of\d+\.bin$/.test(n)) ours.add(n);
    for (const n of ['model.json', 'training-state.json', 'training-state.bin', 'preprocessing.json']) ours.add(n);
    if (isReport(join(dir, 'report', 'index.html'))) ours.add('report');
  }
  return names.every((n) => ours.has(n)) ? [...names] : undefined;
}

/**
 * Performs (or finishes) the switch of generation `gen`: staging is complete
 * (its manifest written) or already committed. Idempotent, so a kill at any
 * step can be finished by calling it again.
 */
function commit(dir: string, gen: string): void {
  const stage = join(dir, `${STAGING_PREFIX}${gen}`);
  const aside = join(dir, `${OLD_PREFIX}${gen}`);
  const stagedManifest = join(stage, OUTPUT_MANIFEST);
  if (exists(stagedManifest)) {
    const next = readOutputManifest(stage)!;
    const nextSet = new Set(next.entries);
    if (!exists(aside)) mkdirSync(aside);
    // 1. The old manifest goes aside first: from here on the directory is "in transition".
    const liveManifest = join(dir, OUTPUT_MANIFEST);
    if (exists(liveManifest) && !exists(join(aside, OUTPUT_MANIFEST))) renameSync(liveManifest, join(aside, OUTPUT_MANIFEST));
    const prev = exists(join(aside, OUTPUT_MANIFEST)) ? readOutputManifest(aside)! : undefined;
    // 2. Old entries follow (an entry already moved in from staging is new: its name is gone from staging).
    for (const e of prev?.entries ?? []) {
      const live = join(dir, e);
      const isNewAlreadyIn = nextSet.has(e) && !exists(join(stage, e));
      if (exists(live) && !isNewAlreadyIn && !exists(join(aside, e))) renameSync(live, join(aside, e));
    }
    // 3. New entries move in.
    for (const e of next.entries) {
      if (!exists(join(stage, e))) continue;
      if (exists(join(dir, e))) throw new UsageError(`${join(dir, e)} appeared while Regula was publishing and Regula did not write it; refusing to replace it (the new output is in ${stage})`);
      renameSync(join(stage, e), join(dir, e));
    }
    // 4. The commit: the new manifest.
    renameSync(stagedManifest, liveManifest);
  }
  rmSync(aside, { recursive: true, force: true });
  if (exists(stage)) rmSync(stage, { recursive: true, force: true });
}

/** Undoes a switch whose staging never completed: only the aside directory can hold anything (it cannot, in practice). */
function rollBack(dir: string, gen: string): void {
  const aside = join(dir, `${OLD_PREFIX}${gen}`);
  if (!exists(aside)) return;
  const prev = exists(join(aside, OUTPUT_MANIFEST)) ? readOutputManifest(aside) : undefined;
  for (const e of prev?.entries ?? []) if (exists(join(aside, e)) && !exists(join(dir, e))) renameSync(join(aside, e), join(dir, e));
  if (prev && !exists(join(dir, OUTPUT_MANIFEST))) renameSync(join(aside, OUTPUT_MANIFEST), join(dir, OUTPUT_MANIFEST));
  rmSync(aside, { recursive: true, force: true });
}
