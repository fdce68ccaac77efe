/**
 * The benchmark workloads (issue 6) and their data. Every implementation
 * (Regula, TF.js, jax-js) builds the same model from {@link SPECS} and
 * trains on the same batches from {@link loadData}.
 *
 * - W1 MLP 784-512(relu, l2 1e-4)-dropout 0.5-512(relu, maxNorm 3)-dropout
 *   0.5-10 softmax, categorical cross-entropy, Adam 1e-3, batch 128.
 * - W2 tabular 30-64(relu, l2 1e-4)-dropout 0.2-64(relu)-1, MSE, Adam, batch 32.
 * - W3 Conv1D [128 × 8] → conv1d 64 k3 same relu (nonNeg) → conv1d 64 k3 same
 *   relu → globalAveragePooling1d → gaussianNoise 0.1 → dense 10 softmax,
 *   categorical cross-entropy, Adam, batch 64.
 * - W4 inference of W1's model, batch 1000.
 * - W5 the classic small convnet on 28×28×1: conv2d 32 3×3 relu → maxPool 2
 *   → conv2d 64 3×3 relu → maxPool 2 → flatten → dropout 0.5 → dense 10
 *   softmax, categorical cross-entropy, Adam, batch 128.
 * - W6 (issue 13) Embedding(vocab 10 000, 64, maskZero) → LSTM 128
 *   (dropout 0.2, recurrentDropout 0.2) → dense 1 sigmoid, binary
 *   cross-entropy, Adam, batch 64, sequences of 100 ids post-padded with 0
 *   (lengths 20–100). TF.js has no RNN dropout: its peers run the LSTM
 *   without it (recorded in their notes).
 * - K1 GEMM 1024³: A·B, Aᵀ·B, A·Bᵀ.
 * - K2 conv2d 3×3 64→64 on 32×32, batch 32: forward, backward-input, backward-filter.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readIdx } from '../src/data/idx.js';
import type { FitWorkload, KernelWorkload, Workload } from './common.js';

/** Model workloads timed step by step (everything but the kernels K1, K2 and the fit workloads). */
export type ModelWorkload = Exclude<Workload, KernelWorkload | FitWorkload>;

/** Shape and size facts of a model workload. */
export interface WorkloadSpec {
  readonly batch: number;
  /** Per-sample input shape (W3: [steps, channels], channels last). */
  readonly inputShape: readonly number[];
  /** Per-sample target width (one-hot classes, or 1 for regression). */
  readonly outputs: number;
  /** Batches kept in memory and cycled through. */
  readonly poolBatches: number;
  /** Multiply-adds × 2 of one forward pass of one sample. */
  readonly forwardFlops: number;
  /** True for training workloads (a step is forward + backward + update). */
  readonly training: boolean;
}

const MLP_FORWARD = 2 * (784 * 512 + 512 * 512 + 512 * 10);
const CONV_FORWARD = 2 * (128 * 64 * 3 * 8 + 128 * 64 * 3 * 64 + 64 * 10);
/** W5: conv 26²·32·9·1, conv 11²·64·9·32, dense 1600·10 multiply-adds (pooling and relu not counted). */
const CNN_FORWARD = 2 * (26 * 26 * 32 * 9 + 11 * 11 * 64 * 9 * 32 + 1600 * 10);
/** W6: per step the input projection 64·512 and the recurrent one 128·512 multiply-adds, over 100 steps (gates and the lookup not counted). */
const LSTM_FORWARD = 2 * (100 * (64 * 512 + 128 * 512) + 128);

/** The workloads. */
export const SPECS = {
  W1: { batch: 128, inputShape: [784], outputs: 10, poolBatches: 40, forwardFlops: MLP_FORWARD, training: true },
  W2: { batch: 32, inputShape: [30], outputs: 1, poolBatches: 100, forwardFlops: 2 * (30 * 64 + 64 * 64 + 64), training: true },
  W3: { batch: 64, inputShape: [128, 8], outputs: 10, poolBatches: 20, forwardFlops: CONV_FORWARD, training: true },
  W4: { batch: 1000, inputShape: [784], outputs: 10, poolBatches: 5, forwardFlops: MLP_FORWARD, training: false },
  W5: { batch: 128, inputShape: [28, 28, 1], outputs: 10, poolBatches: 40, forwardFlops: CNN_FORWARD, training: true },
  W6: { batch: 64, inputShape: [100], outputs: 1, poolBatches: 20, forwardFlops: LSTM_FORWARD, training: true },
} as const satisfies Record<ModelWorkload, WorkloadSpec>;

/** Hyper-parameters shared by every implementation. */
export const HYPER = {
  learningRate: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-7,
  l2: 1e-4,
  maxNorm: 3,
  w1Dropout: 0.5,
  w2Dropout: 0.2,
  w3Noise: 0.1,
  w5Dropout: 0.5,
  w6Vocab: 10000,
  w6Embedding: 64,
  w6Units: 128,
  w6Dropout: 0.2,
  w6RecurrentDropout: 0.2,
} as const;

/**
 * Effective GFLOP/s of a samples/s figure: forward FLOPs × 3 for a training
 * step (forward, backward-input, backward-filter), × 1 for inference.
 */
export function effectiveGflops(w: ModelWorkload, samplesPerSecond: number): number {
  const s: WorkloadSpec = SPECS[w];
  return (s.forwardFlops * (s.training ? 3 : 1) * samplesPerSecond) / 1e9;
}

/** Where the data of a workload came from. */
export type DataSource = 'fashion-mnist' | 'random';

/** The in-memory batches of a workload: row-major, `poolBatches × batch` samples. */
export interface WorkloadData {
  readonly source: DataSource;
  readonly samples: number;
  /** `samples × prod(inputShape)` floats. */
  readonly x: Float32Array;
  /** `samples × outputs` floats (one-hot for classification). */
  readonly y: Float32Array;
}

