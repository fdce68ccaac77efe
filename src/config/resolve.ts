/**
 * One name resolver for every lookup (activations, initializers, layer
 * classes, optimizers, losses, metrics, regularizers, constraints): one
 * normalization rule (case- and underscore-insensitive: 'max_norm', 'maxNorm'
 * and 'MaxNorm' meet) and one error shape,
 * `<op>: unknown <kind> '<id>'; known: <names> (did you mean '<nearest>'?)`.
 *
 * Who may import this: anyone. It imports nothing.
 */

/** The one normalization rule: drop underscores, lower-case. */
export const normalizeName = (s: string): string => s.replace(/_/g, '').toLowerCase();

/** Levenshtein distance (small strings only: option keys and names). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** The candidate nearest to `id` (compared normalized), if it is close enough to be a typo. */
export function nearest(id: string, candidates: readonly string[]): string | undefined {
  const n = normalizeName(id);
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(n, normalizeName(c));
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(n.length / 3)) ? best : undefined;
}

/** ` (did you mean 'x'?)` or ''. */
export function didYouMean(id: string, candidates: readonly string[]): string {
  const m = nearest(id, candidates);
  return m === undefined ? '' : ` (did you mean '${m}'?)`;
}

/** A lookup table: names (any spelling) → values, with what errors call it. */
export interface NameTable<T> {
  /** Error prefix, e.g. 'getOptimizer'. */
  readonly op: string;
  /** What a name names, e.g. 'optimizer'. */
  readonly kind: string;
  /** The valid names as errors list them (default: the entry names). */
  readonly known: string;
  readonly names: readonly string[];
  readonly byKey: ReadonlyMap<string, T>;
}

/**
 * Builds a table from `entries` (and `aliases`: extra name → entry name).
 * `known` overrides how errors list the valid names.
 */
export function nameTable<T>(op: string, kind: string, entries: Readonly<Record<string, T>>, opts: { aliases?: Readonly<Record<string, string>>; known?: string } = {}): NameTable<T> {
  const byKey = new Map<string, T>();
  for (const [n, v] of Object.entries(entries)) byKey.set(normalizeName(n), v);
  for (const [a, n] of Object.entries(opts.aliases ?? {})) {
    if (!Object.prototype.hasOwnProperty.call(entries, n)) throw new Error(`nameTable(${kind}): alias '${a}' names no entry '${n}'`);
    byKey.set(normalizeName(a), entries[n]!);
  }
  const names = [...Object.keys(entries), ...Object.keys(opts.aliases ?? {})];
  return { op, kind, known: opts.known ?? Object.keys(entries).join(', '), names, byKey };
}

/** The entry for `id`, or undefined. */
export function lookup<T>(table: NameTable<T>, id: string): T | undefined {
  return table.byKey.get(normalizeName(id));
}

/** The entry for `id`; throws `<op>: unknown <kind> '<id>'; known: … (did you mean …?)`. */
export function resolve<T>(table: NameTable<T>, id: string): T {
  const v = lookup(table, id);
  if (v === undefined) throw new Error(`${table.op}: unknown ${table.kind} '${id}'; known: ${table.known}${didYouMean(id, table.names)}`);
  return v;
}
