/**
 * INTEGRATION POINT: Regula's own side of `npm run bench`.
 *
 * Builds the workload models with Regula's public API (`../src/index.js`,
 * TF.js spelling: `new Sequential([...])`, `layers.dense({...})`,
 * `regularizers.l2`, `constraints.maxNorm`, `optimizers.adam`,
 * `model.compile`, `model.trainOnBatch`, `model.predict`) and times them
 * exactly like the TF.js peer (one `trainOnBatch` per step on pre-made
 * batch tensors). K1 comes from `benchGemm()` in `./gemm.bench.js` (owned by
 * the wasm backend), which also measures the machine's WASM SIMD peak; K2
 * from `benchConv2d()` in `./conv.bench.js` (the conv2d kernels and the same
 * peak, measured again in its run).
 *
 * Whatever is missing (the API, a layer, the wasm backend, gemm.bench.ts)
 * yields `null` with an error saying what; no number is ever invented.
 *
 * Usage: `node --import tsx bench/regula.ts --workload W1 [--quick] [--backend reference|wasm] [--threads N]`.
 */
import { fileURLToPath } from 'node:url';
import {
  budgetFor, CONV_PASSES, emit, errorMessage, finish, GEMM_VARIANTS, isKernel, keysOf, parseRunnerArgs, peakRssMB, rssNow, timeSteps, unitOf,
  type RunnerArgs,
} from './common.js';
import { effectiveGflops, HYPER, loadData, SPECS, type ModelWorkload, type WorkloadData, type WorkloadSpec } from './workloads.js';

import { libModule, LIB_TREE } from './lib-path.js';

type Regula = typeof import('../src/index.js');
type Model = InstanceType<Regula['Sequential']>;
type RTensor = ReturnType<Regula['tensor']>;

/** Dotted names of the public API each workload needs. */
const NEEDS: Record<ModelWorkload, readonly string[]> = {
  W1: ['Sequential', 'tensor', 'layers.dense', 'layers.dropout', 'regularizers.l2', 'constraints.maxNorm', 'optimizers.adam'],
  W2: ['Sequential', 'tensor', 'layers.dense', 'layers.dropout', 'regularizers.l2', 'optimizers.adam'],
  W3: ['Sequential', 'tensor', 'layers.conv1d', 'layers.globalAveragePooling1d', 'layers.gaussianNoise', 'layers.dense', 'constraints.nonNeg', 'optimizers.adam'],
  W4: ['Sequential', 'tensor', 'layers.dense', 'layers.dropout', 'regularizers.l2', 'constraints.maxNorm', 'optimizers.adam'],
  W5: ['Sequential', 'tensor', 'layers.conv2d', 'layers.maxPooling2d', 'layers.flatten', 'layers.dropout', 'layers.dense', 'optimizers.adam'],
  W6: ['Sequential', 'tensor', 'layers.embedding', 'layers.lstm', 'layers.dense', 'optimizers.adam'],
};

function missing(api: unknown, names: readonly string[]): string[] {
  return names.filter((name) => {
    let v: unknown = api;
    for (const part of name.split('.')) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[part] : undefined;
    return typeof v !== 'function';
  });
}

