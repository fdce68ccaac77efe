/**
 * Calls into the kernels module with the fixed arguments of a split or range
 * kernel listed, not spread: V8 runs a spread call into wasm through a generic
 * path (≈ 80 ns against ≈ 10–25 ns for listed arguments, Node 20 and 22), and
 * a small training step makes dozens of these calls. Lengths outside the
 * listed ones fall back to the spread.
 */

/** A kernel export taking numbers. */
export type Kernel = (...args: number[]) => void;

/** fn(...f, r0, r1, c0, c1, scratch): a split kernel's share. */
export function invokeShare(fn: Kernel, f: readonly number[], r0: number, r1: number, c0: number, c1: number, scratch: number): void {
  switch (f.length) {
    case 3:
      fn(f[0]!, f[1]!, f[2]!, r0, r1, c0, c1, scratch);
      return;
    case 4:
      fn(f[0]!, f[1]!, f[2]!, f[3]!, r0, r1, c0, c1, scratch);
      return;
    case 5:
      fn(f[0]!, f[1]!, f[2]!, f[3]!, f[4]!, r0, r1, c0, c1, scratch);
      return;
    case 6:
      fn(f[0]!, f[1]!, f[2]!, f[3]!, f[4]!, f[5]!, r0, r1, c0, c1, scratch);
      return;
    case 7:
      fn(f[0]!, f[1]!, f[2]!, f[3]!, f[4]!, f[5]!, f[6]!, r0, r1, c0, c1, scratch);
      return;
    case 8:
      fn(f[0]!, f[1]!, f[2]!, f[3]!, f[4]!, f[5]!, f[6]!, f[7]!, r0, r1, c0, c1, scratch);
      return;
    case 9:
      fn(f[0]!, f[1]!, f[2]!, f[3]!, f[4]!, f[5]!, f[6]!, f[7]!, f[8]!, r0, r1, c0, c1, scratch);
      return;
    case 10:
      fn(f[0]!, f[1]!, f[2]!, f[3]!, f[4]!, f[5]!, f[6]!, f[7]!, f[8]!, f[9]!, r0, r1, c0, c1, scratch);
      return;
    case 11:
      fn(f[0]!, f[1]!, f[2]!, f[3]!, f[4]!, f[5]!, f[6]!, f[7]!, f[8]!, f[9]!, f[10]!, r0, r1, c0, c1, scratch);
      return;
    case 12:
      fn(f[0]!, f[1]!, f[2]!, f[3]!, f[4]!, f[5]!, f[6]!, f[7]!, f[8]!, f[9]!, f[10]!, f[11]!, r0, r1, c0, c1, scratch);
      return;
    default:
      // spread-ok: a kernel's fixed arguments (its arity, at most about 20)
      fn(...f, r0, r1, c0, c1, scratch);
  }
}

/** fn(...f, start, end): a range kernel's elements [start, end). */
export function invokeRange(fn: Kernel, f: readonly number[], start: number, end: number): void {
  switch (f.length) {
    case 3:
      fn(f[0]!, f[1]!, f[2]!, start, end);
      return;
    case 4:
      fn(f[0]!, f[1]!, f[2]!, f[3]!, start, end);
      return;
    case 5:
      fn(f[0]!, f[1]!, f[2]!, f[3]!, f[4]!, start, end);
      return;
    case 6:
      fn(f[0]!, f[1]!, f[2]!, f[3]!, f[4]!, f[5]!, start, end);
      return;
    case 7:
      fn(f[0]!, f[1]!, f[2]!, f[3]!, f[4]!, f[5]!, f[6]!, start, end);
      return;
    case 8:
      fn(f[0]!, f[1]!, f[2]!, f[3]!, f[4]!, f[5]!, f[6]!, f[7]!, start, end);
      return;
    case 9:
      fn(f[0]!, f[1]!, f[2]!, f[3]!, f[4]!, f[5]!, f[6]!, f[7]!, f[8]!, start, end);
      return;
    case 10:
      fn(f[0]!, f[1]!, f[2]!, f[3]!, f[4]!, f[5]!, f[6]!, f[7]!, f[8]!, f[9]!, start, end);
      return;
    case 11:
      fn(f[0]!, f[1]!, f[2]!, f[3]!, f[4]!, f[5]!, f[6]!, f[7]!, f[8]!, f[9]!, f[10]!, start, end);
      return;
    case 12:
      fn(f[0]!, f[1]!, f[2]!, f[3]!, f[4]!, f[5]!, f[6]!, f[7]!, f[8]!, f[9]!, f[10]!, f[11]!, start, end);
      return;
    default:
      // spread-ok: a kernel's fixed arguments (its arity, at most about 20)
      fn(...f, start, end);
  }
}
