/**
 * The `model.fit` workloads of issue 18: W1's and W2's models trained end to
 * end the way a user runs them — `model.fit` on the whole data set, with
 * validation data, the default progress output (verbose 1) and a progress
 * callback that reads the running loss after every batch.
 *
 * - W1-fit: the Fashion-MNIST training set (60 000 images) with the test set
 *   (10 000) as validation data; 2 epochs, batch 128.
 * - W2-fit: 32 000 seeded random rows of W2's data, 8 000 more as validation
 *   data; 5 epochs, batch 32 (a 1 000-step epoch is still warming up the JIT in
 *   the third; the figure is the best epoch, so it is the steady rate users see
 *   over a real run).
 *
 * The figure is training samples per second of the best epoch, the epoch's
 * wall time including its validation; effective GFLOP/s = 3 × forward FLOPs
 * × that rate. In the same process the runner also measures the model's
 * `trainOnBatch` rate (as bench/regula.ts does for W1/W2) and the WASM SIMD
 * peak, so the ratios come from one run. `--profile` adds a per-phase profile
 * of one more epoch (bench/profile.ts).
 *
 * Usage: `node --import tsx bench/regula-fit.ts --workload W1-fit [--quick] [--threads N] [--profile]`.
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { readIdx } from '../src/data/idx.js';
import { budgetFor, emit, errorMessage, finish, parseRunnerArgs, peakRssMB, rssNow, timeSteps, type FitWorkload } from './common.js';
import { measureSimdPeak } from './gemm.bench.js';
import { libModule } from './lib-path.js';
import { PhaseProfiler, type ProfileReport } from './profile.js';
import { buildRegulaModel, loadRegula, moduleOf } from './regula.js';
import { effectiveGflops, fashionMnistDir, oneHot, SPECS, synthetic, type WorkloadData } from './workloads.js';

type Regula = typeof import('../src/index.js');

/** Rows, validation rows and epochs of each fit workload (quick: fewer). */
const FIT = {
  'W1-fit': { model: 'W1', train: 60000, val: 10000, epochs: 2, quick: { train: 12800, val: 2000, epochs: 2 } },
  'W2-fit': { model: 'W2', train: 32000, val: 8000, epochs: 5, quick: { train: 8000, val: 2000, epochs: 2 } },
} as const;

/** Rows of the profiled epoch (the second of a two-epoch fit; the first warms up). */
const PROFILE_ROWS = { 'W1-fit': { train: 12800, val: 2000 }, 'W2-fit': { train: 8000, val: 2000 } } as const;

interface FitData {
  source: string;
  train: WorkloadData;
  val: WorkloadData;
}

/** Images and one-hot labels of one Fashion-MNIST file pair, scaled to [0, 1], or null when absent. */
function fashionPart(prefix: 'train' | 't10k', rows: number): WorkloadData | null {
  const dir = fashionMnistDir();
  const images = join(dir, `${prefix}-images-idx3-ubyte.gz`);
  const labels = join(dir, `${prefix}-labels-idx1-ubyte.gz`);
  if (!existsSync(images) || !existsSync(labels)) return null;
  const img = readIdx(images);
  const lab = readIdx(labels);
  const n = Math.min(rows, img.shape[0] ?? 0);
  const x = new Float32Array(n * 784);
  for (let i = 0; i < x.length; i++) x[i] = img.data[i]! / 255;
  return { source: 'fashion-mnist', samples: n, x, y: oneHot(lab.data.subarray(0, n), 10) };
}

function rowsOf(d: WorkloadData, from: number, to: number, features: number, outputs: number): WorkloadData {
  return { source: d.source, samples: to - from, x: d.x.subarray(from * features, to * features), y: d.y.subarray(from * outputs, to * outputs) };
}

function loadFitData(w: FitWorkload, train: number, val: number): FitData {
  if (w === 'W1-fit') {
    const tr = fashionPart('train', train);
    const va = fashionPart('t10k', val);
    if (tr && va) return { source: 'fashion-mnist (train / test as validation)', train: tr, val: va };
  }
  const m = FIT[w].model;
  const spec = SPECS[m];
  const all = synthetic(m, train + val, m === 'W1' ? 1235 : 1236);
  const fx = spec.inputShape.reduce((a: number, b: number) => a * b, 1);
  return { source: 'random', train: rowsOf(all, 0, train, fx, spec.outputs), val: rowsOf(all, train, train + val, fx, spec.outputs) };
}

/** Per-epoch timings of one fit: wall time of the epoch (validation included) and of its training batches. */
interface EpochTiming {
  seconds: number;
  trainSeconds: number;
}

async function timedFit(api: Regula, w: FitWorkload, data: FitData, epochs: number, profiler?: PhaseProfiler): Promise<{ epochs: EpochTiming[]; lastLoss: number }> {
  const m = FIT[w].model;
  const spec = SPECS[m];
  const t = (d: WorkloadData): [ReturnType<Regula['tensor']>, ReturnType<Regula['tensor']>] => [
    api.tensor(d.x, [d.samples, ...spec.inputShape]),
    api.tensor(d.y, [d.samples, spec.outputs]),
  ];
  const [x, y] = t(data.train);
  const [xv, yv] = t(data.val);
  const model = buildRegulaModel(api, m);
  const timings: EpochTiming[] = [];
  let t0 = 0;
  let lastBatch = 0;
  let lastLoss = NaN;
  await model.fit(x, y, {
    epochs, batchSize: spec.batch, validationData: [xv, yv], seed: 1, verbose: 1,
    callbacks: [{
      onEpochBegin: (epoch: number) => {
        if (profiler && epoch === epochs - 1) profiler.start();
        t0 = performance.now();
      },
      // A progress callback as users write one: reads the running loss after every batch.
      onBatchEnd: (_step: number, logs?: Record<string, number>) => {
        lastLoss = logs?.['loss'] ?? NaN;
        lastBatch = performance.now();
      },
      onEpochEnd: () => {
        const now = performance.now();
        if (profiler) profiler.stop();
        timings.push({ seconds: (now - t0) / 1000, trainSeconds: (lastBatch - t0) / 1000 });
      },
    }],
  });
  if (!Number.isFinite(lastLoss)) throw new Error(`${w}: the running loss is ${lastLoss}`);
  return { epochs: timings, lastLoss };
}

