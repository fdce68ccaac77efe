/**
 * Data movement on 4-byte elements (float32 and int32 alike): strided gather
 * (transpose, slice), blocked 2-D transpose, 2-D copies (concat), gather and
 * its backward, one-hot.
 */
import { transpose4x4 } from './simd';

/**
 * dst (contiguous, in output order) = src[Σ idx_a·strides_a] over the output
 * shape. `dims` holds rank-long int32 blocks: shape, source strides (elements),
 * zeroed counters.
 */
export function gatherStrided(src: usize, dst: usize, rank: i32, dims: usize): void {
  const shape = dims;
  const str = dims + (<usize>rank << 2);
  const idx = dims + (<usize>rank << 3);
  const last = <usize>(rank - 1) << 2;
  const len = load<i32>(shape + last);
  const s = load<i32>(str + last);
  let outer = 1;
  for (let ax = 0; ax < rank - 1; ax++) outer *= load<i32>(shape + (<usize>ax << 2));
  if (len == 0) return;
  let off: usize = 0;
  let d = dst;
  const rowBytes = <usize>len << 2;
  for (let r = 0; r < outer; r++) {
    const p = src + (off << 2);
    if (s == 1) {
      memory.copy(d, p, rowBytes);
    } else {
      const step = <usize>s << 2;
      for (let i = 0; i < len; i++) store<u32>(d + (<usize>i << 2), load<u32>(p + <usize>i * step));
    }
    d += rowBytes;
    for (let ax = rank - 2; ax >= 0; ax--) {
      const q = <usize>ax << 2;
      const k = load<i32>(idx + q) + 1;
      off += <usize>load<i32>(str + q);
      if (k < load<i32>(shape + q)) {
        store<i32>(idx + q, k);
        break;
      }
      store<i32>(idx + q, 0);
      off -= <usize>(load<i32>(str + q) * k);
    }
  }
}

/** dst[b] = src[b]ᵀ for `batch` matrices of rows × cols (4×4 vector blocks). */
export function transpose2d(src: usize, dst: usize, batch: i32, rows: i32, cols: i32): void {
  const sRow = <usize>cols << 2;
  const dRow = <usize>rows << 2;
  const mat = <usize>rows * <usize>cols * 4;
  for (let b = 0; b < batch; b++) {
    const s = src + <usize>b * mat;
    const d = dst + <usize>b * mat;
    let i = 0;
    for (; i + 4 <= rows; i += 4) {
      const r0 = s + <usize>i * sRow;
      let j = 0;
      for (; j + 4 <= cols; j += 4) {
        const o = <usize>j << 2;
        transpose4x4(r0 + o, r0 + sRow + o, r0 + 2 * sRow + o, r0 + 3 * sRow + o, d + <usize>j * dRow + (<usize>i << 2), dRow);
      }
      for (; j < cols; j++) {
        for (let u = 0; u < 4; u++) store<u32>(d + <usize>j * dRow + (<usize>(i + u) << 2), load<u32>(r0 + <usize>u * sRow + (<usize>j << 2)));
      }
    }
    for (; i < rows; i++) {
      for (let j = 0; j < cols; j++) store<u32>(d + <usize>j * dRow + (<usize>i << 2), load<u32>(s + <usize>i * sRow + (<usize>j << 2)));
    }
  }
}

/** dst[r, 0..cols) (row stride dstStride) = src[r, 0..cols) (row stride srcStride), elements. */
export function copy2d(src: usize, dst: usize, rows: i32, cols: i32, srcStride: i32, dstStride: i32): void {
  const bytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    memory.copy(dst + (<usize>r * <usize>dstStride << 2), src + (<usize>r * <usize>srcStride << 2), bytes);
  }
}

/** out[o, j, i] = x[o, indices[j], i]; x is [outer, n, inner], out [outer, count, inner]. */
export function gather(x: usize, indices: usize, out: usize, outer: i32, n: i32, inner: i32, count: i32): void {
  const rowBytes = <usize>inner << 2;
  let d = out;
  for (let o = 0; o < outer; o++) {
    const base = x + <usize>o * <usize>n * rowBytes;
    for (let j = 0; j < count; j++) {
      memory.copy(d, base + <usize>load<i32>(indices + (<usize>j << 2)) * rowBytes, rowBytes);
      d += rowBytes;
    }
  }
}

/** dx = 0; dx[o, indices[j], i] += dy[o, j, i], in order of j. */
export function gatherBackward(dy: usize, indices: usize, dx: usize, outer: i32, n: i32, inner: i32, count: i32): void {
  const rowBytes = <usize>inner << 2;
  memory.fill(dx, 0, <usize>outer * <usize>n * rowBytes);
  let s = dy;
  for (let o = 0; o < outer; o++) {
    const base = dx + <usize>o * <usize>n * rowBytes;
    for (let j = 0; j < count; j++) {
      const d = base + <usize>load<i32>(indices + (<usize>j << 2)) * rowBytes;
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const q = <usize>i << 2;
        v128.store(d + q, f32x4.add(v128.load(d + q), v128.load(s + q)));
      }
      for (; i < inner; i++) {
        const q = <usize>i << 2;
        store<f32>(d + q, load<f32>(d + q) + load<f32>(s + q));
      }
      s += rowBytes;
    }
  }
}

/** out[r, indices[r]] = on, else off; out is [count, depth]. */
export function oneHot(indices: usize, out: usize, count: i32, depth: i32, on: f32, off: f32): void {
  const total = count * depth;
  const v = f32x4.splat(off);
  let i = 0;
  for (; i + 4 <= total; i += 4) v128.store(out + (<usize>i << 2), v);
  for (; i < total; i++) store<f32>(out + (<usize>i << 2), off);
  for (let r = 0; r < count; r++) {
    const k = load<i32>(indices + (<usize>r << 2));
    if (k >= 0 && k < depth) store<f32>(out + (<usize>(r * depth + k) << 2), on);
  }
}

/** dst[i] = value for n floats. */
export function fill(dst: usize, n: i32, value: f32): void {
  const v = f32x4.splat(value);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), v);
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), value);
}
