/**
 * Array inputs for fit/evaluate/predict: validation with errors that name the
 * shapes, row selection for batches, batch index plans (shuffled, 'batch'
 * shuffled, in order), Keras's validation split, and class/sample weights.
 * Plain data handling: no autograd, no backend.
 */
import { gather, persistentZeros, stepScope } from '../ops/index.js';
import type { Rng } from '../random.js';
import { fmt } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../layers/layer.js';

function fmtShape(s: Shape): string {
  return `[${s.map((d) => (d === null ? 'null' : String(d))).join(',')}]`;
}

/** Throws if `t` is not a Tensor with a batch axis; `what` names it ('fit: x'). */
export function checkTensor(t: unknown, what: string): asserts t is Tensor {
  if (!(t instanceof Tensor)) throw new Error(`${what} must be a Tensor (wrap arrays with tensor()), got ${Array.isArray(t) ? 'an array' : typeof t}`);
  if (t.rank === 0) throw new Error(`${what} must have a batch axis, got a scalar`);
}

/** Throws on NaN/±Infinity, naming the row. */
export function checkFinite(t: Tensor, what: string): void {
  if (t.dtype !== 'float32') return;
  const d = t.data;
  const row = t.size / t.shape[0]!;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i]!)) {
      throw new Error(`${what} contains ${d[i]} at row ${Math.floor(i / row)} (flat index ${i}); clean or impute the data before training`);
    }
  }
}

/** Checks x against the model's input shape (null = any). */
export function checkInput(x: Tensor, inputShape: Shape | undefined, what: string): void {
  if (!inputShape) return;
  const ok = x.rank === inputShape.length && inputShape.every((d, i) => i === 0 || d === null || d === x.shape[i]);
  if (!ok) {
    throw new Error(`${what} has shape ${fmt(x.shape)} but the model expects input shape ${fmtShape(inputShape)} (features ${fmtShape(inputShape.slice(1))})`);
  }
}

/** Checks that x, y (and weights) have the same number of samples. */
export function checkSameBatch(x: Tensor, y: Tensor, who: string, sw?: Tensor): void {
  if (x.shape[0] !== y.shape[0]) {
    throw new Error(`${who}: x has ${x.shape[0]} samples (shape ${fmt(x.shape)}) but y has ${y.shape[0]} (shape ${fmt(y.shape)})`);
  }
  if (sw && (sw.shape[0] !== x.shape[0] || sw.size !== x.shape[0])) {
    throw new Error(`${who}: sampleWeight must have one weight per sample, shape [${x.shape[0]}], got ${fmt(sw.shape)}`);
  }
}

/** Rows `idx` of `t` (a new tensor; float rows go through the gather op). */
export function takeRows(t: Tensor, idx: Int32Array): Tensor {
  if (t.dtype === 'float32') return gather(t, new Tensor([idx.length], 'int32', idx), 0);
  const row = t.size / t.shape[0]!;
  const out = new Int32Array(idx.length * row);
  for (let i = 0; i < idx.length; i++) out.set(t.data.subarray(idx[i]! * row, (idx[i]! + 1) * row) as Int32Array, i * row);
  return new Tensor([idx.length, ...t.shape.slice(1)], 'int32', out);
}

/**
 * Rows [start, end) of `t` as a view of its data (no copy: the same values as
 * `takeRows(t, rowRange(start, end))`); inputs are never written by ops.
 */
export function rowView(t: Tensor, start: number, end: number): Tensor {
  const row = t.size / t.shape[0]!;
  const shape = t.shape.slice();
  shape[0] = end - start;
  return new Tensor(Object.freeze(shape), t.dtype, t.data.subarray(start * row, end * row));
}

/** Rows [start, end) of every array of `d`, as views (see rowView). */
export function rowViews<A extends TensorArrays>(d: A, start: number, end: number): A {
  return { ...d, xs: d.xs.map((t) => rowView(t, start, end)), ys: d.ys.map((t) => rowView(t, start, end)), sw: d.sw ? rowView(d.sw, start, end) : undefined };
}

/** Contiguous rows [start, end). */
export function rowRange(start: number, end: number): Int32Array {
  const r = new Int32Array(end - start);
  for (let i = 0; i < r.length; i++) r[i] = start + i;
  return r;
}

/**
 * Index lists of each batch for one epoch. shuffle true: a fresh permutation;
 * 'batch': consecutive chunks, chunk order and order within each chunk shuffled
 * (Keras); false: in order. The last batch may be partial.
 */
export function batchPlan(n: number, batchSize: number, shuffle: boolean | 'batch', rng: Rng): Int32Array[] {
  const order = shuffle === true ? rng.permutation(n) : rowRange(0, n);
  const batches: Int32Array[] = [];
  for (let s = 0; s < n; s += batchSize) batches.push(order.slice(s, Math.min(s + batchSize, n)));
  if (shuffle === 'batch') {
    rng.shuffle(batches);
    for (const b of batches) rng.shuffle(b);
  }
  return batches;
}

/** Keras validation_split: train = [0, at), val = [at, n) with at = floor(n·(1 − split)). */
export function splitAt(n: number, split: number): number {
  if (!(split > 0 && split < 1)) throw new Error(`fit: validationSplit must be in (0, 1), got ${split}`);
  const at = Math.floor(n * (1 - split));
  if (at === 0 || at === n) {
    throw new Error(`fit: validationSplit ${split} of ${n} samples leaves ${at === 0 ? 'no training' : 'no validation'} samples`);
  }
  return at;
}

