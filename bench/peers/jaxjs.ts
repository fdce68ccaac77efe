/**
 * jax-js peer (`@jax-js/jax`, WASM device): hand-written jit'd training steps
 * for W1–W3 and W5, jit'd inference for W4 and jit'd GEMMs for K1. K2 (the
 * separate conv2d backward kernels) is not measured here: jax-js has no
 * separate backward-input/filter kernels to call, only whole gradients.
 *
 * `--threads 1` runs kernels synchronously on the main thread (Node 20 has no
 * global `Worker`, so jax-js makes no worker pool); `--threads N` installs
 * `web-worker-shim.ts` first so jax-js dispatches to N workers over shared
 * memory (the main thread then only waits).
 *
 * Usage: `node --import tsx bench/peers/jaxjs.ts --workload W1 [--threads 2] [--quick]`.
 */
import {
  budgetFor, emit, scaleBudget, errorMessage, finish, GEMM_N, GEMM_VARIANTS, keysOf, parseRunnerArgs, peakRssMB, rssNow, timeSteps, unitOf,
  type RunnerArgs,
} from '../common.js';
import { effectiveGflops, gemmOperand, loadData, SPECS, type ModelWorkload, type WorkloadData } from '../workloads.js';
import { adamStepSize, initParams, makePredict, makeTrainStep, type Arr, type JaxModule, type Params } from './jaxjs-models.js';
import { installWebWorkerShim, shimWorkerCount } from './web-worker-shim.js';

/** Peer name of a thread configuration. */
export function jaxPeerName(threads: number): string {
  return threads > 1 ? `jax-js-${threads}t` : 'jax-js';
}

/** W3's inputs go channels-first ([batch, 8, 128]) for jax-js's convolution; a one-off host transpose, not timed. */
function channelsFirst(x: Float32Array, samples: number, steps: number, channels: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let s = 0; s < samples; s++) {
    for (let t = 0; t < steps; t++) {
      for (let c = 0; c < channels; c++) out[(s * channels + c) * steps + t] = x[(s * steps + t) * channels + c]!;
    }
  }
  return out;
}

function batches(jax: JaxModule, w: ModelWorkload, data: WorkloadData): { xs: Arr[]; ys: Arr[] } {
  const s = SPECS[w];
  const fx = s.inputShape.reduce((a: number, b: number) => a * b, 1);
  const x = w === 'W3' ? channelsFirst(data.x, data.samples, 128, 8) : data.x;
  // W5's images have one channel: [28, 28, 1] rows are already [1, 28, 28] channels-first.
  const shape = w === 'W3' ? [s.batch, 8, 128] : w === 'W5' ? [s.batch, 1, 28, 28] : [s.batch, ...s.inputShape];
  const xs: Arr[] = [];
  const ys: Arr[] = [];
  for (let b = 0; b < s.poolBatches; b++) {
    xs.push(jax.numpy.array(x.slice(b * s.batch * fx, (b + 1) * s.batch * fx), { shape }));
    ys.push(jax.numpy.array(data.y.slice(b * s.batch * s.outputs, (b + 1) * s.batch * s.outputs), { shape: [s.batch, s.outputs] }));
  }
  return { xs, ys };
}

