/**
 * Parameter importance of a study by fANOVA (Hutter, Hoos & Leyton-Brown,
 * "An Efficient Approach for Assessing Hyperparameter Importance", ICML
 * 2014; docs/semantics.md §15.1): a random forest of regression trees is fit
 * to the complete trials (parameters → objective); for each tree, the
 * variance of its prediction over the whole space (uniform in each
 * parameter's sampling scale) is split exactly into the variance of each
 * parameter's marginal — the prediction averaged over all other parameters —
 * plus interactions. A parameter's importance is the share of the variance
 * its marginal explains, averaged over the trees.
 *
 * Seeded and deterministic; plain numbers only (runs in browsers).
 */
import { Rng } from '../random.js';
import type { Distribution, Params, Space } from './space.js';

/** Forest settings (defaults as Optuna's FanovaImportanceEvaluator: 64 trees of depth ≤ 64). */
export interface ImportanceOptions {
  readonly trees?: number;
  readonly maxDepth?: number;
  readonly seed?: number;
}

/** One parameter's importance: the mean (and std over the trees) share of the variance its marginal explains. */
export interface ParamImportance {
  readonly name: string;
  readonly importance: number;
  readonly std: number;
}

export interface ImportanceResult {
  /** In space order. */
  readonly params: readonly ParamImportance[];
  /** Complete trials the forest was fit to. */
  readonly trials: number;
  /** Trees whose prediction varies (the others explain nothing and are left out). */
  readonly trees: number;
  /** 1 − Σ importance: the share left to interactions of parameters. */
  readonly interactions: number;
}

/** A trial as the importance needs it. */
export interface ImportanceTrial {
  readonly state: string;
  readonly params: Params | null;
  readonly value: number | null;
}

/** One dimension of the unit cube: continuous [0, 1] or m categories. */
type Dim = { readonly kind: 'continuous' } | { readonly kind: 'categorical'; readonly m: number };

/** A region of one dimension: an interval of [0, 1] or a set of categories. */
type Range = { lo: number; hi: number } | { cats: boolean[] };

interface Leaf {
  readonly box: readonly Range[];
  readonly value: number;
}

/** The point of `v` on [0, 1] in the sampling scale of `d` (categorical: its index). */
export function encodeValue(d: Distribution, v: number | string): number {
  switch (d.type) {
    case 'choice': {
      const i = d.values.indexOf(v);
      if (i < 0) throw new Error(`importance: value ${String(v)} is not one of ${d.values.join(', ')}`);
      return i;
    }
    case 'uniform':
      return clamp01(d.high > d.low ? (Number(v) - d.low) / (d.high - d.low) : 0.5);
    case 'loguniform':
      return clamp01(d.high > d.low ? (Math.log(Number(v)) - Math.log(d.low)) / (Math.log(d.high) - Math.log(d.low)) : 0.5);
    case 'int':
      return clamp01((Number(v) - d.low + 0.5) / (d.high - d.low + 1));
  }
}

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

const size = (dims: readonly Dim[], box: readonly Range[], j: number): number => {
  const r = box[j]!;
  if ('cats' in r) return r.cats.filter(Boolean).length / (dims[j] as { m: number }).m;
  return r.hi - r.lo;
};

/** Sum of squared deviations from the mean. */
function sse(ys: readonly number[]): number {
  if (ys.length === 0) return 0;
  let m = 0;
  for (const y of ys) m += y;
  m /= ys.length;
  let s = 0;
  for (const y of ys) s += (y - m) * (y - m);
  return s;
}

interface Split {
  readonly gain: number;
  readonly left: number[];
  readonly right: number[];
  readonly boxes: [Range[], Range[]];
}

