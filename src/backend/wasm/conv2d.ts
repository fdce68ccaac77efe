/**
 * The wasm backend's conv2d and depthwise conv2d kernels: argument lists for
 * assembly/conv2d.ts and assembly/depthwise.ts and the thread splits (rows of
 * the output: pixels for conv2d forward and backward-input, image rows (b, h)
 * for depthwise forward and backward-input, kernel taps × channels for
 * backward-filter, or depth chunks for a long conv2d backward-filter;
 * columns: channels). WasmBackend delegates its six conv2d
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
  /**
   * Short depths split dw (taps × channels by output channels); long ones
   * split the depth into filterChunks(g) chunks, each thread computing whole
   * partial dw's, then sum them in chunk order (assembly/conv2d.ts).
   */
  backwardFilter(x: FloatArray, dy: FloatArray, g: Conv2dGeometry): FloatArray {
    return this.d.call(() => {
      const n = R.conv2dSizes(g).w;
      const dw = this.d.f32(n);
      const chunks = filterChunks(g);
      if (chunks === 1) {
        this.d.split('conv2dBackwardFilter', [this.d.ptr(x), this.d.ptr(dy), dw.byteOffset, ...geometry(g)], n / g.outC, g.outC, flops(g));
        return dw;
      }
      const parts = this.d.f32(chunks * n);
      this.d.split('conv2dBackwardFilterChunks', [this.d.ptr(x), this.d.ptr(dy), parts.byteOffset, ...geometry(g), chunks], 4 * chunks, 1, flops(g));
      this.d.range('sumChunks', [parts.byteOffset, dw.byteOffset, chunks, n], n, chunks);
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

/** Backward-filter depth chunks are at least this deep (the packing of x and dy per chunk stays small next to its product). */
const CHUNK_DEPTH = 1024;
/** Chunk counts used: 12 chunks share out evenly over 1, 2, 3, 4 and 6 threads. */
const CHUNK_COUNTS = [12, 6, 4, 3, 2] as const;
/** At most this many floats of partial dw's (16 MiB). */
const MAX_PART_FLOATS = 1 << 22;

/**
 * How many depth chunks conv2d backward-filter sums (1: no chunking, dw is
 * split instead). A function of the geometry only — never of the thread count
 * — so the result's bits are the same on any number of threads.
 */
export function filterChunks(g: Conv2dGeometry): number {
  const depth = g.batch * g.outH * g.outW;
  const n = R.conv2dSizes(g).w;
  const most = Math.min(Math.floor(depth / CHUNK_DEPTH), Math.floor(MAX_PART_FLOATS / Math.max(1, n)));
  return CHUNK_COUNTS.find((c) => c <= most) ?? 1;
}

/** Multiply-adds ×2 of the forward product. */
function flops(g: Conv2dGeometry): number {
  return 2 * g.batch * g.outH * g.outW * g.outC * g.kh * g.kw * (g.inC / g.groups);
}
