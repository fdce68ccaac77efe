/**
 * One progress bar per training run (`cli-progress`) on stderr when it is a
 * terminal; plain lines (one per run) when it is not, so logs and CI output
 * stay readable.
 */
import cliProgress from 'cli-progress';
import type { Callback, Logs, TrainParams } from '../callbacks/callback.js';

/** Options of `progressCallback`. */
export interface ProgressOptions {
  /** Where to draw; stderr by default. */
  readonly stream?: NodeJS.WriteStream;
  /** Print nothing at all. */
  readonly quiet?: boolean;
}

const fmt = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(4));

/**
 * A callback drawing the epochs of one run as a bar labelled `label`
 * (e.g. `[3/8] dropout`), showing the latest loss and val_loss.
 */
export function progressCallback(label: string, options: ProgressOptions = {}): Callback {
  const stream = options.stream ?? process.stderr;
  const tty = stream.isTTY === true && !options.quiet;
  let total = 0;
  let first = 0;
  let done = 0;
  let last: Logs = {};
  let started = 0;
  let bar: cliProgress.SingleBar | null = null;
  return {
    setModel(_model: unknown, params: TrainParams): void {
      // A resumed run counts from the epoch it resumes at: 44/300, not 1/257.
      total = params.epochs;
      first = params.initialEpoch;
    },
    onTrainBegin(): void {
      started = Date.now();
      done = first;
      if (!tty) return;
      bar = new cliProgress.SingleBar(
        {
          stream,
          format: `${label.padEnd(28)} {bar} {value}/{total} epochs | loss {loss} | val_loss {val_loss}`,
          barsize: 24,
          hideCursor: true,
          clearOnComplete: false,
          etaBuffer: 20,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, done, { loss: '-', val_loss: '-' });
    },
    onEpochEnd(_epoch: number, logs: Logs): void {
      done++;
      last = logs;
      bar?.update(done, { loss: fmt(logs['loss']), val_loss: fmt(logs['val_loss']) });
    },
    onTrainEnd(): void {
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      if (bar) {
        bar.stop();
        bar = null;
      } else if (!options.quiet) {
        stream.write(`${label}: ${done}/${total} epochs, loss ${fmt(last['loss'])}, val_loss ${fmt(last['val_loss'])}, ${secs} s\n`);
      }
    },
  };
}
