/**
 * Callback states of an exact resume: which state belongs to which callback.
 *
 * Each stateful callback (one with `getState`/`setState`) is saved under its
 * `stateKey`, a stable string ('EarlyStopping', 'ModelCheckpoint', or a user
 * callback's own), not under `constructor.name`, which a minifier renames.
 * A callback without a `stateKey` falls back to its constructor name, as
 * files saved before `stateKey` existed did, so those files still load (the
 * built-ins' keys equal their class names).
 *
 * Browser-safe; imported by models/ (fit collects and restores states).
 */
import type { Callback } from './callback.js';

/** A saved callback state, matched on resume by key and order among callbacks of that key. */
export interface CallbackStateEntry {
  /** The callback's `stateKey` (older files: its class name). */
  stateKey: string;
  state: Record<string, unknown>;
}

/** The key a callback's state is saved under: its `stateKey`, else its constructor name. */
export function callbackStateKey(c: Callback): string {
  if (typeof c.stateKey === 'string' && c.stateKey !== '') return c.stateKey;
  return (c as object).constructor?.name ?? 'Callback';
}

/** `getState()` of every stateful callback, in order, keyed by `callbackStateKey`. */
export function collectCallbackStates(callbacks: readonly Callback[]): CallbackStateEntry[] {
  const out: CallbackStateEntry[] = [];
  for (const c of callbacks) {
    if (typeof c.getState !== 'function') continue;
    out.push({ stateKey: callbackStateKey(c), state: c.getState() });
  }
  return out;
}

/**
 * Gives each stateful callback of a resumed fit the state saved for the
 * callback of the same key at the same position among callbacks of that key.
 * States with no matching callback are dropped.
 */
export function restoreCallbackStates(callbacks: readonly Callback[], saved: readonly CallbackStateEntry[]): void {
  const queues = new Map<string, CallbackStateEntry[]>();
  for (const e of saved) {
    const q = queues.get(e.stateKey) ?? [];
    q.push(e);
    queues.set(e.stateKey, q);
  }
  for (const c of callbacks) {
    if (typeof c.setState !== 'function') continue;
    const e = queues.get(callbackStateKey(c))?.shift();
    if (e) c.setState(e.state);
  }
}