/** Builds and compiles a workload's model with Regula's API (W4 uses W1's model). */
export function buildRegulaModel(api: Regula, w: ModelWorkload): Model {
  const { layers, regularizers, constraints, optimizers } = api;
  const l2 = (): ReturnType<typeof regularizers.l2> => regularizers.l2(HYPER.l2);
  const stack =
    w === 'W1' || w === 'W4'
      ? [
          layers.dense({ inputShape: [784], units: 512, activation: 'relu', kernelRegularizer: l2() }),
          layers.dropout({ rate: HYPER.w1Dropout }),
          layers.dense({ units: 512, activation: 'relu', kernelConstraint: constraints.maxNorm({ maxValue: HYPER.maxNorm }) }),
          layers.dropout({ rate: HYPER.w1Dropout }),
          layers.dense({ units: 10, activation: 'softmax' }),
        ]
      : w === 'W2'
        ? [
            layers.dense({ inputShape: [30], units: 64, activation: 'relu', kernelRegularizer: l2() }),
            layers.dropout({ rate: HYPER.w2Dropout }),
            layers.dense({ units: 64, activation: 'relu' }),
            layers.dense({ units: 1 }),
          ]
        : w === 'W6'
          ? [
              layers.embedding({ inputShape: [100], inputDim: HYPER.w6Vocab, outputDim: HYPER.w6Embedding, maskZero: true }),
              layers.lstm({ units: HYPER.w6Units, dropout: HYPER.w6Dropout, recurrentDropout: HYPER.w6RecurrentDropout }),
              layers.dense({ units: 1, activation: 'sigmoid' }),
            ]
        : w === 'W5'
          ? [
              layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
              layers.maxPooling2d({ poolSize: 2 }),
              layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
              layers.maxPooling2d({ poolSize: 2 }),
              layers.flatten(),
              layers.dropout({ rate: HYPER.w5Dropout }),
              layers.dense({ units: 10, activation: 'softmax' }),
            ]
          : [
            layers.conv1d({ inputShape: [128, 8], filters: 64, kernelSize: 3, padding: 'same', activation: 'relu', kernelConstraint: constraints.nonNeg() }),
            layers.conv1d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' }),
            layers.globalAveragePooling1d(),
            layers.gaussianNoise({ stddev: HYPER.w3Noise }),
            layers.dense({ units: 10, activation: 'softmax' }),
          ];
  const model = new api.Sequential(stack, { seed: 1 });
  model.compile({
    optimizer: optimizers.adam({ learningRate: HYPER.learningRate, beta1: HYPER.beta1, beta2: HYPER.beta2, epsilon: HYPER.epsilon }),
    loss: w === 'W2' ? 'meanSquaredError' : w === 'W6' ? 'binaryCrossentropy' : 'categoricalCrossentropy',
  });
  return model;
}


/** Whether --threads was given (else Regula runs with its default: one thread per core). */
const THREADS_GIVEN = process.argv.includes('--threads');

/** Loads Regula, awaits its `ready()` when it has one, applies `--backend`/`--threads`; returns the API and the active backend's name. */
export async function loadRegula(args: RunnerArgs): Promise<{ api: Regula; backend: string; readyFrom: string }> {
  let api: Regula;
  try {
    api = await libModule<Regula>('index.js');
  } catch (e) {
    throw new Error(`Regula models not available yet (importing ${LIB_TREE}/index.js failed: ${errorMessage(e)})`);
  }
  // `ready()` loads the wasm backend and makes it current. Until src/index.ts exports it, use the backend's own module.
  let ready = (api as unknown as Record<string, unknown>)['ready'];
  let readyFrom = typeof ready === 'function' ? 'src/index.ts' : 'none';
  if (typeof ready !== 'function' && args.backend !== 'reference') {
    try {
      ready = (await libModule<Record<string, unknown>>('backend/wasm/ready.js'))['ready'];
      if (typeof ready === 'function') readyFrom = 'src/backend/wasm/ready.ts';
    } catch {
      ready = undefined;
    }
  }
  if (typeof ready === 'function' && args.backend !== 'reference') {
    // No --threads flag: the library default (one thread per core), as users get it.
    await (ready as (o?: { threads?: number }) => Promise<unknown>)(THREADS_GIVEN ? { threads: args.threads } : {});
  }
  if (args.backend === 'reference' || args.backend === 'wasm') api.setBackend(args.backend);
  const b = api.getBackend() as unknown as { name?: unknown };
  return { api, backend: typeof b.name === 'string' ? b.name : 'unknown', readyFrom };
}

/** The kernels module the wasm backend runs ('relaxed-simd' or 'simd', and why), when this version says. */
export function moduleOf(api: Regula): string {
  const f = (api as unknown as Record<string, unknown>)['wasmModuleInfo'];
  const info = typeof f === 'function' ? ((f as () => { kind: string; reason: string } | undefined)() ?? null) : null;
  return info ? `${info.kind} (${info.reason})` : 'simd (this version has one module)';
}

