/**
 * The resumable checkpoint of `regula train --checkpoint <dir>` (Keras's
 * BackupAndRestore, in the TF.js Layers format): after every epoch the
 * latest model with its training state, `preprocessing.json` and
 * `train-run.json` are saved as one generation (a kill at any moment leaves
 * the previous checkpoint loadable). The same files make every `--out`
 * directory resumable, and an interrupted run saves one more, mid-epoch.
 */
import { saveModel } from '../models/save-load.js';
import type { Callback, Logs } from '../callbacks/callback.js';
import type { Model } from '../models/model.js';
import type { Preprocessing } from '../data/preprocessing.js';
import { PREPROCESSING_JSON } from './saved-model.js';
import { mergeHistory, TRAIN_RUN_JSON, type FileFingerprint, type TrainRecord, type TrainRunSettings } from './train-record.js';

/** What a run saves beside its model, and its history so far. */
export class RunFiles {
  history: Record<string, number[]>;

  constructor(
    readonly settings: TrainRunSettings,
    readonly files: readonly FileFingerprint[],
    readonly pre: Preprocessing,
    priorHistory: Record<string, number[]> = {},
  ) {
    this.history = mergeHistory(priorHistory, {});
  }

  /** Records one finished epoch's logs. */
  addEpoch(logs: Logs): void {
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }

  /** The `train-run.json` record. */
  record(status: TrainRecord['status']): TrainRecord {
    return { format: 'regula-train-run', version: 1, status, settings: this.settings, files: [...this.files], history: this.history };
  }

  /** The extra files saved in the model's generation. */
  extraFiles(status: TrainRecord['status']): { name: string; data: string }[] {
    return [
      { name: PREPROCESSING_JSON, data: `${JSON.stringify(this.pre.toJSON(), null, 2)}\n` },
      { name: TRAIN_RUN_JSON, data: `${JSON.stringify(this.record(status), null, 2)}\n` },
    ];
  }

  /** Saves `model` (with its training state) and the run's files into `dir` as one generation. */
  async save(model: Model, dir: string, status: TrainRecord['status']): Promise<void> {
    await saveModel(model, dir, { includeOptimizer: true, extraFiles: this.extraFiles(status) });
  }
}

/** Records each epoch's logs in the run's history and, given a directory, saves the latest state there after every epoch. */
export class ResumableCheckpoint implements Callback {
  private model: Model | undefined;

  constructor(
    private readonly dir: string | undefined,
    private readonly run: RunFiles,
  ) {}

  setModel(model: unknown): void {
    this.model = model as Model;
  }

  async onEpochEnd(_epoch: number, logs: Logs): Promise<void> {
    this.run.addEpoch(logs);
    if (this.model && this.dir !== undefined) await this.run.save(this.model, this.dir, 'running');
  }
}

