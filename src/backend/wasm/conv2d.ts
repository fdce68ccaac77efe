/**
 * The wasm backend's conv2d and depthwise conv2d kernels: argument lists for
 * assembly/conv2d.ts and assembly/depthwise.ts and the thread splits (rows of
 * the output: pixels for conv2d forward and backward-input, image rows (b, h)
 * for depthwise forward and backward-input, kernel taps × channels for
 * backward-filter; columns: channels). WasmBackend delegates its six conv2d
 * methods here.
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
      const y = this.d.f32(R.conv2dSizes(g).y);
      this.d.split('conv2dForward', [this.d.ptr(x), this.d.ptr(w), y.byteOffset, ...geometry(g)], g.batch * g.outH * g.outW, g.outC, flops(g));
      return y;
    });
  }
  backwardInput(dy: FloatArray, w: FloatArray, g: Conv2dGeometry): FloatArray {
    return this.d.call(() => {
      const dx = this.d.f32(R.conv2dSizes(g).x);
      this.d.split('conv2dBackwardInput', [this.d.ptr(dy), this.d.ptr(w), dx.byteOffset, ...geometry(g)], g.batch * g.inH * g.inW, g.inC, flops(g) * g.strideH * g.strideW);
      return dx;
    });
  }
  backwardFilter(x: FloatArray, dy: FloatArray, g: Conv2dGeometry): FloatArray {
    return this.d.call(() => {
      const dw = this.d.f32(R.conv2dSizes(g).w);
      this.d.split('conv2dBackwardFilter', [this.d.ptr(x), this.d.ptr(dy), dw.byteOffset, ...geometry(g)], g.kh * g.kw * (g.inC / g.groups), g.outC, flops(g));
      return dw;
    });
  }
  // Depthwise (one channel per group: a GEMM would run 1-wide panels) runs the
  // direct f32x4 loops of assembly/depthwise.ts. They cost about twice a GEMM
  // flop (two loads per multiply-add), hence the 2× work for the split.
  depthwiseForward(x: FloatArray, w: FloatArray, g: Conv2dGeometry): FloatArray {
    return this.d.call(() => {
      const y = this.d.f32(R.conv2dSizes(g).y);
      this.d.split('depthwiseConv2dForward', [this.d.ptr(x), this.d.ptr(w), y.byteOffset, ...geometry(g)], g.batch * g.outH, g.outC, 2 * flops(g));
      return y;
    });
  }
  depthwiseBackwardInput(dy: FloatArray, w: FloatArray, g: Conv2dGeometry): FloatArray {
    return this.d.call(() => {
      const dx = this.d.f32(R.conv2dSizes(g).x);
      this.d.split('depthwiseConv2dBackwardInput', [this.d.ptr(dy), this.d.ptr(w), dx.byteOffset, ...geometry(g)], g.batch * g.inH, g.inC, 2 * flops(g));
      return dx;
    });
  }
  depthwiseBackwardFilter(x: FloatArray, dy: FloatArray, g: Conv2dGeometry): FloatArray {
    return this.d.call(() => {
      const dw = this.d.f32(R.conv2dSizes(g).w);
      this.d.split('depthwiseConv2dBackwardFilter', [this.d.ptr(x), this.d.ptr(dy), dw.byteOffset, ...geometry(g)], g.kh * g.kw, g.outC, 2 * flops(g));
      return dw;
    });
  }
}

/** The 16 geometry arguments of the assembly/conv2d.ts and depthwise.ts entries (spread-ok: fixed length). */
function geometry(g: Conv2dGeometry): number[] {
  return [g.batch, g.inH, g.inW, g.inC, g.outH, g.outW, g.outC, g.kh, g.kw, g.strideH, g.strideW, g.dilationH, g.dilationW, g.padTop, g.padLeft, g.groups];
}

/** Multiply-adds ×2 of the forward product. */
function flops(g: Conv2dGeometry): number {
  return 2 * g.batch * g.outH * g.outW * g.outC * g.kh * g.kw * (g.inC / g.groups);
}