async function runModel(args: RunnerArgs, baseline: number, data: WorkloadData): Promise<void> {
  const w = args.workload as ModelWorkload;
  const spec = SPECS[w];
  const { api, backend, readyFrom } = await loadRegula(args);
  const absent = missing(api, NEEDS[w]);
  if (absent.length > 0) throw new Error(`Regula models not available yet (missing: ${absent.join(', ')})`);
  const model = buildRegulaModel(api, w);
  const fx = spec.inputShape.reduce((a: number, b: number) => a * b, 1);
  const xs: RTensor[] = [];
  const ys: RTensor[] = [];
  for (let b = 0; b < spec.poolBatches; b++) {
    xs.push(api.tensor(data.x.subarray(b * spec.batch * fx, (b + 1) * spec.batch * fx), [spec.batch, ...spec.inputShape]));
    ys.push(api.tensor(data.y.subarray(b * spec.batch * spec.outputs, (b + 1) * spec.batch * spec.outputs), [spec.batch, spec.outputs]));
  }
  const pick = (i: number): number => i % spec.poolBatches;
  const step = spec.training
    ? (i: number): void => {
        const logs = model.trainOnBatch(xs[pick(i)]!, ys[pick(i)]!);
        const loss = logs['loss'];
        if (loss === undefined || !Number.isFinite(loss)) throw new Error(`${w} step ${i}: loss is ${loss}`);
      }
    : (i: number): void => {
        model.predict(xs[pick(i)]!, { batchSize: spec.batch }).dataSync();
      };
  const t = await timeSteps(step, budgetFor(args.quick));
  const value = (t.steps * spec.batch) / t.seconds;
  const peak = peakRssMB(baseline);
  const rss = w === 'W1' || w === 'W5' || w === 'W6' ? await rssOverEpochs(api, data, w) : null;
  emit({
    peer: 'regula', key: w, unit: 'samples/s', value, rssMB: peak, rssGrowthMB: t.rssGrowthMB,
    ...(backend === 'wasm' ? {} : { note: `ran on Regula's '${backend}' backend, not wasm` }),
    detail: { backend, module: moduleOf(api), ready: readyFrom, threads: THREADS_GIVEN ? args.threads : 'default (all cores)', steps: t.steps, seconds: t.seconds, gflops: effectiveGflops(w, value), data: data.source, ...(rss ?? {}) },
  });
}

/**
 * Epochs and batches per epoch of the RSS sub-measurement (issue 6: "RSS
 * growth < 5 % over 20 epochs of W1"; issue 12: the same for W5, whose
 * steps are slower: 5 batches per epoch; issue 13: W6, 5 batches per epoch).
 */
const RSS_EPOCHS = 20;
const RSS_BATCHES = { W1: 10, W5: 5, W6: 5 } as const;

/**
 * The RSS sub-measurement of W1 or W5: a fresh model of the workload trained
 * with `model.fit` (real epochs: shuffling, batch slicing, the step-scoped
 * arena and the persistent region) for {@link RSS_EPOCHS} epochs of
 * {@link RSS_BATCHES} batches; the process RSS after epoch 1 against after
 * the last epoch.
 */
async function rssOverEpochs(api: Regula, data: WorkloadData, w: 'W1' | 'W5' | 'W6'): Promise<Record<string, number>> {
  const spec: WorkloadSpec = SPECS[w];
  const batches = RSS_BATCHES[w];
  const n = batches * spec.batch;
  const fx = spec.inputShape.reduce((a: number, b: number) => a * b, 1);
  const x = api.tensor(data.x.subarray(0, n * fx), [n, ...spec.inputShape]);
  const y = api.tensor(data.y.subarray(0, n * spec.outputs), [n, spec.outputs]);
  const model = buildRegulaModel(api, w);
  const perEpoch: number[] = [];
  const t0 = performance.now();
  await model.fit(x, y, {
    epochs: RSS_EPOCHS, batchSize: spec.batch, seed: 1, verbose: 0,
    callbacks: [{ onEpochEnd: () => void perEpoch.push(rssNow()) }],
  });
  const seconds = (performance.now() - t0) / 1000;
  const first = perEpoch[0]!;
  const last = perEpoch[perEpoch.length - 1]!;
  const mb = (b: number): number => Math.round((b / 2 ** 20) * 10) / 10;
  return {
    rssGrowthPct: ((last - first) / first) * 100, rssEpoch1MB: mb(first), rssEpochLastMB: mb(last), rssMaxMB: mb(Math.max(...perEpoch)),
    rssEpochs: RSS_EPOCHS, rssBatchesPerEpoch: batches, rssFitSamplesPerSec: (RSS_EPOCHS * n) / seconds,
  };
}

/** Finds a finite number under any of `names` (case-insensitive, ignoring '-', '_' and '·'), one level deep. */
function findNumber(obj: unknown, names: readonly string[]): number | null {
  if (typeof obj !== 'object' || obj === null) return null;
  const norm = (s: string): string => s.toLowerCase().replace(/[-_·\s]/g, '');
  const wanted = names.map(norm);
  const entries = Object.entries(obj as Record<string, unknown>);
  for (const [k, v] of entries) if (wanted.includes(norm(k)) && typeof v === 'number' && Number.isFinite(v)) return v;
  for (const [, v] of entries) {
    const inner = typeof v === 'object' && v !== null ? findNumber(v, names) : null;
    if (inner !== null) return inner;
  }
  return null;
}

