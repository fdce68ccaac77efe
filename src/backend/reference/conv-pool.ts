/** Reference conv1d and pool1d kernels (channels last). */
import type { Conv1dGeometry, FloatArray, Pool1dGeometry, PoolKind } from '../backend.js';

/** Reference `conv1dForward` kernel (contract in backend.ts), writing into its last argument. */
export function conv1dForwardInto(x: FloatArray, w: FloatArray, g: Conv1dGeometry, y: FloatArray): void {
  const { batch, inLen, inC, outLen, outC, k, stride, dilation, padLeft } = g;
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < outLen; t++) {
      for (let o = 0; o < outC; o++) {
        let s = 0;
        for (let j = 0; j < k; j++) {
          const pos = t * stride + j * dilation - padLeft;
          if (pos < 0 || pos >= inLen) continue;
          for (let c = 0; c < inC; c++) s += x[(b * inLen + pos) * inC + c]! * w[(j * inC + c) * outC + o]!;
        }
        y[(b * outLen + t) * outC + o] = s;
      }
    }
  }
}

/** Reference `conv1dBackwardInput` kernel (contract in backend.ts), writing into its last argument. */
export function conv1dBackwardInputInto(dy: FloatArray, w: FloatArray, g: Conv1dGeometry, dx: FloatArray): void {
  const { batch, inLen, inC, outLen, outC, k, stride, dilation, padLeft } = g;
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < outLen; t++) {
      for (let j = 0; j < k; j++) {
        const pos = t * stride + j * dilation - padLeft;
        if (pos < 0 || pos >= inLen) continue;
        for (let c = 0; c < inC; c++) {
          let s = 0;
          for (let o = 0; o < outC; o++) s += dy[(b * outLen + t) * outC + o]! * w[(j * inC + c) * outC + o]!;
          dx[(b * inLen + pos) * inC + c]! += s;
        }
      }
    }
  }
}

/** Reference `conv1dBackwardFilter` kernel (contract in backend.ts), writing into its last argument. */
export function conv1dBackwardFilterInto(x: FloatArray, dy: FloatArray, g: Conv1dGeometry, dw: FloatArray): void {
  const { batch, inLen, inC, outLen, outC, k, stride, dilation, padLeft } = g;
  for (let j = 0; j < k; j++) {
    for (let c = 0; c < inC; c++) {
      for (let o = 0; o < outC; o++) {
        let s = 0;
        for (let b = 0; b < batch; b++) {
          for (let t = 0; t < outLen; t++) {
            const pos = t * stride + j * dilation - padLeft;
            if (pos < 0 || pos >= inLen) continue;
            s += x[(b * inLen + pos) * inC + c]! * dy[(b * outLen + t) * outC + o]!;
          }
        }
        dw[(j * inC + c) * outC + o] = s;
      }
    }
  }
}

function windowRange(t: number, g: Pool1dGeometry): [number, number] {
  const start = t * g.stride - g.padLeft;
  return [Math.max(start, 0), Math.min(start + g.pool, g.inLen)];
}

/** Reference `pool1dForward` kernel (contract in backend.ts), writing into its last argument. */
export function pool1dForwardInto(kind: PoolKind, x: FloatArray, g: Pool1dGeometry, y: FloatArray): void {
  const { batch, inLen, c, outLen } = g;
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < outLen; t++) {
      const [lo, hi] = windowRange(t, g);
      for (let ch = 0; ch < c; ch++) {
        let acc = kind === 'max' ? -Infinity : 0;
        for (let p = lo; p < hi; p++) {
          const v = x[(b * inLen + p) * c + ch]!;
          if (kind === 'avg') acc += v;
          else if (v > acc || v !== v) acc = v;
          if (acc !== acc) break;
        }
        y[(b * outLen + t) * c + ch] = kind === 'avg' ? acc / Math.max(hi - lo, 1) : acc;
      }
    }
  }
}

/** Reference `pool1dBackward` kernel (contract in backend.ts), writing into its last argument. */
export function pool1dBackwardInto(kind: PoolKind, x: FloatArray, y: FloatArray, dy: FloatArray, g: Pool1dGeometry, dx: FloatArray): void {
  const { batch, inLen, c, outLen } = g;
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < outLen; t++) {
      const [lo, hi] = windowRange(t, g);
      for (let ch = 0; ch < c; ch++) {
        const d = dy[(b * outLen + t) * c + ch]!;
        if (kind === 'avg') {
          const share = d / Math.max(hi - lo, 1);
          for (let p = lo; p < hi; p++) dx[(b * inLen + p) * c + ch]! += share;
        } else {
          const target = y[(b * outLen + t) * c + ch]!;
          for (let p = lo; p < hi; p++) {
            const v = x[(b * inLen + p) * c + ch]!;
            if (v === target || (v !== v && target !== target)) {
              dx[(b * inLen + p) * c + ch]! += d;
              break;
            }
          }
        }
      }
    }
  }
}
