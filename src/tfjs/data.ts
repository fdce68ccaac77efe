/**
 * A minimal `tf.data`: lazy datasets pulled one element at a time, so an
 * endless generator is never materialized. `array`, `generator`, `zip`
 * (and `csv`, data-csv.ts); `batch`, `shuffle` (a bounded buffer),
 * `map`/`mapAsync`, `filter`, `take`, `skip`, `repeat`, `prefetch` (a no-op),
 * `forEachAsync`, `toArray`. Shuffling draws from Regula's generator
 * (seeded, or the global stream), not Math.random.
 */
import type { Tensor as CoreTensor } from '../tensor/tensor.js';
import { Rng } from '../random.js';
import { rngOf } from './creation.js';
import type { TensorContainer } from './engine.js';
import { stack } from './kernels.js';
import { Tensor, unwrap, wrap } from './tensor.js';
import { coreFromValues } from './values.js';

/** TF.js's iterator of a dataset. */
export interface LazyIterator<T> {
  next(): Promise<IteratorResult<T>>;
}

type Source<T> = () => Promise<LazyIterator<T>>;

const done = <T>(): IteratorResult<T> => ({ done: true, value: undefined });

/** A lazy dataset of elements `T` (TF.js `tf.data.Dataset`). */
export class Dataset<T extends TensorContainer> {
  /** Number of elements, or null when unknown (generators) or endless. */
  readonly size: number | null;
  constructor(private readonly source: Source<T>, size: number | null) {
    this.size = size;
  }

  /** A fresh iterator over the elements. */
  iterator(): Promise<LazyIterator<T>> {
    return this.source();
  }

  private derive<O extends TensorContainer>(size: number | null, next: (it: LazyIterator<T>) => () => Promise<IteratorResult<O>>): Dataset<O> {
    return new Dataset<O>(async () => ({ next: next(await this.source()) }), size);
  }

  map<O extends TensorContainer>(transform: (value: T) => O): Dataset<O> {
    return this.derive(this.size, (it) => async () => {
      const r = await it.next();
      return r.done ? done<O>() : { done: false, value: transform(r.value) };
    });
  }

  mapAsync<O extends TensorContainer>(transform: (value: T) => Promise<O>): Dataset<O> {
    return this.derive(this.size, (it) => async () => {
      const r = await it.next();
      return r.done ? done<O>() : { done: false, value: await transform(r.value) };
    });
  }

  filter(predicate: (value: T) => boolean): Dataset<T> {
    return this.derive(null, (it) => async () => {
      for (;;) {
        const r = await it.next();
        if (r.done || predicate(r.value)) return r;
      }
    });
  }

  take(count: number): Dataset<T> {
    const n = count < 0 ? Infinity : count;
    return this.derive(this.size === null ? null : Math.min(this.size, n), (it) => {
      let i = 0;
      return async () => (i++ < n ? it.next() : done<T>());
    });
  }

  skip(count: number): Dataset<T> {
    return this.derive(this.size === null ? null : Math.max(0, this.size - count), (it) => {
      let skipped = false;
      return async () => {
        if (!skipped) {
          skipped = true;
          for (let i = 0; i < count; i++) if ((await it.next()).done) return done<T>();
        }
        return it.next();
      };
    });
  }

  /** Repeats `count` times (default: forever). */
  repeat(count?: number): Dataset<T> {
    const times = count === undefined || count < 0 ? Infinity : count;
    const size = this.size === null ? null : Number.isFinite(times) ? this.size * times : Infinity;
    return new Dataset<T>(async () => {
      let round = 0;
      let it: LazyIterator<T> | undefined;
      return {
        next: async () => {
          while (round < times) {
            it ??= await this.source();
            const r = await it.next();
            if (!r.done) return r;
            it = undefined;
            round++;
            if (this.size === 0) break;
          }
          return done<T>();
        },
      };
    }, size);
  }

  /**
   * Shuffles through a buffer of `bufferSize` elements (TF.js's algorithm:
   * fill, then emit a random slot and refill it). `seed` makes the order
   * repeatable; each iteration reshuffles unless `reshuffleEachIteration` is false.
   */
  shuffle(bufferSize: number, seed?: string, reshuffleEachIteration = true): Dataset<T> {
    if (!Number.isInteger(bufferSize) || bufferSize < 1) throw new Error(`shuffle: bufferSize must be a positive integer, got ${bufferSize}`);
    const base = rngOf(seed);
    const fixed = base.split().getState();
    return new Dataset<T>(async () => {
      const rng = reshuffleEachIteration ? base.split() : Rng.fromState(fixed);
      const it = await this.source();
      const buf: T[] = [];
      let ended = false;
      return {
        next: async () => {
          while (!ended && buf.length < bufferSize) {
            const r = await it.next();
            if (r.done) ended = true;
            else buf.push(r.value);
          }
          if (buf.length === 0) return done<T>();
          const i = rng.int(buf.length);
          const value = buf[i]!;
          buf[i] = buf[buf.length - 1]!;
          buf.pop();
          return { done: false, value };
        },
      };
    }, this.size);
  }