/** The informative extras of a benchGemm() result (per-thread figures, fraction of peak, its note). */
function pickGemmDetail(result: unknown): Record<string, unknown> {
  if (typeof result !== 'object' || result === null) return {};
  const r = result as Record<string, unknown>;
  return Object.fromEntries(['threads', 'byThreads', 'fractionOfPeak2t', 'module', 'simdPeak', 'relaxedPeak', 'note'].filter((k) => k in r).map((k) => [k, r[k]]));
}

/**
 * K1 through `benchGemm()` of `bench/gemm.bench.ts`. Accepted result shape
 * (names case-insensitive): `{ 'K1-AB' | AB, 'K1-AtB' | AtB, 'K1-ABt' | ABt:
 * GFLOP/s, gflops1t | peak1t, gflops2t | peak2t: GFLOP/s }`, flat or one level nested.
 */
async function runGemm(args: RunnerArgs, baseline: number): Promise<void> {
  const spec = './gemm.bench.js';
  let mod: { benchGemm?: unknown };
  try {
    mod = (await import(spec)) as { benchGemm?: unknown };
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    throw new Error(code === 'ERR_MODULE_NOT_FOUND' ? 'bench/gemm.bench.ts not available yet' : `importing bench/gemm.bench.ts failed: ${errorMessage(e)}`);
  }
  if (typeof mod.benchGemm !== 'function') throw new Error('bench/gemm.bench.ts does not export benchGemm()');
  const result: unknown = await (mod.benchGemm as (o: { quick: boolean; threads?: number }) => unknown)({ quick: args.quick, ...(THREADS_GIVEN ? { threads: args.threads } : {}) });
  const peak = { gflops1t: findNumber(result, ['gflops1t', 'peak1t', 'peak1']), gflops2t: findNumber(result, ['gflops2t', 'peak2t', 'peak2']) };
  const names: Record<string, readonly string[]> = { 'K1-AB': ['K1-AB', 'AB'], 'K1-AtB': ['K1-AtB', 'AtB'], 'K1-ABt': ['K1-ABt', 'ABt'] };
  for (const v of GEMM_VARIANTS) {
    const value = findNumber(result, names[v.key]!);
    emit({
      peer: 'regula', key: v.key, unit: 'GFLOP/s', value, rssMB: peakRssMB(baseline), rssGrowthMB: null,
      ...(value === null ? { error: `benchGemm() result has no ${v.key} figure` } : {}),
      detail: { peak, ...pickGemmDetail(result) },
    });
  }
}

/** K2 through `benchConv2d()` of `bench/conv.bench.ts` (forward, backward-input, backward-filter GFLOP/s and the SIMD peak). */
async function runConv(args: RunnerArgs, baseline: number): Promise<void> {
  const { benchConv2d } = await import('./conv.bench.js');
  const r = await benchConv2d({ quick: args.quick, ...(THREADS_GIVEN ? { threads: args.threads } : {}) });
  const peak = { gflops1t: r.gflops1t, gflops2t: r.gflops2t };
  for (const p of CONV_PASSES) {
    emit({
      peer: 'regula', key: p.key, unit: 'GFLOP/s', value: r[p.key], rssMB: peakRssMB(baseline), rssGrowthMB: null,
      detail: { peak, threads: r.threads, byThreads: r.byThreads, fractionOfPeak2t: r.fractionOfPeak2t[p.pass], note: r.note },
    });
  }
}

async function main(): Promise<void> {
  const args = parseRunnerArgs(process.argv.slice(2));
  const data = isKernel(args.workload) ? null : loadData(args.workload);
  const baseline = rssNow();
  try {
    if (args.workload === 'K2') await runConv(args, baseline);
    else if (data === null) await runGemm(args, baseline);
    else await runModel(args, baseline, data);
  } catch (e) {
    for (const key of keysOf(args.workload)) {
      emit({ peer: 'regula', key, unit: unitOf(key), value: null, rssMB: null, rssGrowthMB: null, error: errorMessage(e) });
    }
  }
}

// Run as a script (not when bench/regula-fit.ts imports the model builder).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().then(() => finish(0), (e: unknown) => {
    process.stderr.write(`${errorMessage(e)}\n`);
    finish(1);
  });
}
