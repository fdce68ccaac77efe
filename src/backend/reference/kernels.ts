/** Reference reductions, layout, GEMM, softmax, random and optimizer kernels. */
import type { AdamArgs, AnyArray, ArgReduceOp, FloatArray, MatmulArgs, ReduceOp, RmspropArgs } from '../backend.js';
import { stridesOf } from '../../tensor/shape.js';
import { UNARY } from './elementwise.js';

/** Reference `reduce` kernel (contract in backend.ts), writing into its last argument. */
export function reduceInto(op: ReduceOp, x: FloatArray, outer: number, n: number, inner: number, out: FloatArray): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let acc = op === 'sum' ? 0 : op === 'max' ? -Infinity : Infinity;
      for (let j = 0; j < n; j++) {
        const v = x[(o * n + j) * inner + i]!;
        if (op === 'sum') acc += v;
        else if (v !== v) acc = NaN;
        else if (op === 'max' ? v > acc : v < acc) acc = v;
        if (acc !== acc && op !== 'sum') break;
      }
      out[o * inner + i] = acc;
    }
  }
}

/** Reference `argReduce` kernel (contract in backend.ts), writing into its last argument. */
export function argReduceInto(op: ArgReduceOp, x: FloatArray, outer: number, n: number, inner: number, out: Int32Array): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let best = 0;
      let bv = x[o * n * inner + i]!;
      for (let j = 1; j < n && bv === bv; j++) {
        const v = x[(o * n + j) * inner + i]!;
        if (v !== v || (op === 'argMax' ? v > bv : v < bv)) {
          best = j;
          bv = v;
        }
      }
      out[o * inner + i] = best;
    }
  }
}

/** Reference `transpose` kernel (contract in backend.ts), writing into its last argument. */
export function transposeInto(x: AnyArray, shape: readonly number[], perm: readonly number[], out: AnyArray): void {
  const rank = shape.length;
  const inStrides = stridesOf(shape);
  const outShape = perm.map((p) => shape[p]!);
  const strides = perm.map((p) => inStrides[p]!);
  const idx = new Int32Array(rank);
  let src = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = x[src]!;
    for (let ax = rank - 1; ax >= 0; ax--) {
      idx[ax]!++;
      src += strides[ax]!;
      if (idx[ax]! < outShape[ax]!) break;
      src -= strides[ax]! * outShape[ax]!;
      idx[ax] = 0;
    }
  }
}

/** Reference `slice` kernel (contract in backend.ts), writing into its last argument. */
export function sliceInto(x: AnyArray, shape: readonly number[], begin: readonly number[], size: readonly number[], out: AnyArray): void {
  const rank = shape.length;
  const st = stridesOf(shape);
  const idx = new Int32Array(rank);
  let src = 0;
  for (let ax = 0; ax < rank; ax++) src += begin[ax]! * st[ax]!;
  for (let o = 0; o < out.length; o++) {
    out[o] = x[src]!;
    for (let ax = rank - 1; ax >= 0; ax--) {
      idx[ax]!++;
      src += st[ax]!;
      if (idx[ax]! < size[ax]!) break;
      src -= st[ax]! * size[ax]!;
      idx[ax] = 0;
    }
  }
}

/** Reference `concat` kernel (contract in backend.ts), writing into its last argument. */
export function concatInto(xs: readonly AnyArray[], outer: number, parts: readonly number[], out: AnyArray): void {
  const total = parts.reduce((a, b) => a + b, 0);
  for (let o = 0; o < outer; o++) {
    let off = o * total;
    xs.forEach((x, p) => {
      const w = parts[p]!;
      for (let j = 0; j < w; j++) out[off + j] = x[o * w + j]!;
      off += w;
    });
  }
}

/** C = op(A)·op(B) (+bias, activation), accumulated in float64 locals for the oracle. */
export function matmulInto(p: MatmulArgs, out: FloatArray): void {
  const { a, b, batch, m, k, n, transA, transB, aBatchStride, bBatchStride, bias } = p;
  const act = p.activation ?? 'linear';
  for (let bt = 0; bt < batch; bt++) {
    const ao = bt * aBatchStride;
    const bo = bt * bBatchStride;
    const co = bt * m * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let t = 0; t < k; t++) {
          const av = transA ? a[ao + t * m + i]! : a[ao + i * k + t]!;
          const bv = transB ? b[bo + j * k + t]! : b[bo + t * n + j]!;
          s += av * bv;
        }
        if (bias) s += bias[j]!;
        out[co + i * n + j] = act === 'linear' ? s : UNARY[act](s, 0);
      }
    }
  }
}

