/**
 * Regula's public API. Import what you need by name:
 * `import { Sequential, layers, regularizers, tensor } from 'regula'`.
 */
export { Tensor, type NestedArray } from './tensor/tensor.js';
export { Variable, type WeightRegularizer, type WeightConstraint } from './tensor/variable.js';
export type { DType } from './tensor/dtype.js';
export { tensor, scalar, fill, zeros, ones, zerosLike, onesLike, randomNormal, randomUniform, truncatedNormal } from './tensor/create.js';
export * as ops from './ops/index.js';
export * from './ops/index.js';
export { valueAndGrad, grad } from './autograd/grad.js';
export { noGrad } from './autograd/tape.js';
export { gradCheck } from './autograd/gradcheck.js';
export { Rng, setSeed } from './random.js';
export { getBackend, setBackend } from './backend/select.js';
export type { Backend, BackendName } from './backend/backend.js';
export * from './layers/index.js';
// Same-named exports: the dense/conv1d layer factories win at the top level (the ops stay
// reachable as `ops.dense`, `ops.conv1d`); the tensor op `reshape` wins over the layer
// factory (use `layers.reshape`), and so do the ops `add`, `maximum` and `minimum` over the
// merge-layer factories (use `layers.add`, `layers.maximum`, `layers.minimum`).
export { dense, conv1d } from './layers/index.js';
// Likewise the Conv2D family's layer factories (ops: `ops.conv2d`, `ops.depthwiseConv2d`, `ops.conv2dTranspose`).
export { conv2d, depthwiseConv2d, conv2dTranspose } from './layers/index.js';
export { reshape, add, maximum, minimum } from './ops/index.js';
export { Layer, type LayerArgs, type CallContext, type Shape, type Initializer, type Regularizer, type Constraint, type SerializedObject } from './layers/layer.js';
export { initializers, getInitializer, computeFans, Zeros, Ones, Constant, RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling, GlorotUniform, GlorotNormal, HeUniform, HeNormal, LecunUniform, LecunNormal, Orthogonal, type InitializerIdentifier, type VarianceScalingArgs } from './initializers.js';
export { getActivation, ACTIVATIONS, type Activation as ActivationFunction, type ActivationName, type ActivationIdentifier } from './activations.js';
export { regularizers, l1, l2, l1l2, l1_l2, activityL1, activityL2, activityL1L2, orthogonal, getRegularizer, regularizerFromConfig, L1L2, OrthogonalRegularizer, FunctionRegularizer, type RegularizerIdentifier, type RegularizerName, type L1Args, type L2Args, type L1L2Args, type OrthogonalArgs } from './regularizers.js';
export { registerCustomObject, getCustomObject, type TensorFn } from './custom-objects.js';
export { constraints, maxNorm, nonNeg, unitNorm, minMaxNorm, maxnorm, nonneg, unitnorm, getConstraint, constraintFromConfig, MaxNorm, NonNeg, UnitNorm, MinMaxNorm, FunctionConstraint, CONSTRAINT_EPSILON, type ConstraintIdentifier, type ConstraintName, type ConstraintAxis, type MaxNormArgs, type UnitNormArgs, type MinMaxNormArgs } from './constraints.js';
export { Sequential, sequential, type SequentialArgs, type SequentialConfig } from './models/sequential.js';
export { Model, model, type ModelArgs } from './models/model.js';
export { SymbolicTensor, Node } from './layers/symbolic.js';
export type { ModelData } from './models/evaluate.js';
export { Compiled, Head, type CompileArgs, type PerOutput } from './models/compile.js';
export type { FitArgs } from './models/fit.js';
export type { EvaluateArgs } from './models/evaluate.js';
export { losses, getLoss, lossFromConfig, Loss, MeanSquaredError, MeanAbsoluteError, Huber, BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy, LossFunctionWrapper, meanSquaredError, meanAbsoluteError, huber, binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy, type LossArgs, type HuberArgs, type CrossentropyArgs, type LossFunction, type LossIdentifier, type Reduction } from './losses.js';
export { metrics, getMetric, Metric, Mean, MeanMetricWrapper, AUC, auc, binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy, type MetricIdentifier, type MetricDirection, type AucArgs } from './metrics.js';
export { optimizers, getOptimizer, Optimizer, SGD, Adam, AdamW, RMSprop, Adagrad, sgd, adam, adamw, rmsprop, adagrad, type OptimizerArgs, type OptimizerState, type SlotState, type SGDArgs, type AdamArgs, type RMSpropArgs, type AdagradArgs, type OptimizerIdentifier } from './optimizers/index.js';
export { History, history, type BestEpoch } from './callbacks/history.js';
export { ProgressLogger, progress, linePrinter, formatEpochLine, type ProgressPrinter, type ProgressArgs } from './callbacks/progress.js';
export { CallbackList, type Callback, type CallbackModel, type Logs, type TrainParams } from './callbacks/callback.js';
export { callbacks, Monitor, EarlyStopping, earlyStopping, ModelCheckpoint, modelCheckpoint, ReduceLROnPlateau, reduceLROnPlateau, LearningRateScheduler, learningRateScheduler, TerminateOnNaN, terminateOnNaN, CSVLogger, csvLogger, memoryTextWriter, pyFormat, type MonitorMode, type EarlyStoppingArgs, type ModelCheckpointArgs, type CheckpointSink, type MemoryCheckpoint, type ReduceLROnPlateauArgs, type LearningRateSchedulerArgs, type Schedule, type TerminateOnNaNArgs, type CSVLoggerArgs, type TextFileWriter } from './callbacks/index.js';
export { saveModel, saveKeras, loadModel, saveWeights, loadWeights, toArtifacts, fromArtifacts, type SaveOptions, type LoadOptions } from './models/save-load.js';
export type { ModelArtifacts, WeightData, TrainingStateArtifacts } from './io/artifacts.js';
export { ModelFormatError, type ModelJson, type WeightSpec, type WeightsManifest } from './io/keras-format.js';
export type { ResumeInfo } from './models/training-state.js';
export { regularizationReport, layerRegularization, unitNormsOf, describeRegularizer, describeConstraint, type LayerRegularization, type UnitNorms } from './regularization-report.js';
export { fitTokenizer, padSequences, splitWords, Tokenizer, TOKENIZER_JSON, PAD_ID, OOV_ID, OOV_TOKEN, type TokenizerOptions, type TokenizerJSON, type PadOptions } from './data/tokenizer.js';
import { ready } from './backend/wasm/ready.js';
export { ready, setThreads, getThreads, wasmLoadError, wasmModuleInfo, type ReadyOptions } from './backend/wasm/ready.js';

// The wasm backend is the default wherever WebAssembly (with shared memory) exists:
// importing Regula instantiates it once. Where it cannot run, the reference backend
// stays active and `wasmLoadError()` says why. `await ready({ threads })` changes
// the thread count; `setBackend('reference')` selects the oracle backend.
await ready();
