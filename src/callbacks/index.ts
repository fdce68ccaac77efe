/**
 * The `callbacks` namespace (TF.js spelling of the Keras callbacks):
 * `callbacks.earlyStopping({ patience: 5, restoreBestWeights: true })`.
 *
 * Callbacks see the model only through `CallbackModel` (callback.ts) and
 * receive plain-number logs; the monitoring ones share `Monitor`. Only
 * CSVLogger writes a file, through an injectable writer, so this folder stays
 * browser-safe (ModelCheckpoint saves through `model.save` or a memory sink).
 */
import { csvLogger } from './csv-logger.js';
import { earlyStopping } from './early-stopping.js';
import { history } from './history.js';
import { learningRateScheduler } from './learning-rate-scheduler.js';
import { modelCheckpoint } from './model-checkpoint.js';
import { progress } from './progress.js';
import { reduceLROnPlateau } from './reduce-lr-on-plateau.js';
import { terminateOnNaN } from './terminate-on-nan.js';

export { CallbackList, type Callback, type CallbackModel, type Logs, type TrainParams } from './callback.js';
export { Monitor, type MonitorArgs, type MonitorMode, type WarnFn } from './monitor.js';
export { EarlyStopping, earlyStopping, type EarlyStoppingArgs, type EarlyStoppingState } from './early-stopping.js';
export { ModelCheckpoint, modelCheckpoint, type ModelCheckpointArgs, type ModelCheckpointState, type CheckpointSink, type MemoryCheckpoint } from './model-checkpoint.js';
export { ReduceLROnPlateau, reduceLROnPlateau, type ReduceLROnPlateauArgs } from './reduce-lr-on-plateau.js';
export { LearningRateScheduler, learningRateScheduler, type LearningRateSchedulerArgs, type Schedule } from './learning-rate-scheduler.js';
export { TerminateOnNaN, terminateOnNaN, type TerminateOnNaNArgs } from './terminate-on-nan.js';
export { CSVLogger, csvLogger, memoryTextWriter, nodeTextWriter, type CSVLoggerArgs, type TextFileWriter } from './csv-logger.js';
export { pyFormat } from './python-format.js';

/** Factories for every callback. */
export const callbacks = {
  earlyStopping,
  modelCheckpoint,
  reduceLROnPlateau,
  learningRateScheduler,
  terminateOnNaN,
  csvLogger,
  history,
  progress,
};
