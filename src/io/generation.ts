/**
 * Save generations: how a directory switches from one save to the next as a
 * whole. The commit file (`model.json` or `weights.json`) is the one pointer;
 * every other file of a save is named in it (`weightsManifest` paths, and in
 * `userDefinedMetadata.regula`: `trainingState` and `extraFiles`).
 *
 * A save (see model-dir.ts) runs in two commits:
 * 1. every data file is written under a name carrying the new saveId
 *    (`group1-shard1of1.<saveId>.bin`, `training-state.<saveId>.json`, …),
 *    names no current file uses; the commit file is renamed over the old one
 *    (recording in `regula.replaces` the previous save's files); then the
 *    previous save's files are deleted;
 * 2. "tidy": each file is hard-linked to its usual name when that name is
 *    free, the commit file is rewritten with those names (and no `replaces`),
 *    and the saveId-named links are removed. A fresh save therefore ends with
 *    exactly the TF.js names.
 *
 * A kill at any point leaves a commit file whose files all exist. Leftovers
 * (files a killed save made) are recognised by the next save and removed:
 * dead temporaries, saveId-named files nothing references, files listed in
 * `replaces`, usual-named links to a referenced file, and a tidy's
 * training-state.json carrying the current saveId. Any other file, such as a
 * user's `notes.txt` or a shard no Regula commit file names, is never touched.
 * Browser-safe apart from the fs.ts calls.
 */
import { fileIdentity, isDeadTemporary, listDir, readJsonInside } from './fs.js';
import { isRecord, TRAINING_STATE_JSON } from './keras-format.js';

/** Names carrying a saveId: `<stem>.<16 hex>[.ext]`. */
const ID_NAME_RE = /^(.+)\.([0-9a-f]{16})(\.[^.]*)?$/;
/** Usual names of Regula's data files. */
const DATA_RE = /^(?:group1-shard\d+of\d+\.bin|weights-shard\d+of\d+\.bin|training-state\.(?:json|bin))$/;