/** Per-sample weights from a class-weight map (labels: int, [n,1] or one-hot). */
export function classSampleWeights(y: Tensor, classWeight: Record<number, number>): Tensor {
  const n = y.shape[0]!;
  const row = y.size / n;
  const w = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let c: number;
    if (row > 1) {
      c = 0;
      for (let j = 1; j < row; j++) if (y.data[i * row + j]! > y.data[i * row + c]!) c = j;
    } else c = Math.round(y.data[i]!);
    const cw = classWeight[c];
    if (cw === undefined) {
      throw new Error(`fit: classWeight has no entry for class ${c} (sample ${i}); give a weight for every class: ${JSON.stringify(Object.keys(classWeight))}`);
    }
    w[i] = cw;
  }
  return new Tensor([n], 'float32', w);
}

/** Slices an optional tensor by rows. */
export function maybeRows(t: Tensor | undefined, idx: Int32Array): Tensor | undefined {
  return t ? takeRows(t, idx) : undefined;
}

/** Training arrays up to this size are copied per epoch in batch order (see EpochBatches; it holds two copies). */
export const EPOCH_COPY_LIMIT_BYTES = 32 * 2 ** 20;

interface TensorArrays {
  xs: readonly Tensor[];
  ys: readonly Tensor[];
  sw: Tensor | undefined;
}

/** Inputs, targets and sample weights as one list (the order `batch` views them back in). */
function arraysOf(d: TensorArrays): Tensor[] {
  return [...d.xs, ...d.ys, ...(d.sw ? [d.sw] : [])];
}

/**
 * One epoch's batches as views into one copy of the training arrays laid out
 * in the epoch's batch order, so a step takes its batch without a gather:
 * small models spend a tenth of a step gathering shuffled rows one by one
 * (issue 18). Float arrays are copied once into backend memory (`sources`)
 * and permuted there each epoch by the gather kernel (twice as fast as
 * moving rows from the host arrays in JS); int32 labels are permuted in JS.
 * The rows of each batch are the same as `takeRows(t, plan[i])`, so
 * training is unchanged bit for bit. Only for arrays up to
 * EPOCH_COPY_LIMIT_BYTES in all (the two copies take twice that); `of`
 * returns null otherwise and steps gather their rows.
 */
export class EpochBatches<A extends TensorArrays> {
  private readonly tensors: Tensor[];
  /** Per array: the data in backend memory (float) or the array itself (int32). Held for the whole fit. */
  private readonly sources: Tensor[];
  /** Per array: this epoch's rows in batch order; batches are views of them. */
  private readonly arranged: Tensor[];
  private starts: number[] = [];

  private constructor(private readonly data: A) {
    this.tensors = arraysOf(data);
    this.sources = this.tensors.map((t) => {
      if (t.dtype !== 'float32') return t;
      const copy = persistentZeros(t.shape);
      copy.data.set(t.data);
      return copy;
    });
    this.arranged = this.tensors.map((t) => (t.dtype === 'float32' ? persistentZeros(t.shape) : new Tensor(t.shape, 'int32', new Int32Array(t.size))));
  }

  /** Batches for `data`, or null when its arrays are bigger than EPOCH_COPY_LIMIT_BYTES. */
  static of<A extends TensorArrays>(data: A): EpochBatches<A> | null {
    const bytes = arraysOf(data).reduce((s, t) => s + 4 * t.size, 0);
    return bytes <= EPOCH_COPY_LIMIT_BYTES ? new EpochBatches(data) : null;
  }

  /** Copies every array's rows in the order of `plan` (one epoch's batches). */
  arrange(plan: readonly Int32Array[]): void {
    this.starts = [];
    let at = 0;
    for (const idx of plan) {
      this.starts.push(at);
      at += idx.length;
    }
    this.starts.push(at);
    const order = new Int32Array(at);
    plan.forEach((idx, i) => order.set(idx, this.starts[i]!));
    const orderT = new Tensor([at], 'int32', order);
    this.tensors.forEach((t, k) => {
      const dst = this.arranged[k]!.data;
      if (t.dtype === 'float32') {
        stepScope(() => void dst.set(gather(this.sources[k]!, orderT, 0).data));
        return;
      }
      const src = t.data;
      const row = t.size / t.shape[0]!;
      for (let i = 0, o = 0; i < at; i++, o += row) {
        const from = order[i]! * row;
        for (let j = 0; j < row; j++) dst[o + j] = src[from + j]!;
      }
    });
  }

  /** Batch `i` of the arranged epoch: views of the copies, shaped like the originals. */
  batch(i: number): A {
    const a = this.starts[i]!;
    const b = this.starts[i + 1]!;
    const view = (k: number): Tensor => rowView(this.arranged[k]!, a, b);
    const nx = this.data.xs.length;
    const ny = this.data.ys.length;
    return {
      ...this.data,
      xs: this.data.xs.map((_, k) => view(k)),
      ys: this.data.ys.map((_, k) => view(nx + k)),
      sw: this.data.sw ? view(nx + ny) : undefined,
    };
  }
}
