/**
 * The wasm side of `pool2dForward` / `pool2dBackward` (assembly/pool2d.ts):
 * both are split kernels, so big poolings run on the thread pool; any split
 * gives bit-identical results (channels never interact).
 */
import type { FloatArray, Pool2dGeometry, PoolKind } from '../backend.js';
import type { Dispatch } from './dispatch.js';
import { POOL_CODES } from './exports.js';

function geometry(g: Pool2dGeometry): number[] {
  return [g.batch, g.inH, g.inW, g.c, g.outH, g.outW, g.poolH, g.poolW, g.strideH, g.strideW, g.padTop, g.padLeft];
}

/** Work of one pass, in the pool's flop-like units (one compare or add per window element). */
function work(g: Pool2dGeometry): number {
  return g.batch * g.outH * g.outW * g.c * g.poolH * g.poolW;
}

/** y [batch, outH, outW, c]; rows (b, oh) × channels are split over threads. */
export function pool2dForward(d: Dispatch, kind: PoolKind, x: FloatArray, g: Pool2dGeometry): FloatArray {
  return d.call(() => {
    const y = d.f32(g.batch * g.outH * g.outW * g.c);
    const fixed = [POOL_CODES[kind], d.ptr(x), y.byteOffset];
    for (const v of geometry(g)) fixed.push(v);
    d.split('pool2dForward', fixed, g.batch * g.outH, g.c, work(g));
    return y;
  });
}

/** dx [batch, inH, inW, c]; samples × channels are split over threads. */
export function pool2dBackward(d: Dispatch, kind: PoolKind, x: FloatArray, y: FloatArray, dy: FloatArray, g: Pool2dGeometry): FloatArray {
  return d.call(() => {
    const dx = d.f32(g.batch * g.inH * g.inW * g.c);
    const fixed = [POOL_CODES[kind], d.ptr(x), d.ptr(y), d.ptr(dy), dx.byteOffset];
    for (const v of geometry(g)) fixed.push(v);
    d.split('pool2dBackward', fixed, g.batch, g.c, 2 * work(g));
    return dx;
  });
}
