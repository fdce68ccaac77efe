/**
 * Phase markers of the training loop for a profiler (`npm run bench --
 * --profile`): the steps and `fit` call `enterPhase`/`leavePhase` around each
 * part of a step. With no profiler installed (the default) each marker is one
 * null check, so the loop pays nothing measurable.
 *
 * Phases nest: a profiler attributes time to the innermost open phase
 * ('backward' is what `valueAndGrad` spends outside the forward closure).
 */

/** The parts of a training step and of an epoch that a profile reports. */
export type StepPhase =
  | 'gather' // the batch's rows taken from the dataset
  | 'forward' // model.forward (layers, fused GEMM epilogues, dropout)
  | 'loss' // the loss function on the predictions
  | 'penalties' // weight and activity penalties (regularizers)
  | 'backward' // the tape walked backwards (gradients)
  | 'optimizer' // the optimizer's update (clip, decay, update kernels)
  | 'constraints' // each variable's constraint after the update
  | 'metrics' // loss read-back, metric updates, running logs
  | 'shuffle' // the epoch's batch plan
  | 'callbacks' // onBatchBegin/onBatchEnd (progress, user hooks)
  | 'yield' // the loop's pauses for the event loop
  | 'validation'; // the end-of-epoch evaluation

/** What the loop tells a profiler. */
export interface StepProfiler {
  enter(phase: StepPhase): void;
  leave(): void;
}

/** The installed profiler, or null (the default: markers cost one check). */
export let stepProfiler: StepProfiler | null = null;

/** Installs (or, with null, removes) the profiler the training loop reports to. */
export function setStepProfiler(p: StepProfiler | null): void {
  stepProfiler = p;
}
