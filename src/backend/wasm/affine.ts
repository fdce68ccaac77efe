/**
 * The wasm backend's projective resampling (assembly/affine.ts): argument
 * lists, the float64 transform block in the arena, and the thread splits
 * (forward by output rows, backward by images). WasmBackend delegates its two
 * affine methods here (one line each).
 */
import type { AffineGeometry, FloatArray } from '../backend.js';
import { affineSizes } from '../reference/affine.js';
import type { Dispatch } from './dispatch.js';
import { FILL_CODES, INTERP_CODES } from './exports.js';
import type { WasmMemory } from './memory.js';

/** Per output pixel and channel: 4 taps (a multiply-add each) plus the coordinate work shared by the channels. */
const costPerPixel = (g: AffineGeometry): number => 40 + 8 * g.c;

/** `affineTransform` on the wasm backend: output rows split over threads. */
export function affineTransform(d: Dispatch, mem: WasmMemory, x: FloatArray, transforms: Float64Array, g: AffineGeometry): FloatArray {
  return d.call(() => {
    const y = d.f32(affineSizes(g).y);
    if (y.length === 0) return y;
    const xp = d.ptr(x);
    const tp = transformsPtr(mem, transforms);
    const fixed = [xp, tp, y.byteOffset, g.batch, g.inH, g.inW, g.c, g.outH, g.outW, FILL_CODES[g.fillMode], INTERP_CODES[g.interpolation], g.fillValue];
    d.range('affineTransform', fixed, g.batch * g.outH, g.outW * costPerPixel(g));
    return y;
  });
}

/** `affineTransformBackward` on the wasm backend: images split over threads (each scatters into its own dx image). */
export function affineTransformBackward(d: Dispatch, mem: WasmMemory, dy: FloatArray, transforms: Float64Array, g: AffineGeometry): FloatArray {
  return d.call(() => {
    const dx = d.f32(affineSizes(g).x);
    if (dx.length === 0) return dx;
    const dyp = d.ptr(dy);
    const tp = transformsPtr(mem, transforms);
    const fixed = [dyp, tp, dx.byteOffset, g.batch, g.inH, g.inW, g.c, g.outH, g.outW, FILL_CODES[g.fillMode], INTERP_CODES[g.interpolation]];
    d.range('affineTransformBackward', fixed, g.batch, g.outH * g.outW * costPerPixel(g));
    return dx;
  });
}

/** Copies the float64 transforms into the arena (64-byte aligned); returns the pointer. */
function transformsPtr(mem: WasmMemory, t: Float64Array): number {
  const ptr = mem.arenaBytes(Math.max(8, t.length * 8));
  new Float64Array(mem.memory.buffer, ptr, t.length).set(t);
  return ptr;
}