/** samples/s of W1's or W2's model through trainOnBatch on pre-made batches (as bench/regula.ts times W1, W2). */
async function trainOnBatchRate(api: Regula, w: FitWorkload, data: FitData, quick: boolean): Promise<number> {
  const m = FIT[w].model;
  const spec = SPECS[m];
  const fx = spec.inputShape.reduce((a: number, b: number) => a * b, 1);
  const pool = Math.min(spec.poolBatches, Math.floor(data.train.samples / spec.batch));
  const xs = Array.from({ length: pool }, (_, b) => api.tensor(data.train.x.subarray(b * spec.batch * fx, (b + 1) * spec.batch * fx), [spec.batch, ...spec.inputShape]));
  const ys = Array.from({ length: pool }, (_, b) => api.tensor(data.train.y.subarray(b * spec.batch * spec.outputs, (b + 1) * spec.batch * spec.outputs), [spec.batch, spec.outputs]));
  const model = buildRegulaModel(api, m);
  const timing = await timeSteps((i) => {
    const loss = model.trainOnBatch(xs[i % pool]!, ys[i % pool]!)['loss'];
    if (loss === undefined || !Number.isFinite(loss)) throw new Error(`${m} trainOnBatch step ${i}: loss is ${loss}`);
  }, budgetFor(quick));
  return (timing.steps * spec.batch) / timing.seconds;
}

/** The per-phase profile of one epoch (the second of a two-epoch fit on a subset), or why there is none. */
async function profileFit(api: Regula, w: FitWorkload): Promise<ProfileReport | string> {
  let mod: { setStepProfiler?: (p: PhaseProfiler | null) => void };
  try {
    mod = await libModule<typeof mod>('models/step-profile.js');
  } catch {
    return 'this version of Regula has no step profiler (src/models/step-profile.ts)';
  }
  const rows = PROFILE_ROWS[w];
  const data = loadFitData(w, rows.train, rows.val);
  const profiler = new PhaseProfiler();
  const backend = api.getBackend() as unknown as { kernels?: Record<string, unknown> };
  profiler.install(backend, backend.kernels);
  mod.setStepProfiler?.(profiler);
  try {
    await timedFit(api, w, data, 2, profiler);
  } finally {
    mod.setStepProfiler?.(null);
    profiler.uninstall();
  }
  return profiler.report(Math.ceil(rows.train / SPECS[FIT[w].model].batch));
}

async function main(): Promise<void> {
  const args = parseRunnerArgs(process.argv.slice(2));
  const w = args.workload as FitWorkload;
  if (!(w in FIT)) throw new Error(`bench/regula-fit.ts runs ${Object.keys(FIT).join(', ')}, not ${w}`);
  const cfg = args.quick ? FIT[w].quick : FIT[w];
  const data = loadFitData(w, cfg.train, cfg.val);
  const baseline = rssNow();
  try {
    const { api, backend } = await loadRegula(args);
    const fit = await timedFit(api, w, data, cfg.epochs);
    const best = fit.epochs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    const value = data.train.samples / best.seconds;
    const trainOnly = data.train.samples / fit.epochs.reduce((a, e) => Math.min(a, e.trainSeconds), Infinity);
    const tob = await trainOnBatchRate(api, w, data, args.quick);
    const peaks = await measureSimdPeak(args.quick ? 0.6 : 1.5);
    // The peak of the module that ran: relaxed_madd chains for the relaxed-SIMD module, mul + add otherwise.
    const module = moduleOf(api);
    const ranRelaxed = module.startsWith('relaxed-simd');
    const peak = ranRelaxed && typeof peaks.relaxed === 'object' ? peaks.relaxed : { gflops1t: peaks.gflops1t, gflops2t: peaks.gflops2t };
    const peak2 = Math.max(peak.gflops2t, 2 * peak.gflops1t);
    const m = FIT[w].model;
    const gflops = effectiveGflops(m, value);
    const profile = process.argv.includes('--profile') ? await profileFit(api, w) : undefined;
    emit({
      peer: 'regula', key: w, unit: 'samples/s', value, rssMB: peakRssMB(baseline), rssGrowthMB: null,
      ...(backend === 'wasm' ? {} : { note: `ran on Regula's '${backend}' backend, not wasm` }),
      detail: {
        backend, module, data: data.source, trainRows: data.train.samples, valRows: data.val.samples, batch: SPECS[m].batch,
        epochs: fit.epochs, gflops, peak, simdPeak: { gflops1t: peaks.gflops1t, gflops2t: peaks.gflops2t }, relaxedPeak: peaks.relaxed, fractionOfPeak2t: gflops / peak2,
        trainOnlySamplesPerSec: trainOnly, trainOnBatchSamplesPerSec: tob, fitOverTrainOnBatch: value / tob,
        trainOnBatchGflops: effectiveGflops(m, tob), ...(profile !== undefined ? { profile } : {}),
      },
    });
  } catch (e) {
    emit({ peer: 'regula', key: w, unit: 'samples/s', value: null, rssMB: null, rssGrowthMB: null, error: errorMessage(e) });
  }
}

main().then(() => finish(0), (e: unknown) => {
  process.stderr.write(`${errorMessage(e)}\n`);
  finish(1);
});