/** Reference `softmax` / `logSoftmax` kernel (contract in backend.ts), writing into `out`. */
export function softmaxInto(x: FloatArray, outer: number, n: number, out: FloatArray, log: boolean): void {
  for (let o = 0; o < outer; o++) {
    const base = o * n;
    let mx = -Infinity;
    for (let j = 0; j < n; j++) mx = Math.max(mx, x[base + j]!);
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.exp(x[base + j]! - mx);
    const ls = Math.log(s);
    for (let j = 0; j < n; j++) out[base + j] = log ? x[base + j]! - mx - ls : Math.exp(x[base + j]! - mx) / s;
  }
}

/** Reference `sgdUpdate` kernel (contract in backend.ts), in place. */
export function sgdUpdate(w: FloatArray, g: FloatArray, m: FloatArray | null, lr: number, momentum: number, nesterov: boolean): void {
  if (!m || momentum === 0) {
    for (let i = 0; i < w.length; i++) w[i]! -= lr * g[i]!;
    return;
  }
  for (let i = 0; i < w.length; i++) {
    const mi = momentum * m[i]! - lr * g[i]!;
    m[i] = mi;
    w[i]! += nesterov ? momentum * mi - lr * g[i]! : mi;
  }
}

/** Reference `adamUpdate` kernel (contract in backend.ts), in place. */
export function adamUpdate(w: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, vhat: FloatArray | null, p: AdamArgs): void {
  const { alpha, beta1, beta2, epsilon } = p;
  for (let i = 0; i < w.length; i++) {
    const gi = g[i]!;
    m[i]! += (gi - m[i]!) * (1 - beta1);
    v[i]! += (gi * gi - v[i]!) * (1 - beta2);
    let vi = v[i]!;
    if (vhat) {
      vhat[i] = Math.max(vhat[i]!, vi);
      vi = vhat[i]!;
    }
    w[i]! -= (alpha * m[i]!) / (Math.sqrt(vi) + epsilon);
  }
}

/**
 * Reference `maxNormInPlace` kernel (contract in backend.ts): the unfused
 * constraint's reference ops step by step — each result stored at the
 * array's precision (float32 arrays round every step), the column sums
 * accumulated in float64 like the reference `sum`.
 */
export function maxNormInPlace(w: FloatArray, rows: number, cols: number, maxValue: number, epsilon: number): void {
  const r = w instanceof Float32Array ? Math.fround : (x: number): number => x;
  const eps = r(epsilon);
  const scale = new Float64Array(cols);
  for (let c = 0; c < cols; c++) {
    let acc = 0;
    for (let i = 0; i < rows; i++) acc += r(w[i * cols + c]! * w[i * cols + c]!);
    const n = r(Math.sqrt(r(acc)));
    const clipped = n !== n ? NaN : n < 0 ? 0 : n > maxValue ? maxValue : n;
    scale[c] = r(r(clipped) / r(n + eps));
  }
  for (let i = 0; i < rows; i++) for (let c = 0; c < cols; c++) w[i * cols + c] = r(w[i * cols + c]! * scale[c]!);
}

/** Reference `rmspropUpdate` kernel (contract in backend.ts), in place. */
export function rmspropUpdate(w: FloatArray, g: FloatArray, v: FloatArray, mg: FloatArray | null, mom: FloatArray | null, p: RmspropArgs): void {
  const { lr, rho, momentum, epsilon, centered } = p;
  for (let i = 0; i < w.length; i++) {
    const gi = g[i]!;
    v[i] = rho * v[i]! + (1 - rho) * gi * gi;
    let denom = v[i]!;
    if (centered && mg) {
      mg[i] = rho * mg[i]! + (1 - rho) * gi;
      denom -= mg[i]! * mg[i]!;
    }
    const inc = (lr * gi) / Math.sqrt(denom + epsilon);
    if (momentum > 0 && mom) {
      mom[i] = momentum * mom[i]! + inc;
      w[i]! -= mom[i]!;
    } else {
      w[i]! -= inc;
    }
  }
}

/** Reference `adagradUpdate` kernel (contract in backend.ts), in place. */
export function adagradUpdate(w: FloatArray, g: FloatArray, acc: FloatArray, lr: number, epsilon: number): void {
  for (let i = 0; i < w.length; i++) {
    acc[i]! += g[i]! * g[i]!;
    w[i]! -= (lr * g[i]!) / Math.sqrt(acc[i]! + epsilon);
  }
}
