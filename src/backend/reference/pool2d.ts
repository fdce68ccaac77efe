/** Reference pool2d kernels (channels last, NHWC): the spec the wasm kernels must match. */
import type { FloatArray, Pool2dGeometry, PoolKind } from '../backend.js';

/** [lo, hi) of valid input positions for output index t along one axis. */
function span(t: number, stride: number, pad: number, pool: number, len: number): [number, number] {
  const start = t * stride - pad;
  return [Math.max(start, 0), Math.min(start + pool, len)];
}

/** Reference `pool2dForward` kernel (contract in backend.ts), writing into its last argument. */
export function pool2dForwardInto(kind: PoolKind, x: FloatArray, g: Pool2dGeometry, y: FloatArray): void {
  const { batch, inH, inW, c, outH, outW } = g;
  for (let b = 0; b < batch; b++) {
    for (let oh = 0; oh < outH; oh++) {
      const [h0, h1] = span(oh, g.strideH, g.padTop, g.poolH, inH);
      for (let ow = 0; ow < outW; ow++) {
        const [w0, w1] = span(ow, g.strideW, g.padLeft, g.poolW, inW);
        const count = Math.max((h1 - h0) * (w1 - w0), 1);
        for (let ch = 0; ch < c; ch++) {
          let acc = kind === 'max' ? -Infinity : 0;
          for (let h = h0; h < h1; h++) {
            for (let w = w0; w < w1; w++) {
              const v = x[((b * inH + h) * inW + w) * c + ch]!;
              if (kind === 'avg') acc += v;
              else if (v > acc || v !== v) acc = v;
            }
          }
          y[((b * outH + oh) * outW + ow) * c + ch] = kind === 'avg' ? acc / count : acc;
        }
      }
    }
  }
}

/**
 * Reference `pool2dBackward` kernel (contract in backend.ts), writing into its
 * last argument (zeroed). Max: dy goes to the first position of the window in
 * row-major order whose value equals y (a NaN y picks the first NaN); avg:
 * dy / count to each valid position.
 */
export function pool2dBackwardInto(kind: PoolKind, x: FloatArray, y: FloatArray, dy: FloatArray, g: Pool2dGeometry, dx: FloatArray): void {
  const { batch, inH, inW, c, outH, outW } = g;
  for (let b = 0; b < batch; b++) {
    for (let oh = 0; oh < outH; oh++) {
      const [h0, h1] = span(oh, g.strideH, g.padTop, g.poolH, inH);
      for (let ow = 0; ow < outW; ow++) {
        const [w0, w1] = span(ow, g.strideW, g.padLeft, g.poolW, inW);
        const count = (h1 - h0) * (w1 - w0);
        if (count <= 0) continue;
        for (let ch = 0; ch < c; ch++) {
          const o = ((b * outH + oh) * outW + ow) * c + ch;
          const d = dy[o]!;
          if (kind === 'avg') {
            const share = d / count;
            for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) dx[((b * inH + h) * inW + w) * c + ch]! += share;
            continue;
          }
          const target = y[o]!;
          search: for (let h = h0; h < h1; h++) {
            for (let w = w0; w < w1; w++) {
              const i = ((b * inH + h) * inW + w) * c + ch;
              const v = x[i]!;
              if (v === target || (v !== v && target !== target)) {
                dx[i]! += d;
                break search;
              }
            }
          }
        }
      }
    }
  }
}
