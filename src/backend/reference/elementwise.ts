/** Reference elementwise kernels: plain loops, obviously correct. */
import type { BinaryOp, FloatArray, UnaryOp } from '../backend.js';
import { broadcastStrides, sizeOf } from '../../tensor/shape.js';


const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** erf with |error| < 1.2e-7 (Numerical Recipes erfc, Chebyshev fit), enough for float32. */
export function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - r : r - 1;
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

function softplus(x: number): number {
  // log(1 + e^x) without overflow.
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

const SQRT_2_OVER_PI = 0.7978845608028654;

/** f(x) for every unary op. */
export const UNARY: Record<UnaryOp, (x: number, alpha: number) => number> = {
  neg: (x) => -x,
  exp: (x) => Math.exp(x),
  log: (x) => Math.log(x),
  sqrt: (x) => Math.sqrt(x),
  square: (x) => x * x,
  abs: (x) => Math.abs(x),
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN),
  reciprocal: (x) => 1 / x,
  powScalar: (x, a) => Math.pow(x, a),
  relu: (x) => (x > 0 ? x : x === x ? 0 : NaN),
  relu6: (x) => (x !== x ? NaN : Math.min(Math.max(x, 0), 6)),
  leakyRelu: (x, a) => (x > 0 ? x : a * x),
  elu: (x, a) => (x > 0 ? x : a * (Math.exp(x) - 1)),
  selu: (x) => (x > 0 ? SELU_SCALE * x : SELU_SCALE * SELU_ALPHA * (Math.exp(x) - 1)),
  gelu: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
  geluTanh: (x) => 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x))),
  sigmoid: (x) => sigmoid(x),
  hardSigmoid: (x) => (x !== x ? NaN : Math.min(Math.max(x + 3, 0), 6) / 6),
  tanh: (x) => Math.tanh(x),
  softplus: (x) => softplus(x),
  softsign: (x) => x / (1 + Math.abs(x)),
  swish: (x) => x * sigmoid(x),
};

/** f'(x) for every unary op, given x and y = f(x). Kinks follow TF: relu'(0)=0, abs'(0)=0. */
export const UNARY_GRAD: Record<UnaryOp, (x: number, y: number, alpha: number) => number> = {
  neg: () => -1,
  exp: (_x, y) => y,
  log: (x) => 1 / x,
  sqrt: (_x, y) => 0.5 / y,
  square: (x) => 2 * x,
  abs: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0),
  sign: () => 0,
  reciprocal: (_x, y) => -y * y,
  powScalar: (x, _y, a) => (a === 0 ? 0 : a * Math.pow(x, a - 1)),
  relu: (x) => (x > 0 ? 1 : 0),
  relu6: (x) => (x > 0 && x < 6 ? 1 : 0),
  leakyRelu: (x, _y, a) => (x > 0 ? 1 : a),
  elu: (x, y, a) => (x > 0 ? 1 : y + a),
  selu: (x, y) => (x > 0 ? SELU_SCALE : y + SELU_SCALE * SELU_ALPHA),
  gelu: (x) => 0.5 * (1 + erf(x / Math.SQRT2)) + (x * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI),
  geluTanh: (x) => {
    const u = SQRT_2_OVER_PI * (x + 0.044715 * x * x * x);
    const t = Math.tanh(u);
    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x);
  },
  sigmoid: (_x, y) => y * (1 - y),
  hardSigmoid: (x) => (x > -3 && x < 3 ? 1 / 6 : 0),
  tanh: (_x, y) => 1 - y * y,
  softplus: (x) => sigmoid(x),
  softsign: (x) => 1 / ((1 + Math.abs(x)) * (1 + Math.abs(x))),
  swish: (x) => {
    const s = sigmoid(x);
    return s + x * s * (1 - s);
  },
};

/** a ∘ b for every binary op (IEEE: NaN propagates through maximum/minimum). */
export const BINARY: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  maximum: (a, b) => (a !== a || b !== b ? NaN : a > b ? a : b),
  minimum: (a, b) => (a !== a || b !== b ? NaN : a < b ? a : b),
  pow: (a, b) => Math.pow(a, b),
  greater: (a, b) => (a > b ? 1 : 0),
  greaterEqual: (a, b) => (a >= b ? 1 : 0),
  less: (a, b) => (a < b ? 1 : 0),
  lessEqual: (a, b) => (a <= b ? 1 : 0),
  equal: (a, b) => (a === b ? 1 : 0),
};


/** Visits every output index, passing the flat offsets into each broadcast input. */
export function forEachBroadcast(
  outShape: readonly number[],
  inputStrides: readonly (readonly number[])[],
  visit: (outIndex: number, offsets: Int32Array) => void,
): void {
  const rank = outShape.length;
  const size = sizeOf(outShape);
  const idx = new Int32Array(rank);
  const offs = new Int32Array(inputStrides.length);
  for (let o = 0; o < size; o++) {
    visit(o, offs);
    for (let ax = rank - 1; ax >= 0; ax--) {
      idx[ax]!++;
      for (let k = 0; k < offs.length; k++) offs[k]! += inputStrides[k]![ax]!;
      if (idx[ax]! < outShape[ax]!) break;
      for (let k = 0; k < offs.length; k++) offs[k]! -= inputStrides[k]![ax]! * outShape[ax]!;
      idx[ax] = 0;
    }
  }
}

/** Reference `unary` kernel (contract in backend.ts), writing into its last argument. */
export function unaryInto(op: UnaryOp, x: FloatArray, alpha: number, out: FloatArray): void {
  const f = UNARY[op];
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]!, alpha);
}

/** Reference `unaryBackward` kernel (contract in backend.ts), writing into its last argument. */
export function unaryBackwardInto(op: UnaryOp, x: FloatArray, y: FloatArray, dy: FloatArray, alpha: number, out: FloatArray): void {
  const f = UNARY_GRAD[op];
  for (let i = 0; i < x.length; i++) out[i] = dy[i]! * f(x[i]!, y[i]!, alpha);
}

/** Reference `binary` kernel (contract in backend.ts), writing into its last argument. */
export function binaryInto(
  op: BinaryOp,
  a: FloatArray,
  aShape: readonly number[],
  b: FloatArray,
  bShape: readonly number[],
  outShape: readonly number[],
  out: FloatArray,
): void {
  const f = BINARY[op];
  if (a.length === out.length && b.length === out.length) {
    for (let i = 0; i < out.length; i++) out[i] = f(a[i]!, b[i]!);
    return;
  }
  if (b.length === 1 && a.length === out.length) {
    const bv = b[0]!;
    for (let i = 0; i < out.length; i++) out[i] = f(a[i]!, bv);
    return;
  }
  const sa = broadcastStrides(aShape, outShape);
  const sb = broadcastStrides(bShape, outShape);
  forEachBroadcast(outShape, [sa, sb], (o, offs) => {
    out[o] = f(a[offs[0]!]!, b[offs[1]!]!);
  });
}
