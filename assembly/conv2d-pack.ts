/**
 * The packers of the conv2d products (assembly/conv2d.ts), called by
 * gemm-pack.ts for the 2-D modes: A straight from the input or output-gradient
 * patches (no im2col buffer) — rows (b,h,v) × depth (i,j,c) for forward and
 * backward-input, the transposed patches (i,j,c) × (b,h,v) for
 * backward-filter — and B from the grouped kernel for backward-input; plus
 * the geometry they read (`C2`, set by the entry points).
 */
import { transpose4x4 } from './simd';
import { G, packFourRows } from './gemm-pack';

/** The 2-D geometry of the current product (per instance, i.e. per thread). */
export namespace C2 {
  export let inH: i32 = 0;
  export let inW: i32 = 0;
  export let inC: i32 = 0;
  export let outH: i32 = 0;
  export let outW: i32 = 0;
  export let outC: i32 = 0;
  export let kh: i32 = 0;
  export let kw: i32 = 0;
  export let sh: i32 = 1;
  export let sw: i32 = 1;
  export let dh: i32 = 1;
  export let dw: i32 = 1;
  export let pt: i32 = 0;
  export let pl: i32 = 0;
  /** Channels per group on the input side (cg) and the output side (og). */
  export let cg: i32 = 0;
  export let og: i32 = 0;
  /** The current group. */
  export let grp: i32 = 0;
  /** First depth index (b,h,v) of the backward-filter chunk being computed. */
  export let k0: i32 = 0;
}

/**
 * Address of channel run start `c` at tap (i, j) for patch row (b, h, v), or 0
 * for padding. forward: x at (h·sh + i·dh − pt, v·sw + j·dw − pl); backward:
 * dy at ((h + pt − i·dh)/sh, (v + pl − j·dw)/sw) when integral.
 */
@inline function source2d(b: i32, h: i32, v: i32, i: i32, j: i32, c: i32, forward: bool, valid: bool): usize {
  if (!valid) return 0;
  let r: i32, q: i32;
  let srcH: i32, srcW: i32, pix: i32, off: i32;
  if (forward) {
    r = h * C2.sh + i * C2.dh - C2.pt;
    q = v * C2.sw + j * C2.dw - C2.pl;
    srcH = C2.inH;
    srcW = C2.inW;
    pix = C2.inC;
    off = C2.grp * C2.cg;
  } else {
    const nr = h + C2.pt - i * C2.dh;
    const nq = v + C2.pl - j * C2.dw;
    if (nr < 0 || nq < 0) return 0;
    r = nr / C2.sh;
    q = nq / C2.sw;
    if (r * C2.sh != nr || q * C2.sw != nq) return 0;
    srcH = C2.outH;
    srcW = C2.outW;
    pix = C2.outC;
    off = C2.grp * C2.og;
  }
  if (r < 0 || r >= srcH || q < 0 || q >= srcW) return 0;
  return G.a + (((<usize>b * <usize>srcH + <usize>r) * <usize>srcW + <usize>q) * <usize>pix + <usize>(off + c)) * 4;
}

/** MR patch rows i..i+rows (forward: (b,h,v) over the output; backward: over the input), depth p0..p0+kc, 4-row panel layout. */
export function packPatch2d(d: usize, i: i32, rows: i32, p0: i32, kc: i32, forward: bool): void {
  const run0 = forward ? C2.cg : C2.og;
  const rowH = forward ? C2.outH : C2.inH;
  const rowW = forward ? C2.outW : C2.inW;
  const plane = rowH * rowW;
  let b0 = 0, b1 = 0, b2 = 0, b3 = 0, h0 = 0, h1 = 0, h2 = 0, h3 = 0, v0 = 0, v1 = 0, v2 = 0, v3 = 0;
  for (let r = 0; r < MR2; r++) {
    const row = i + r;
    const b = row / plane;
    const rest = row - b * plane;
    const h = rest / rowW;
    const v = rest - h * rowW;
    if (r == 0) { b0 = b; h0 = h; v0 = v; } else if (r == 1) { b1 = b; h1 = h; v1 = v; } else if (r == 2) { b2 = b; h2 = h; v2 = v; } else { b3 = b; h3 = h; v3 = v; }
  }
  let tap = p0 / run0;
  let c = p0 - tap * run0;
  let q = 0;
  const base = G.a;
  while (q < kc) {
    const ti = tap / C2.kw;
    const tj = tap - ti * C2.kw;
    const run = min(run0 - c, kc - q);
    const s0 = source2d(b0, h0, v0, ti, tj, c, forward, rows > 0);
    const s1 = source2d(b1, h1, v1, ti, tj, c, forward, rows > 1);
    const s2 = source2d(b2, h2, v2, ti, tj, c, forward, rows > 2);
    const s3 = source2d(b3, h3, v3, ti, tj, c, forward, rows > 3);
    packFourRows(d, q, run, s0, s1, s2, s3, base);
    q += run;
    c = 0;
    tap++;
  }
}

const MR2 = 4;

