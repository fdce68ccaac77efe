/**
 * Parsers for flag values, used as commander argument parsers: each checks
 * the rule and throws `InvalidArgumentError` naming the rule and the value,
 * which the CLI prints as one line and exits with code 2.
 */
import { InvalidArgumentError } from 'commander';

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function toNumber(text: string): number {
  const s = text.trim();
  if (!NUMBER.test(s)) throw new InvalidArgumentError(`expected a number, got ${JSON.stringify(text)}.`);
  const v = Number(s);
  if (!Number.isFinite(v)) throw new InvalidArgumentError(`expected a finite number, got ${JSON.stringify(text)}.`);
  return v;
}

/** Bounds of a numeric flag. */
export interface Range {
  readonly min?: number;
  readonly max?: number;
  /** Exclude `min` itself (e.g. a learning rate must be > 0). */
  readonly minExclusive?: boolean;
  /** Exclude `max` itself (e.g. a fraction must be < 1). */
  readonly maxExclusive?: boolean;
  readonly integer?: boolean;
}

function describe(r: Range): string {
  const parts: string[] = [];
  if (r.integer) parts.push('an integer');
  else parts.push('a number');
  if (r.min !== undefined) parts.push(`${r.minExclusive ? '>' : '≥'} ${r.min}`);
  if (r.max !== undefined) parts.push(`${r.min !== undefined ? 'and ' : ''}${r.maxExclusive ? '<' : '≤'} ${r.max}`);
  return parts.join(' ');
}

function check(v: number, text: string, r: Range): number {
  const bad =
    (r.integer && !Number.isInteger(v)) ||
    (r.min !== undefined && (r.minExclusive ? v <= r.min : v < r.min)) ||
    (r.max !== undefined && (r.maxExclusive ? v >= r.max : v > r.max));
  if (bad) throw new InvalidArgumentError(`must be ${describe(r)}, got ${JSON.stringify(text)}.`);
  return v;
}

/** A parser for one number in `range`. */
export function num(range: Range = {}): (text: string) => number {
  return (text) => check(toNumber(text), text, range);
}

/** A parser for an integer in `range`. */
export function int(range: Range = {}): (text: string) => number {
  return num({ ...range, integer: true });
}

/** A parser for a comma-separated, non-empty list of numbers, each in `range`. */
export function numList(range: Range = {}): (text: string) => number[] {
  return (text) => {
    const items = text.split(',').map((s) => s.trim());
    if (items.length === 0 || items.some((s) => s === '')) {
      throw new InvalidArgumentError(`expected a comma-separated list of numbers, got ${JSON.stringify(text)}.`);
    }
    return items.map((s) => check(toNumber(s), s, range));
  };
}

/** A parser for a comma-separated list of integers in `range`. */
export function intList(range: Range = {}): (text: string) => number[] {
  return numList({ ...range, integer: true });
}