/** Directory of Debian's `dataset-fashion-mnist` (override: `REGULA_FASHION_MNIST_DIR`). */
export function fashionMnistDir(): string {
  return process.env['REGULA_FASHION_MNIST_DIR'] ?? '/usr/share/datasets/fashion-mnist';
}

/** A seeded generator of uniform floats in [0, 1) (mulberry32): the bench never uses Math.random. */
export function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws from a uniform generator (Box–Muller). */
export function normal(u: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

export function oneHot(labels: ArrayLike<number>, classes: number): Float32Array {
  const y = new Float32Array(labels.length * classes);
  for (let i = 0; i < labels.length; i++) y[i * classes + labels[i]!] = 1;
  return y;
}

/** The first `samples` Fashion-MNIST training images (scaled to [0, 1]) and one-hot labels, or null if absent. */
function fashionMnist(samples: number): WorkloadData | null {
  const dir = fashionMnistDir();
  const images = join(dir, 'train-images-idx3-ubyte.gz');
  const labels = join(dir, 'train-labels-idx1-ubyte.gz');
  if (!existsSync(images) || !existsSync(labels)) return null;
  const img = readIdx(images);
  const lab = readIdx(labels);
  const n = Math.min(samples, img.shape[0] ?? 0);
  if (n < samples) return null;
  const x = new Float32Array(n * 784);
  for (let i = 0; i < x.length; i++) x[i] = img.data[i]! / 255;
  return { source: 'fashion-mnist', samples: n, x, y: oneHot(lab.data.subarray(0, n), 10) };
}

/** Random data of a workload's shape; targets are a fixed function of the inputs so that training is meaningful. */
export function synthetic(w: ModelWorkload, samples: number, seed: number): WorkloadData {
  const spec: WorkloadSpec = SPECS[w];
  const u = uniform(seed);
  const g = normal(u);
  const features = spec.inputShape.reduce((a: number, b: number) => a * b, 1);
  const x = new Float32Array(samples * features);
  if (w === 'W1' || w === 'W4' || w === 'W5') for (let i = 0; i < x.length; i++) x[i] = u();
  else for (let i = 0; i < x.length; i++) x[i] = g();
  const proj = Float32Array.from({ length: features * spec.outputs }, g);
  const score = (i: number, o: number): number => {
    let s = 0;
    for (let f = 0; f < features; f++) s += x[i * features + f]! * proj[f * spec.outputs + o]!;
    return s;
  };
  if (spec.outputs === 1) {
    const y = new Float32Array(samples);
    for (let i = 0; i < samples; i++) y[i] = Math.tanh(score(i, 0) / Math.sqrt(features)) + 0.1 * g();
    return { source: 'random', samples, x, y };
  }
  const labels = new Int32Array(samples);
  for (let i = 0; i < samples; i++) {
    let best = 0;
    for (let o = 1; o < spec.outputs; o++) if (score(i, o) > score(i, best)) best = o;
    labels[i] = best;
  }
  return { source: 'random', samples, x, y: oneHot(labels, spec.outputs) };
}

/**
 * W6's data: id sequences of lengths 20–100 (ids 1…vocab−1, post-padded
 * with 0) and a label that depends on the whole sequence (more ids below
 * vocab/2 than above), so the LSTM has something to learn.
 */
function sequences(samples: number, seed: number): WorkloadData {
  const u = uniform(seed);
  const T = SPECS.W6.inputShape[0];
  const x = new Float32Array(samples * T);
  const y = new Float32Array(samples);
  for (let i = 0; i < samples; i++) {
    const len = 20 + Math.floor(u() * (T - 19));
    let low = 0;
    for (let s = 0; s < len; s++) {
      const id = 1 + Math.floor(u() * (HYPER.w6Vocab - 1));
      x[i * T + s] = id;
      if (id < HYPER.w6Vocab / 2) low++;
    }
    y[i] = 2 * low > len ? 1 : 0;
  }
  return { source: 'random', samples, x, y };
}

/**
 * The batch pool of a workload: Fashion-MNIST for W1/W4/W5 when Debian's
 * `dataset-fashion-mnist` is installed (W5 takes the same rows as 28×28×1
 * images), seeded random data of the same shape otherwise; W2 and W3 always
 * use seeded random data.
 */
export function loadData(workload: Workload): WorkloadData {
  if (!(workload in SPECS)) throw new Error(`${workload} has no batch pool here (kernels and the fit workloads load their own data)`);
  const w = workload as ModelWorkload;
  const spec: WorkloadSpec = SPECS[w];
  const samples = spec.batch * spec.poolBatches;
  if (w === 'W1' || w === 'W4' || w === 'W5') {
    const real = fashionMnist(samples);
    if (real !== null) return real;
  }
  if (w === 'W6') return sequences(samples, 1240);
  return synthetic(w, samples, 1234 + Number(w.slice(1)));
}

/** Whether W1/W4 would run on Fashion-MNIST. */
export function fashionMnistAvailable(): boolean {
  const dir = fashionMnistDir();
  return existsSync(join(dir, 'train-images-idx3-ubyte.gz')) && existsSync(join(dir, 'train-labels-idx1-ubyte.gz'));
}

/** Seeded uniform matrix in [-1, 1) for K1. */
export function gemmOperand(n: number, seed: number): Float32Array {
  const u = uniform(seed);
  return Float32Array.from({ length: n * n }, () => 2 * u() - 1);
}

/** Seeded uniform values in [-1, 1) (K2's operands). */
export function uniformOperand(n: number, seed: number): Float32Array {
  const u = uniform(seed);
  return Float32Array.from({ length: n }, () => 2 * u() - 1);
}
