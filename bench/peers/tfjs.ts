/**
 * TF.js peer: W1–W6 (W6 without RNN dropout, which TF.js lacks), K1 and K2 on `@tensorflow/tfjs` (cpu backend) and
 * `@tensorflow/tfjs-backend-wasm` (1 thread, or N threads through
 * `tfjs-threads.ts`). K2's passes are TF.js's own kernels: `conv2d`,
 * `conv2dTranspose` (Conv2DBackpropInput) and `Conv2DBackpropFilter` through
 * `engine().runKernel` (the wasm backend registers no such kernel: recorded
 * as its error, as is W5's training, which needs it).
 *
 * Usage: `node --import tsx bench/peers/tfjs.ts --workload W1 --backend wasm --threads 2 [--quick]`
 * prints `BENCH_RESULT {json}` lines (see `bench/common.ts`).
 */
import type * as TF from '@tensorflow/tfjs';
import {
  budgetFor, CONV_K2, CONV_K2_FLOPS, CONV_PASSES, emit, scaleBudget, errorMessage, finish, GEMM_N, GEMM_VARIANTS, isKernel, keysOf, parseRunnerArgs, peakRssMB, rssNow,
  timeSteps, unitOf, type Measurement, type RunnerArgs,
} from '../common.js';
import { effectiveGflops, gemmOperand, loadData, SPECS, uniformOperand, type ModelWorkload, type WorkloadData } from '../workloads.js';
import { buildTfjsModel, type Tf } from './tfjs-models.js';
import { installTfjsWasmThreads } from './tfjs-threads.js';

/**
 * Prints `BENCH_MARK <key>` when a measurement starts and after each of its
 * calls: if the runner is killed at its time limit, `bench/run.ts` bounds the
 * unfinished call's rate by the time since the last mark (TF.js cpu can take
 * minutes over one K2 backward-filter or W5 step).
 */
function mark(key: string): void {
  process.stdout.write(`BENCH_MARK ${key}\n`);
}

/** Peer name of a backend/thread configuration. */
export function tfjsPeerName(backend: string, threads: number): string {
  return backend === 'cpu' ? 'tfjs-cpu' : threads > 1 ? `tfjs-wasm-${threads}t` : 'tfjs-wasm';
}

/** Splits a workload's pool into on-backend batch tensors. */
function batches(tf: Tf, w: ModelWorkload, data: WorkloadData): { xs: TF.Tensor[]; ys: TF.Tensor[] } {
  const s = SPECS[w];
  const fx = s.inputShape.reduce((a: number, b: number) => a * b, 1);
  const xs: TF.Tensor[] = [];
  const ys: TF.Tensor[] = [];
  for (let b = 0; b < s.poolBatches; b++) {
    xs.push(tf.tensor(data.x.subarray(b * s.batch * fx, (b + 1) * s.batch * fx), [s.batch, ...s.inputShape]));
    ys.push(tf.tensor(data.y.subarray(b * s.batch * s.outputs, (b + 1) * s.batch * s.outputs), [s.batch, s.outputs]));
  }
  return { xs, ys };
}

async function runModel(tf: Tf, args: RunnerArgs, peer: string, baseline: number, data: WorkloadData, extra: Record<string, unknown>): Promise<void> {
  const w = args.workload as ModelWorkload;
  const spec = SPECS[w];
  const model = buildTfjsModel(tf, w);
  const { xs, ys } = batches(tf, w, data);
  const pick = (i: number): number => i % spec.poolBatches;
  const step = spec.training
    ? async (i: number): Promise<void> => {
        await model.trainOnBatch(xs[pick(i)]!, ys[pick(i)]!);
      }
    : async (i: number): Promise<void> => {
        const out = model.predict(xs[pick(i)]!) as TF.Tensor;
        await out.data();
        out.dispose();
      };
  mark(w);
  const t = await timeSteps(async (i) => {
    await step(i);
    mark(w);
  }, budgetFor(args.quick));
  const value = (t.steps * spec.batch) / t.seconds;
  emit({
    peer, key: w, unit: 'samples/s', value, rssMB: peakRssMB(baseline), rssGrowthMB: t.rssGrowthMB,
    ...(w === 'W6' ? { note: 'LSTM without dropout / recurrentDropout: TF.js never implemented RNN dropout masks' } : {}),
    detail: { ...extra, steps: t.steps, seconds: t.seconds, gflops: effectiveGflops(w, value), data: data.source },
  });
}