/** The best variance-reducing split of `rows` on dimension j, or null. */
function bestSplitOn(j: number, dims: readonly Dim[], x: readonly number[][], y: readonly number[], rows: readonly number[], box: readonly Range[], parentSse: number): Split | null {
  const dim = dims[j]!;
  let best: Split | null = null;
  if (dim.kind === 'continuous') {
    const order = rows.slice().sort((a, b) => x[a]![j]! - x[b]![j]! || a - b);
    const n = order.length;
    // Prefix sums for O(n) scanning.
    let sl = 0;
    let ql = 0;
    let st = 0;
    let qt = 0;
    for (const r of order) {
      st += y[r]!;
      qt += y[r]! * y[r]!;
    }
    let at = -1;
    let top = 0;
    for (let i = 0; i < n - 1; i++) {
      const yi = y[order[i]!]!;
      sl += yi;
      ql += yi * yi;
      if (x[order[i + 1]!]![j]! <= x[order[i]!]![j]!) continue;
      const nl = i + 1;
      const nr = n - nl;
      const gain = parentSse - (ql - (sl * sl) / nl + (qt - ql) - ((st - sl) * (st - sl)) / nr);
      if (gain > 1e-12 * (1 + parentSse) && (at < 0 || gain > top)) {
        at = nl;
        top = gain;
      }
    }
    if (at < 0) return null;
    const t = (x[order[at - 1]!]![j]! + x[order[at]!]![j]!) / 2;
    const r = box[j] as { lo: number; hi: number };
    const lb = box.slice();
    const rb = box.slice();
    lb[j] = { lo: r.lo, hi: t };
    rb[j] = { lo: t, hi: r.hi };
    return { gain: top, left: order.slice(0, at), right: order.slice(at), boxes: [lb, rb] };
  }
  // Categorical: order the categories present by mean response and try each prefix (optimal for squared error, Breiman et al. 1984).
  const groups = new Map<number, number[]>();
  for (const r of rows) {
    const c = x[r]![j]!;
    let g = groups.get(c);
    if (!g) groups.set(c, (g = []));
    g.push(r);
  }
  if (groups.size < 2) return null;
  const mean = (g: number[]): number => g.reduce((s, r) => s + y[r]!, 0) / g.length;
  const cats = [...groups.keys()].sort((a, b) => mean(groups.get(a)!) - mean(groups.get(b)!) || a - b);
  const inBox = (box[j] as { cats: boolean[] }).cats;
  for (let p = 1; p < cats.length; p++) {
    const leftCats = new Set(cats.slice(0, p));
    const left = rows.filter((r) => leftCats.has(x[r]![j]!));
    const right = rows.filter((r) => !leftCats.has(x[r]![j]!));
    const gain = parentSse - sse(left.map((r) => y[r]!)) - sse(right.map((r) => y[r]!));
    if (gain > 1e-12 * (1 + parentSse) && (best === null || gain > best.gain)) {
      const lb = box.slice();
      const rb = box.slice();
      // Categories no row of this node has go right, with the rest.
      lb[j] = { cats: inBox.map((on, c) => on && leftCats.has(c)) };
      rb[j] = { cats: inBox.map((on, c) => on && !leftCats.has(c)) };
      best = { gain, left, right, boxes: [lb, rb] };
    }
  }
  return best;
}

/**
 * Grows one regression tree (CART, squared error, min 1 row a leaf) and
 * returns its leaves. Splits whose gains tie (within 1e-9 relative) are
 * chosen among at random, so a forest spreads a tie over the parameters
 * instead of giving it all to the first one.
 */
function growTree(dims: readonly Dim[], x: readonly number[][], y: readonly number[], rows: readonly number[], maxDepth: number, rng: Rng): Leaf[] {
  const leaves: Leaf[] = [];
  const root: Range[] = dims.map((d) => (d.kind === 'continuous' ? { lo: 0, hi: 1 } : { cats: Array.from({ length: d.m }, () => true) }));
  const stack: { rows: readonly number[]; box: Range[]; depth: number }[] = [{ rows, box: root, depth: 0 }];
  while (stack.length) {
    const node = stack.pop()!;
    const ys = node.rows.map((r) => y[r]!);
    const parentSse = sse(ys);
    let split: Split | null = null;
    if (node.rows.length >= 2 && node.depth < maxDepth && parentSse > 0) {
      const found: Split[] = [];
      for (let j = 0; j < dims.length; j++) {
        const s = bestSplitOn(j, dims, x, y, node.rows, node.box, parentSse);
        if (s) found.push(s);
      }
      const top = found.reduce((m, f) => Math.max(m, f.gain), 0);
      const ties = found.filter((f) => f.gain >= top * (1 - 1e-9));
      if (ties.length) split = ties.length === 1 ? ties[0]! : ties[rng.int(ties.length)]!;
    }
    if (split === null) {
      leaves.push({ box: node.box, value: ys.reduce((a, b) => a + b, 0) / ys.length });
      continue;
    }
    stack.push({ rows: split.right, box: split.boxes[1], depth: node.depth + 1 });
    stack.push({ rows: split.left, box: split.boxes[0], depth: node.depth + 1 });
  }
  return leaves;
}

/**
 * The exact functional-ANOVA decomposition of one tree under the uniform
 * measure on the unit cube: total variance V and, per dimension j, the
 * variance V_j of its marginal a_j(x_j) = ∫ f dx_{−j}.
 */