/**
 * Rows (i,j,c) i..i+rows of the transposed forward patch matrix, depth (b,h,v)
 * C2.k0 + p0 … + kc. Walks the depth one output row (b,h) at a time: within a
 * row, tap (i,j) reads x at a fixed input row and a run of columns, valid for
 * one contiguous range of v, so the inner loops are strided copies with no
 * per-element address arithmetic. Four channels of one tap move as one v128;
 * otherwise (cg not a multiple of 4, or a partial panel) each row is copied
 * into its lane.
 */
export function packPatch2dT(d: usize, i: i32, rows: i32, p0: i32, kc: i32): void {
  const cg = C2.cg;
  const tap = i / cg;
  const c = i - tap * cg;
  if (rows == MR2 && c + MR2 <= cg) {
    packTapRun(d, tap, c, p0, kc, true);
    return;
  }
  for (let r = 0; r < MR2; r++) {
    const dr = d + (<usize>r << 2);
    if (r < rows) {
      const tr = (i + r) / cg;
      packTapRun(dr, tr, i + r - tr * cg, p0, kc, false);
    } else {
      for (let q = 0; q < kc; q++) store<f32>(dr + (<usize>q << 4), 0);
    }
  }
}

/**
 * Depth p0..p0+kc of tap `tap`, channel c of the current group, into a
 * 16-byte-per-step panel at d: four channels as one v128 (`wide`) or one
 * float (its lane; d already points at it).
 */
@inline function packTapRun(d: usize, tap: i32, c: i32, p0: i32, kc: i32, wide: bool): void {
  const ti = tap / C2.kw;
  const tj = tap - ti * C2.kw;
  const outW = C2.outW;
  const sw = C2.sw;
  const inW = C2.inW;
  const rowOff = ti * C2.dh - C2.pt;
  const colOff = tj * C2.dw - C2.pl;
  // v reads x inside the image for vlo <= v < vhi
  const vlo = min(colOff >= 0 ? 0 : (sw - 1 - colOff) / sw, outW);
  const lim = inW - colOff;
  const vhi = max(vlo, min(lim <= 0 ? 0 : (lim + sw - 1) / sw, outW));
  const step = <usize>(sw * C2.inC) << 2;
  const chan = <usize>(C2.grp * C2.cg + c) << 2;
  const p = C2.k0 + p0;
  const plane = C2.outH * outW;
  let b = p / plane;
  const rest = p - b * plane;
  let h = rest / outW;
  let v = rest - h * outW;
  let dq = d;
  let q = 0;
  while (q < kc) {
    const n = min(kc - q, outW - v);
    const r = h * C2.sh + rowOff;
    const end = v + n;
    if (r < 0 || r >= C2.inH) {
      for (let u = v; u < end; u++) {
        zero16(dq, wide);
        dq += 16;
      }
    } else {
      const a = min(max(v, vlo), end);
      const z = max(min(end, vhi), a);
      for (let u = v; u < a; u++) {
        zero16(dq, wide);
        dq += 16;
      }
      let s = G.a + ((<usize>b * <usize>C2.inH + <usize>r) * <usize>inW + <usize>(a * sw + colOff)) * (<usize>C2.inC << 2) + chan;
      for (let u = a; u < z; u++) {
        if (wide) v128.store(dq, v128.load(s));
        else store<f32>(dq, load<f32>(s));
        s += step;
        dq += 16;
      }
      for (let u = z; u < end; u++) {
        zero16(dq, wide);
        dq += 16;
      }
    }
    q += n;
    v = end;
    if (v == outW) {
      v = 0;
      if (++h == C2.outH) {
        h = 0;
        b++;
      }
    }
  }
}

@inline function zero16(d: usize, wide: bool): void {
  if (wide) v128.store(d, f32x4.splat(0));
  else store<f32>(d, 0);
}

/** B[(i,j,o'), c] = w[i, j, c − g·cg, g·og + o'] for the backward-input product (NR = 8 columns per panel). */
export function packConv2dWT(d: usize, col: i32, cols: i32, p0: i32, kc: i32): void {
  const og = C2.og;
  const outC = C2.outC;
  const cl = col - C2.grp * C2.cg;
  let tap = p0 / og;
  let o = p0 - tap * og;
  const step = <usize>outC << 2;
  let q = 0;
  while (q < kc) {
    const dq = d + (<usize>q << 5);
    const base = G.b + ((<usize>tap * <usize>C2.cg + <usize>cl) * <usize>outC + <usize>(C2.grp * og + o)) * 4;
    if (cols == 8 && q + 4 <= kc && o + 4 <= og) {
      // four depth rows (o'…o'+3 of one tap) × eight columns: two 4×4 transposes of w
      transpose4x4(base, base + step, base + 2 * step, base + 3 * step, dq, 32);
      const b4 = base + 4 * step;
      transpose4x4(b4, b4 + step, b4 + 2 * step, b4 + 3 * step, dq + 16, 32);
      q += 4;
      o += 4;
    } else {
      for (let u = 0; u < 8; u++) store<f32>(dq + (<usize>u << 2), u < cols ? load<f32>(base + <usize>u * step) : 0);
      q++;
      o++;
    }
    if (o == og) {
      o = 0;
      tap++;
    }
  }
}
