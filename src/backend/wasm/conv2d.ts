/**
 * The wasm backend's conv2d and depthwise conv2d kernels: argument lists for
 * assembly/conv2d.ts and the thread splits. WasmBackend delegates its six
 * conv2d methods here (one line each).
 */
import type { Conv2dGeometry, FloatArray } from '../backend.js';
import * as R from '../reference/conv2d.js';
import type { Dispatch } from './dispatch.js';
import type { KernelExports } from './exports.js';

/** conv2d and depthwise conv2d on the wasm backend. */
export class WasmConv2d {
  constructor(
    private readonly d: Dispatch,
    private readonly k: KernelExports,
  ) {}

  forward(x: FloatArray, w: FloatArray, g: Conv2dGeometry): FloatArray {
    return this.d.call(() => {
      const y = this.d.f32(R.conv2dSizes(g).y).fill(0);
      R.conv2dForwardInto(x, w, g, y);
      return y;
    });
  }
  backwardInput(dy: FloatArray, w: FloatArray, g: Conv2dGeometry): FloatArray {
    return this.d.call(() => {
      const dx = this.d.f32(R.conv2dSizes(g).x).fill(0);
      R.conv2dBackwardInputInto(dy, w, g, dx);
      return dx;
    });
  }
  backwardFilter(x: FloatArray, dy: FloatArray, g: Conv2dGeometry): FloatArray {
    return this.d.call(() => {
      const dw = this.d.f32(R.conv2dSizes(g).w).fill(0);
      R.conv2dBackwardFilterInto(x, dy, g, dw);
      return dw;
    });
  }
  depthwiseForward(x: FloatArray, w: FloatArray, g: Conv2dGeometry): FloatArray {
    return this.d.call(() => {
      const y = this.d.f32(R.conv2dSizes(g).y).fill(0);
      R.depthwiseConv2dForwardInto(x, w, g, y);
      return y;
    });
  }
  depthwiseBackwardInput(dy: FloatArray, w: FloatArray, g: Conv2dGeometry): FloatArray {
    return this.d.call(() => {
      const dx = this.d.f32(R.conv2dSizes(g).x).fill(0);
      R.depthwiseConv2dBackwardInputInto(dy, w, g, dx);
      return dx;
    });
  }
  depthwiseBackwardFilter(x: FloatArray, dy: FloatArray, g: Conv2dGeometry): FloatArray {
    return this.d.call(() => {
      const dw = this.d.f32(R.conv2dSizes(g).w).fill(0);
      R.depthwiseConv2dBackwardFilterInto(x, dy, g, dw);
      return dw;
    });
  }
}