  /** Groups `batchSize` consecutive elements: tensors are stacked, numbers and lists of numbers become one tensor, objects are batched key by key. */
  batch(batchSize: number, smallLastBatch = true): Dataset<TensorContainer> {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batch: batchSize must be a positive integer, got ${batchSize}`);
    const size = this.size === null ? null : smallLastBatch ? Math.ceil(this.size / batchSize) : Math.floor(this.size / batchSize);
    return this.derive<TensorContainer>(size, (it) => async () => {
      const rows: T[] = [];
      while (rows.length < batchSize) {
        const r = await it.next();
        if (r.done) break;
        rows.push(r.value);
      }
      if (rows.length === 0 || (!smallLastBatch && rows.length < batchSize)) return done<TensorContainer>();
      return { done: false, value: batchOf(rows) };
    });
  }

  /** Accepted for TF.js code; elements are computed when pulled. */
  prefetch(_bufferSize: number): Dataset<T> {
    return this;
  }

  async forEachAsync(f: (input: T) => void | Promise<void>): Promise<void> {
    const it = await this.source();
    for (let r = await it.next(); !r.done; r = await it.next()) await f(r.value);
  }

  /** Every element in a list (a dataset of unknown size must end). */
  async toArray(): Promise<T[]> {
    if (this.size === Infinity) throw new Error('toArray: the dataset is endless');
    const out: T[] = [];
    await this.forEachAsync((v) => void out.push(v));
    return out;
  }
}

/** TF.js's deepBatchConcat: stacks rows of the same structure. */
export function batchOf(rows: readonly unknown[]): TensorContainer {
  const first = rows[0];
  if (first instanceof Tensor) return wrap(stack(rows.map((r) => unwrap(r as Tensor))));
  if (typeof first === 'number') return wrap(coreFromValues(rows as number[], undefined, 'float32', 'batch'));
  if (ArrayBuffer.isView(first)) return wrap(stack(rows.map((r) => coreFromValues(r as Float32Array, undefined, undefined, 'batch')) as CoreTensor[]));
  // Lists of numbers are rows of one tensor (TF.js's canTensorify); lists holding tensors go index by index.
  if (Array.isArray(first) && !first.some((v) => v instanceof Tensor)) return wrap(coreFromValues(rows as number[][], undefined, undefined, 'batch'));
  if (Array.isArray(first)) return first.map((_, i) => batchOf(rows.map((r) => (r as unknown[])[i])));
  if (typeof first === 'object' && first !== null) {
    return Object.fromEntries(Object.keys(first).map((k) => [k, batchOf(rows.map((r) => (r as Record<string, unknown>)[k]))]));
  }
  throw new Error(`batch: cannot batch elements of type ${typeof first} (regula/tfjs batches tensors, numbers, typed arrays, and lists or objects of them)`);
}

/** A dataset of the items of a list. */
export function array<T extends TensorContainer>(items: T[]): Dataset<T> {
  return new Dataset<T>(async () => {
    let i = 0;
    return { next: async () => (i < items.length ? { done: false, value: items[i++]! } : done<T>()) };
  }, items.length);
}

/** A dataset over what `generator()` yields; each iteration calls it again. Never materialized: it may be endless. */
export function generator<T extends TensorContainer>(generator: () => Iterator<T> | Promise<Iterator<T>> | AsyncIterator<T>): Dataset<T> {
  return new Dataset<T>(async () => {
    const it = await generator();
    return { next: async () => it.next() };
  }, null);
}

/** A dataset container for zip: a list or an object of datasets. */
export type DatasetContainer = Dataset<TensorContainer>[] | { [key: string]: Dataset<TensorContainer> };

/** Elements of several datasets side by side (a list or an object, as given); ends with the shortest. */
export function zip<O extends TensorContainer>(datasets: DatasetContainer): Dataset<O> {
  const entries = Object.entries(datasets) as [string, Dataset<TensorContainer>][];
  const sizes = entries.map(([, d]) => d.size);
  const size = sizes.some((s) => s === null) ? null : Math.min(...(sizes as number[])); // spread-ok: one size per zipped dataset
  return new Dataset<O>(async () => {
    const its = await Promise.all(entries.map(([, d]) => d.iterator()));
    return {
      next: async () => {
        const rs = await Promise.all(its.map((it) => it.next()));
        if (rs.some((r) => r.done)) return done<O>();
        const values = rs.map((r) => r.value as TensorContainer);
        const value = Array.isArray(datasets) ? values : Object.fromEntries(entries.map(([k], i) => [k, values[i]!]));
        return { done: false, value: value as O };
      },
    };
  }, size);
}