async function runModel(jax: JaxModule, args: RunnerArgs, peer: string, baseline: number, data: WorkloadData): Promise<void> {
  const w = args.workload as ModelWorkload;
  const spec = SPECS[w];
  const { xs, ys } = batches(jax, w, data);
  let p: Params = initParams(jax, w);
  const pick = (i: number): number => i % spec.poolBatches;
  let step: (i: number) => Promise<void>;
  if (spec.training) {
    const names = Object.keys(p);
    let m: Params = Object.fromEntries(names.map((k) => [k, jax.numpy.zerosLike(p[k]!.ref)]));
    let v: Params = Object.fromEntries(names.map((k) => [k, jax.numpy.zerosLike(p[k]!.ref)]));
    const train = makeTrainStep(jax, w, names);
    step = async (i) => {
      const t = i + 1;
      const [p2, m2, v2, loss] = train(p, m, v, xs[pick(i)]!.ref, ys[pick(i)]!.ref, jax.random.key(t), jax.numpy.array(adamStepSize(t)));
      p = p2;
      m = m2;
      v = v2;
      const value = (await loss.data())[0]!;
      if (!Number.isFinite(value)) throw new Error(`${w} step ${t}: loss is ${value}`);
    };
  } else {
    const predict = makePredict(jax);
    step = async (i) => {
      const out = predict(jax.tree.ref(p), xs[pick(i)]!.ref);
      await out.data();
    };
  }
  const t = await timeSteps(step, budgetFor(args.quick));
  const value = (t.steps * spec.batch) / t.seconds;
  emit({
    peer, key: w, unit: 'samples/s', value, rssMB: peakRssMB(baseline), rssGrowthMB: t.rssGrowthMB,
    detail: { threads: args.threads, workers: shimWorkerCount(), steps: t.steps, seconds: t.seconds, gflops: effectiveGflops(w, value), data: data.source },
  });
}

async function runGemm(jax: JaxModule, args: RunnerArgs, peer: string, baseline: number): Promise<void> {
  const np = jax.numpy;
  const a = np.array(gemmOperand(GEMM_N, 1), { shape: [GEMM_N, GEMM_N] });
  const b = np.array(gemmOperand(GEMM_N, 2), { shape: [GEMM_N, GEMM_N] });
  const budget = scaleBudget(budgetFor(args.quick), 1 / 3);
  for (const variant of GEMM_VARIANTS) {
    const f = jax.jit((x: Arr, y: Arr) => np.matmul(variant.transA ? x.transpose() : x, variant.transB ? y.transpose() : y));
    const t = await timeSteps(async () => {
      const c = f(a.ref, b.ref);
      await c.blockUntilReady();
      c.dispose();
    }, budget);
    emit({
      peer, key: variant.key, unit: 'GFLOP/s', value: (2 * GEMM_N ** 3 * t.steps) / t.seconds / 1e9, rssMB: peakRssMB(baseline),
      rssGrowthMB: t.rssGrowthMB, detail: { threads: args.threads, workers: shimWorkerCount(), steps: t.steps, seconds: t.seconds },
    });
    f.dispose();
  }
}

async function main(): Promise<void> {
  const args = parseRunnerArgs(process.argv.slice(2));
  const peer = jaxPeerName(args.threads);
  const baseline = rssNow();
  if (args.workload === 'K2') {
    for (const key of keysOf('K2')) {
      emit({ peer, key, unit: unitOf(key), value: null, rssMB: null, rssGrowthMB: null, error: 'not measured: jax-js exposes no separate conv2d backward-input/backward-filter kernels (only whole gradients)' });
    }
    return;
  }
  if (args.workload === 'W6') {
    emit({ peer, key: 'W6', unit: 'samples/s', value: null, rssMB: null, rssGrowthMB: null, error: 'not measured: jax-js has no recurrent layers or scan-based LSTM in bench/peers (an LSTM would have to be written step by step in jax-js)' });
    return;
  }
  const data = args.workload === 'K1' ? null : loadData(args.workload);
  try {
    // The shim must exist before jax-js is imported: its WASM backend is created at import time.
    if (args.threads > 1) installWebWorkerShim(args.threads);
    const jax: JaxModule = await import('@jax-js/jax');
    const devices = await jax.init('cpu', 'wasm');
    if (!devices.includes('wasm')) throw new Error(`jax-js init('cpu', 'wasm') gave devices [${devices.join(', ')}]`);
    jax.defaultDevice('wasm');
    if (data === null) await runGemm(jax, args, peer, baseline);
    else await runModel(jax, args, peer, baseline, data);
  } catch (e) {
    for (const key of keysOf(args.workload)) {
      emit({ peer, key, unit: unitOf(key), value: null, rssMB: peakRssMB(baseline), rssGrowthMB: null, error: errorMessage(e) });
    }
  }
}

main().then(() => finish(0), (e: unknown) => {
  process.stderr.write(`${errorMessage(e)}\n`);
  finish(1);
});
