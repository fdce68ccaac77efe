/**
 * Progress output for `fit({verbose})`: verbose 1 draws a per-epoch progress
 * bar when stdout is a terminal (cli-progress, loaded lazily so this file runs
 * in browsers) and otherwise prints one line per epoch; verbose 2 prints one
 * line per epoch; verbose 0 adds no logger at all.
 *
 *   Epoch 3/10 - 0.12s - loss: 0.4321 - accuracy: 0.9000 - val_loss: 0.5012
 *
 * Output goes through an injectable `ProgressPrinter` (or a `print` function
 * for the plain lines), so tests, browsers and CLIs choose where it lands.
 */
import type * as CliProgress from 'cli-progress';
import type { Callback, Logs, TrainParams } from './callback.js';

/** Where progress goes. */
export interface ProgressPrinter {
  epochBegin(epoch: number, epochs: number, steps: number): void;
  batchEnd(step: number, logs: Logs): void;
  epochEnd(epoch: number, epochs: number, seconds: number, logs: Logs): void;
  trainEnd(): void;
}

/** Keras progbar number format: 4 decimals, or scientific for tiny values. */
export function formatLogValue(v: number): string {
  if (Math.abs(v) > 1e-3 || !Number.isFinite(v)) return v.toFixed(4);
  return v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2'); // Python's two-digit exponent
}

/** 'loss: 0.4321 - val_loss: 0.5012' */
export function formatLogs(logs: Logs): string {
  return Object.entries(logs)
    .map(([k, v]) => `${k}: ${formatLogValue(v)}`)
    .join(' - ');
}

/** 'Epoch 3/10 - 0.12s - loss: 0.4321 - …' (epoch is 0-based, printed 1-based). */
export function formatEpochLine(epoch: number, epochs: number, seconds: number, logs: Logs): string {
  const rest = formatLogs(logs);
  return `Epoch ${epoch + 1}/${epochs} - ${seconds.toFixed(2)}s${rest ? ` - ${rest}` : ''}`;
}

const defaultPrint = (line: string): void => console.log(line);

/** One plain line per epoch through `print` (default console.log). */
export function linePrinter(print: (line: string) => void = defaultPrint): ProgressPrinter {
  return {
    epochBegin() {},
    batchEnd() {},
    epochEnd(epoch, epochs, seconds, logs) {
      print(formatEpochLine(epoch, epochs, seconds, logs));
    },
    trainEnd() {},
  };
}

interface TtyStream {
  isTTY?: boolean;
  write(s: string): boolean;
}

function ttyStdout(): TtyStream | undefined {
  const out = (globalThis as { process?: { stdout?: TtyStream } }).process?.stdout;
  return out?.isTTY ? out : undefined;
}

/** A cli-progress bar per epoch on a terminal stdout; undefined when not a TTY or not in Node. */
export async function ttyBarPrinter(): Promise<ProgressPrinter | undefined> {
  const stream = ttyStdout();
  if (!stream) return undefined;
  let mod: typeof CliProgress;
  try {
    const name = 'cli-progress';
    const imported = (await import(name)) as typeof CliProgress & { default?: typeof CliProgress };
    mod = imported.default ?? imported;
  } catch {
    return undefined;
  }
  let bar: CliProgress.SingleBar | undefined;
  return {
    epochBegin(epoch, epochs, steps) {
      bar = new mod.SingleBar(
        {
          format: `Epoch ${epoch + 1}/${epochs} [{bar}] {value}/{total} {metrics}`,
          stream: stream as unknown as NodeJS.WritableStream,
          clearOnComplete: true,
          hideCursor: true,
          barsize: 30,
        },
        mod.Presets.legacy,
      );
      bar.start(steps, 0, { metrics: '' });
    },
    batchEnd(step, logs) {
      bar?.update(step + 1, { metrics: `- ${formatLogs(logs)}` });
    },
    epochEnd(epoch, epochs, seconds, logs) {
      bar?.stop();
      bar = undefined;
      stream.write(`${formatEpochLine(epoch, epochs, seconds, logs)}\n`);
    },
    trainEnd() {
      bar?.stop();
    },
  };
}

export interface ProgressArgs {
  /** 1: bar on a TTY, else epoch lines; 2: epoch lines. Default 1. */
  verbose?: 1 | 2;
  /** Custom output (takes precedence over `print`). */
  printer?: ProgressPrinter;
  /** Where plain epoch lines go (default console.log). */
  print?: (line: string) => void;
}

const now = (): number => globalThis.performance?.now() ?? Date.now();

/** The progress callback fit adds for verbose 1 and 2 (always last in the list). */
export class ProgressLogger implements Callback {
  readonly verbose: 1 | 2;
  private printer: ProgressPrinter | undefined;
  private readonly print: ((line: string) => void) | undefined;
  private params: TrainParams | undefined;
  private started = 0;

  constructor(args: ProgressArgs = {}) {
    this.verbose = args.verbose ?? 1;
    this.printer = args.printer;
    this.print = args.print;
  }

  setModel(_model: unknown, params: TrainParams): void {
    this.params = params;
  }

  async onTrainBegin(): Promise<void> {
    if (this.printer) return;
    if (this.verbose === 1 && !this.print) this.printer = await ttyBarPrinter();
    this.printer ??= linePrinter(this.print);
  }

  onEpochBegin(epoch: number): void {
    this.started = now();
    this.printer?.epochBegin(epoch, this.params?.epochs ?? epoch + 1, this.params?.steps ?? 0);
  }

  onBatchEnd(step: number, logs: Logs): void {
    this.printer?.batchEnd(step, logs);
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    this.printer?.epochEnd(epoch, this.params?.epochs ?? epoch + 1, (now() - this.started) / 1000, logs);
  }

  onTrainEnd(): void {
    this.printer?.trainEnd();
  }
}

/** `callbacks.progress({ verbose: 2, print: (l) => myLog.push(l) })`. */
export function progress(args?: ProgressArgs): ProgressLogger {
  return new ProgressLogger(args);
}
