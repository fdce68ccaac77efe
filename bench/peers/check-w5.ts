/**
 * Checks that jax-js's W5 (`cnnLogits` of jaxjs-models.ts: channels-first
 * convolutions, max pools written as reshape + max, a channels-first flatten)
 * is the same network as Regula's and TF.js's W5 (Keras layers, NHWC): both
 * get the same weights — Regula's initial ones, conv kernels transposed from
 * [kh, kw, in, out] to [out, in, kh, kw] and the dense rows permuted from
 * (h, w, c) to (c, h, w) order — and the same 64 images; their softmax
 * outputs must agree to float32 rounding. Prints the largest difference and
 * exits 1 when it is above 1e-5.
 *
 * Usage: `node --import tsx bench/peers/check-w5.ts`
 */
import { finish } from '../common.js';
import { HYPER, loadData } from '../workloads.js';
import { cnnLogits, type JaxModule, type Params } from './jaxjs-models.js';

const N = 64;

/** [kh, kw, in, out] → [out, in, kh, kw]. */
function oihw(k: Float32Array, kh: number, kw: number, cin: number, cout: number): Float32Array {
  const out = new Float32Array(k.length);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      for (let c = 0; c < cin; c++) {
        for (let o = 0; o < cout; o++) out[((o * cin + c) * kh + i) * kw + j] = k[((i * kw + j) * cin + c) * cout + o]!;
      }
    }
  }
  return out;
}

/** Dense rows from Keras's (h, w, c) flatten order to jax's (c, h, w). */
function chwRows(w: Float32Array, h: number, wd: number, c: number, units: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < wd; x++) {
      for (let ch = 0; ch < c; ch++) out.set(w.subarray(((y * wd + x) * c + ch) * units, ((y * wd + x) * c + ch + 1) * units), ((ch * h + y) * wd + x) * units);
    }
  }
  return out;
}

async function main(): Promise<void> {
  const api = await import('../../src/index.js');
  const { ready } = await import('../../src/backend/wasm/ready.js');
  await ready();
  const { layers } = api;
  const model = new api.Sequential([
    layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.flatten(),
    layers.dropout({ rate: HYPER.w5Dropout }),
    layers.dense({ units: 10, activation: 'softmax' }),
  ], { seed: 1 });
  const data = loadData('W5');
  const xs = data.x.slice(0, N * 784);
  const regula = model.predict(api.tensor(xs, [N, 28, 28, 1])).dataSync() as Float32Array;
  const [k1, c1, k2, c2, w3, b3] = model.getWeights().map((t) => Float32Array.from(t.dataSync()));
  const jax: JaxModule = await import('@jax-js/jax');
  await jax.init('cpu', 'wasm');
  jax.defaultDevice('wasm');
  const np = jax.numpy;
  const p: Params = {
    k1: np.array(oihw(k1!, 3, 3, 1, 32), { shape: [32, 1, 3, 3] }), c1: np.array(c1!, { shape: [32] }),
    k2: np.array(oihw(k2!, 3, 3, 32, 64), { shape: [64, 32, 3, 3] }), c2: np.array(c2!, { shape: [64] }),
    w3: np.array(chwRows(w3!, 5, 5, 64, 10), { shape: [1600, 10] }), b3: np.array(b3!, { shape: [10] }),
  };
  // One channel: NHWC rows are already [1, 28, 28] channels-first.
  const probs = jax.nn.softmax(cnnLogits(jax, p, np.array(xs, { shape: [N, 1, 28, 28] }), null));
  const theirs = await probs.data();
  let worst = 0;
  for (let i = 0; i < regula.length; i++) worst = Math.max(worst, Math.abs(regula[i]! - theirs[i]!));
  const ok = worst <= 1e-5 && theirs.length === regula.length;
  process.stdout.write(`W5 network check on ${N} ${data.source} images: max |softmax(Regula) − softmax(jax-js)| = ${worst.toExponential(2)} over ${regula.length} outputs — ${ok ? 'same network' : 'MISMATCH'}\n`);
  finish(ok ? 0 : 1);
}

main().catch((e: unknown) => {
  process.stderr.write(`check-w5: ${e instanceof Error ? e.message : String(e)}\n`);
  finish(1);
});
