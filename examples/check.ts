/** `check(cond, message)`: the examples' assertion — a failed check exits the process with status 1. */
export function check(cond: boolean, message: string): void {
  if (!cond) {
    console.error(`FAILED: ${message}`);
    process.exit(1);
  }
  console.log(`ok: ${message}`);
}

/** Mean of x² over a float array. */
export function meanSquare(d: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i]! * d[i]!;
  return s / d.length;
}