async function runGemm(tf: Tf, args: RunnerArgs, peer: string, baseline: number, extra: Record<string, unknown>): Promise<void> {
  const a = tf.tensor(gemmOperand(GEMM_N, 1), [GEMM_N, GEMM_N]);
  const b = tf.tensor(gemmOperand(GEMM_N, 2), [GEMM_N, GEMM_N]);
  const budget = scaleBudget(budgetFor(args.quick), 1 / 3);
  let first = true;
  for (const v of GEMM_VARIANTS) {
    // The cpu backend runs every variant through one JS kernel: warming up the first warms them all (≈ 2–8 s per product here).
    const warmup = first || args.backend !== 'cpu';
    first = false;
    const t = await timeSteps(async () => {
      const c = tf.matMul(a, b, v.transA, v.transB);
      await c.data();
      c.dispose();
    }, budget, warmup);
    emit({
      peer, key: v.key, unit: 'GFLOP/s', value: (2 * GEMM_N ** 3 * t.steps) / t.seconds / 1e9, rssMB: peakRssMB(baseline),
      rssGrowthMB: t.rssGrowthMB, detail: { ...extra, steps: t.steps, seconds: t.seconds, warmup },
    });
  }
}

/** K2: each conv2d pass timed on its own (the same operands and geometry as Regula's K2). */
async function runConv(tf: Tf, args: RunnerArgs, peer: string, baseline: number, extra: Record<string, unknown>): Promise<void> {
  const { batch, h, w, inC, outC, k } = CONV_K2;
  const x = tf.tensor4d(uniformOperand(batch * h * w * inC, 1), [batch, h, w, inC]);
  const f = tf.tensor4d(uniformOperand(k * k * inC * outC, 2), [k, k, inC, outC]);
  const dy = tf.tensor4d(uniformOperand(batch * h * w * outC, 3), [batch, h, w, outC]);
  const budget = scaleBudget(budgetFor(args.quick), 1 / 3);
  const passes: Record<(typeof CONV_PASSES)[number]['pass'], () => TF.Tensor> = {
    forward: () => tf.conv2d(x, f, 1, 'same'),
    backwardInput: () => tf.conv2dTranspose(dy, f, [batch, h, w, inC], 1, 'same'),
    backwardFilter: () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', filterShape: [k, k, inC, outC] }) as TF.Tensor,
  };
  for (const p of CONV_PASSES) {
    try {
      mark(p.key);
      const t = await timeSteps(async () => {
        const y = passes[p.pass]();
        await y.data();
        y.dispose();
        mark(p.key);
      }, budget);
      emit({
        peer, key: p.key, unit: 'GFLOP/s', value: (CONV_K2_FLOPS * t.steps) / t.seconds / 1e9, rssMB: peakRssMB(baseline),
        rssGrowthMB: t.rssGrowthMB, detail: { ...extra, steps: t.steps, seconds: t.seconds },
      });
    } catch (e) {
      emit({ peer, key: p.key, unit: 'GFLOP/s', value: null, rssMB: peakRssMB(baseline), rssGrowthMB: null, error: errorMessage(e) });
    }
  }
}

async function main(): Promise<void> {
  const args = parseRunnerArgs(process.argv.slice(2));
  const peer = tfjsPeerName(args.backend, args.threads);
  const data = isKernel(args.workload) ? null : loadData(args.workload);
  const baseline = rssNow();
  const fail = (e: unknown): void => {
    for (const key of keysOf(args.workload)) {
      const m: Measurement = { peer, key, unit: unitOf(key), value: null, rssMB: peakRssMB(baseline), rssGrowthMB: null, error: errorMessage(e) };
      emit(m);
    }
  };
  try {
    const tf = (await import('@tensorflow/tfjs')) as Tf;
    const extra: Record<string, unknown> = { backend: args.backend };
    if (args.backend === 'wasm') {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      if (args.threads > 1) installTfjsWasmThreads(args.threads, { env: tf.env, setThreadsCount: wasm.setThreadsCount });
      if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend("wasm") failed');
      await tf.ready();
      extra['threads'] = wasm.getThreadsCount();
      if (wasm.getThreadsCount() !== args.threads) {
        throw new Error(`asked for ${args.threads} WASM threads, TF.js runs ${wasm.getThreadsCount()}`);
      }
    } else if (args.backend === 'cpu') {
      if (!(await tf.setBackend('cpu'))) throw new Error('tf.setBackend("cpu") failed');
      await tf.ready();
      extra['threads'] = 1;
    } else {
      throw new Error(`--backend must be cpu or wasm, received ${JSON.stringify(args.backend)}`);
    }
    if (args.workload === 'K2') await runConv(tf, args, peer, baseline, extra);
    else if (data === null) await runGemm(tf, args, peer, baseline, extra);
    else await runModel(tf, args, peer, baseline, data, extra);
  } catch (e) {
    fail(e);
  }
}

main().then(() => finish(0), (e: unknown) => {
  process.stderr.write(`${errorMessage(e)}\n`);
  finish(1);
});