/** `name` with the saveId before its extension: `a.bin` → `a.<id>.bin`. */
export function idName(name: string, saveId: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)}.${saveId}${name.slice(dot)}` : `${name}.${saveId}`;
}

/** The usual name of a saveId-named file, or undefined if `name` carries no saveId. */
export function usualName(name: string): string | undefined {
  const m = ID_NAME_RE.exec(name);
  return m ? `${m[1]}${m[3] ?? ''}` : undefined;
}

/** The training-state .bin that goes with a training-state .json name. */
export function stateBinName(jsonName: string): string {
  return jsonName.replace(/\.json$/, '.bin');
}

/** `userDefinedMetadata.regula` of a commit file Regula wrote. */
export interface RegulaMeta {
  saveId: string;
  crc32: string;
  /** The training-state JSON of this save; null: none; absent: the pre-generation layout (training-state.json by saveId). */
  trainingState?: string | null;
  /** Logical name → file name of extra files saved with this generation. */
  extraFiles?: Record<string, string>;
  /** The save this one replaced and its files, until the tidy commit drops it. */
  replaces?: { saveId: string; files: string[] };
}

/** Parses `userDefinedMetadata.regula` leniently: undefined unless saveId and crc32 are strings. */
export function regulaMeta(v: unknown): RegulaMeta | undefined {
  if (!isRecord(v)) return undefined;
  const u = v['userDefinedMetadata'];
  const r = isRecord(u) ? u['regula'] : undefined;
  if (!isRecord(r) || typeof r['saveId'] !== 'string' || typeof r['crc32'] !== 'string') return undefined;
  const meta: RegulaMeta = { saveId: r['saveId'], crc32: r['crc32'] };
  const ts = r['trainingState'];
  if (ts === null || typeof ts === 'string') meta.trainingState = ts;
  const ex = r['extraFiles'];
  if (isRecord(ex)) {
    meta.extraFiles = {};
    for (const [k, f] of Object.entries(ex)) if (typeof f === 'string') meta.extraFiles[k] = f;
  }
  const rep = r['replaces'];
  if (isRecord(rep) && typeof rep['saveId'] === 'string' && Array.isArray(rep['files'])) {
    meta.replaces = { saveId: rep['saveId'], files: rep['files'].filter((f): f is string => typeof f === 'string') };
  }
  return meta;
}

/** What a commit file on disk references. */
export interface Generation {
  /** Regula metadata, when Regula wrote it (only then are its files Regula's to delete). */
  meta: RegulaMeta | undefined;
  /** Every file it references (shards, training state, extra files). */
  refs: string[];
}

function manifestPaths(v: unknown): string[] {
  const out: string[] = [];
  const m = isRecord(v) ? v['weightsManifest'] : undefined;
  if (!Array.isArray(m)) return out;
  for (const g of m) {
    const paths = isRecord(g) ? g['paths'] : undefined;
    if (Array.isArray(paths)) for (const p of paths) if (typeof p === 'string') out.push(p.replace(/^\.\//, ''));
  }
  return out;
}

/**
 * Reads the generation a commit file describes, leniently (a corrupt file
 * references nothing). Undefined when the file is missing.
 */
export async function readGeneration(dir: string, commitName: string, names: ReadonlySet<string>): Promise<Generation | undefined> {
  if (!names.has(commitName)) return undefined;
  let raw: unknown;
  try {
    raw = await readJsonInside(dir, commitName);
  } catch {
    return { meta: undefined, refs: [] };
  }
  const meta = regulaMeta(raw);
  const refs = manifestPaths(raw);
  if (meta) {
    let ts = meta.trainingState;
    if (ts === undefined && names.has(TRAINING_STATE_JSON)) ts = TRAINING_STATE_JSON; // pre-generation layout
    if (typeof ts === 'string') refs.push(ts, stateBinName(ts));
    refs.push(...Object.values(meta.extraFiles ?? {}));
  }
  return { meta, refs };
}

/**
 * Files in `dir` that an interrupted Regula save left behind (see the file
 * header for the rules). `current` is the commit file's generation, `other`
 * the other commit file's (model.json beside weights.json), `extraNames` the
 * logical extra-file names known to this save.
 */
export async function findLeftovers(dir: string, names: ReadonlySet<string>, current: Generation | undefined, other: Generation | undefined, extraNames: readonly string[]): Promise<string[]> {
  const referenced = new Set([...(current?.refs ?? []), ...(other?.refs ?? [])]);
  const known = new Set([...extraNames, ...Object.keys(current?.meta?.extraFiles ?? {})]);
  const replaced = new Set(current?.meta?.replaces?.files ?? []);
  const refIds = new Set<string>();
  for (const r of current?.meta ? current.refs : []) {
    const id = await fileIdentity(dir, r);
    if (id !== undefined) refIds.add(id);
  }
  const out: string[] = [];
  for (const n of names) {
    if (referenced.has(n)) continue;
    if (isDeadTemporary(n)) out.push(n);
    else if (replaced.has(n)) out.push(n);
    else {
      const usual = usualName(n);
      if (usual !== undefined && (DATA_RE.test(usual) || known.has(usual))) out.push(n);
      else if (current?.meta && (DATA_RE.test(n) || known.has(n))) {
        const id = await fileIdentity(dir, n);
        if (id !== undefined && refIds.has(id)) out.push(n);
        else if (n === TRAINING_STATE_JSON && (await stateSaveId(dir)) === current.meta.saveId) out.push(n, stateBinName(n));
      }
    }
  }
  return [...new Set(out)].filter((n) => names.has(n) && !referenced.has(n));
}

/** The saveId inside `training-state.json`, if readable. */
async function stateSaveId(dir: string): Promise<string | undefined> {
  try {
    const v = await readJsonInside(dir, TRAINING_STATE_JSON);
    return isRecord(v) && typeof v['saveId'] === 'string' ? v['saveId'] : undefined;
  } catch {
    return undefined;
  }
}

/** The directory's names (a Set) for the functions above. */
export async function dirNames(dir: string): Promise<Set<string>> {
  return new Set(await listDir(dir));
}