export function treeVariances(dims: readonly Dim[], leaves: readonly Leaf[]): { total: number; main: number[] } {
  const vols = leaves.map((l) => dims.reduce((p, _, j) => p * size(dims, l.box, j), 1));
  let mean = 0;
  leaves.forEach((l, i) => (mean += vols[i]! * l.value));
  let total = 0;
  leaves.forEach((l, i) => (total += vols[i]! * (l.value - mean) ** 2));
  const main = dims.map((dim, j) => {
    // Each leaf adds y_L · vol(L) / |L_j| to the marginal on its own range of dimension j.
    const share = leaves.map((l, i) => {
      const s = size(dims, l.box, j);
      return s > 0 ? (l.value * vols[i]!) / s : 0;
    });
    let v = 0;
    if (dim.kind === 'categorical') {
      for (let c = 0; c < dim.m; c++) {
        let a = 0;
        leaves.forEach((l, i) => {
          if ((l.box[j] as { cats: boolean[] }).cats[c]) a += share[i]!;
        });
        v += (a - mean) ** 2 / dim.m;
      }
      return v;
    }
    // Sweep the leaves' ends on j in order: between two ends the marginal is the running sum of the shares.
    const ends: [number, number][] = [];
    leaves.forEach((l, i) => {
      const r = l.box[j] as { lo: number; hi: number };
      if (r.hi > r.lo) ends.push([r.lo, share[i]!], [r.hi, -share[i]!]);
    });
    ends.sort((a, b) => a[0] - b[0]);
    let a = 0;
    for (let k = 0; k < ends.length; ) {
      const at = ends[k]![0];
      while (k < ends.length && ends[k]![0] === at) a += ends[k++]![1];
      if (k < ends.length) v += (ends[k]![0] - at) * (a - mean) ** 2;
    }
    return v;
  });
  return { total, main };
}

/**
 * fANOVA importance of each parameter of `space` from the complete trials
 * (finite values) of a study. Needs at least 2 such trials; with fewer, or
 * when every value is the same, every importance is 0 and `trees` is 0.
 */
export function fanovaImportance(space: Space, trials: readonly ImportanceTrial[], options: ImportanceOptions = {}): ImportanceResult {
  const nTrees = options.trees ?? 64;
  const maxDepth = options.maxDepth ?? 64;
  if (!(Number.isInteger(nTrees) && nTrees >= 1)) throw new Error(`importance: trees must be an integer ≥ 1, got ${nTrees}`);
  if (!(Number.isInteger(maxDepth) && maxDepth >= 1)) throw new Error(`importance: maxDepth must be an integer ≥ 1, got ${maxDepth}`);
  const dims: Dim[] = space.map((p) => (p.dist.type === 'choice' ? { kind: 'categorical', m: p.dist.values.length } : { kind: 'continuous' }));
  const x: number[][] = [];
  const y: number[] = [];
  for (const t of trials) {
    if (t.state !== 'complete' || t.params === null || t.value === null || !Number.isFinite(t.value)) continue;
    if (space.some((p) => t.params![p.name] === undefined)) continue;
    x.push(space.map((p) => encodeValue(p.dist, t.params![p.name]!)));
    y.push(t.value);
  }
  // Centred: the shares do not change, and the trees' sums of squares lose less to cancellation.
  const centre = y.reduce((a, b) => a + b, 0) / (y.length || 1);
  for (let i = 0; i < y.length; i++) y[i] = y[i]! - centre;
  const zero = (trees: number): ImportanceResult => ({ params: space.map((p) => ({ name: p.name, importance: 0, std: 0 })), trials: y.length, trees, interactions: trees ? 1 : 0 });
  if (y.length < 2 || sse(y) === 0) return zero(0);
  const root = new Rng(options.seed ?? 0);
  const fractions: number[][] = [];
  for (let k = 0; k < nTrees; k++) {
    const rng = root.split();
    const rows = Array.from({ length: y.length }, () => rng.int(y.length));
    const { total, main } = treeVariances(dims, growTree(dims, x, y, rows, maxDepth, rng));
    if (!(total > 0)) continue;
    fractions.push(main.map((v) => v / total));
  }
  if (fractions.length === 0) return zero(0);
  const params = space.map((p, j) => {
    const f = fractions.map((r) => r[j]!);
    const m = f.reduce((a, b) => a + b, 0) / f.length;
    const sd = f.length > 1 ? Math.sqrt(f.reduce((a, b) => a + (b - m) ** 2, 0) / (f.length - 1)) : 0;
    return { name: p.name, importance: m, std: sd };
  });
  const sum = params.reduce((s, p) => s + p.importance, 0);
  return { params, trials: y.length, trees: fractions.length, interactions: Math.max(0, 1 - sum) };
}

/** One line for the CLI: each parameter's importance, most important first. */
export function importanceLine(r: ImportanceResult): string {
  if (r.trees === 0) return `importance (fANOVA): not computed (needs at least 2 complete trials with different values; ${r.trials} complete)`;
  const parts = [...r.params].sort((a, b) => b.importance - a.importance).map((p) => `${p.name} ${p.importance.toFixed(2)}`);
  const rough = r.trials < 10 ? ' (rough: few complete trials)' : '';
  return `importance (fANOVA, share of the objective's variance over ${r.trials} complete trials${rough}): ${parts.join(', ')}; interactions ${r.interactions.toFixed(2)}`;
}
