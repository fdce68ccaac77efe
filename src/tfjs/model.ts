/**
 * `tf.LayersModel` / `tf.Sequential` of regula/tfjs: TF.js-shaped wrappers
 * around a Regula model. They convert tensors both ways and the arguments
 * TF.js spells differently; Regula's model does the training.
 *
 * TF.js behaviour kept here, not in Regula's core:
 * - metric 'accuracy' is compiled as 'acc', so logs say `acc`/`val_acc`;
 * - optimizer names get TF.js's default rates (train.ts);
 * - evaluate returns scalar tensors (one, or a list: loss first);
 * - fit prints nothing unless `verbose` is given (TF.js prints only under
 *   tfjs-node);
 * - a new model's weights are drawn from the global generator (TF.js: fresh
 *   random weights per model; `tf.setSeed` makes them reproducible);
 * - save keeps TF.js's default of no optimizer state.
 */
import type { History } from '../callbacks/history.js';
import type { InputLayerArgs } from '../layers/input-layer.js';
import { input as coreInput } from '../layers/input-layer.js';
import type { SymbolicTensor } from '../layers/symbolic.js';
import type { CompileArgs } from '../models/compile.js';
import { Model as CoreModel, model as coreModel } from '../models/model.js';
import { Sequential as CoreSequential } from '../models/sequential.js';
import type { Optimizer } from '../optimizers/index.js';
import { nextGlobalRng } from '../random.js';
import { scalar as coreScalar } from '../tensor/create.js';
import { coreCallbacks, type CallbacksArg } from './callbacks.js';
import { fitDataset, evaluateDataset, type ModelEvaluateDatasetArgs, type ModelFitDatasetArgs } from './fit-dataset.js';
import type { Dataset } from './data.js';
import type { TensorContainer } from './engine.js';
import { artifactsInfo, saveTarget, type IOHandler, type ModelArtifacts, type SaveConfig, type SaveResult } from './io.js';
import { coreLayer, Layer, wrapLayer } from './layers.js';
import { lossFnOf, metricOf, type LossOrMetricFn } from './metrics.js';
import { Tensor, unwrap, wrap } from './tensor.js';
import { toData, type ClassWeight, type TensorOrArrayOrMap } from './model-data.js';

export type { ClassWeight, TensorOrArrayOrMap };
import { optimizerOf } from './train.js';

type Named<T> = { [outputName: string]: T };

export interface ModelCompileArgs {
  optimizer: string | Optimizer;
  loss: string | string[] | Named<string> | LossOrMetricFn | LossOrMetricFn[] | Named<LossOrMetricFn>;
  metrics?: string | LossOrMetricFn | Array<string | LossOrMetricFn> | Named<string | LossOrMetricFn>;
}


export interface ModelFitArgs {
  batchSize?: number;
  epochs?: number;
  /** Default 0 here (TF.js prints progress only under tfjs-node). */
  verbose?: 0 | 1 | 2;
  callbacks?: CallbacksArg;
  validationSplit?: number;
  validationData?: [TensorOrArrayOrMap, TensorOrArrayOrMap] | [TensorOrArrayOrMap, TensorOrArrayOrMap, Tensor];
  /** TF.js: boolean; Regula also takes 'batch'. */
  shuffle?: boolean | 'batch';
  /** One output's class weights (TF.js's per-output list or map is not provided). */
  classWeight?: ClassWeight;
  sampleWeight?: Tensor;
  initialEpoch?: number;
  /** Not provided: fit runs every batch of x each epoch. */
  stepsPerEpoch?: never;
  /** Not provided: validation runs on all of validationData. */
  validationSteps?: never;
  /** Accepted and ignored: Regula's fit yields to the event loop about every 20 ms. */
  yieldEvery?: 'auto' | 'batch' | 'epoch' | 'never' | number;
}

export interface ModelEvaluateArgs {
  batchSize?: number;
  verbose?: 0 | 1;
  sampleWeight?: Tensor;
  /** Not provided. */
  steps?: never;
}

export interface ModelPredictArgs {
  batchSize?: number;
  verbose?: boolean;
}

/** A fresh weight seed from the global generator (setSeed makes it reproducible). */
const freshSeed = (): number => nextGlobalRng().uint32();

/** A TF.js-shaped model (`tf.LayersModel`) around a Regula model. */
export class LayersModel extends Layer {
  /** Wraps a Regula model; use `tf.model`, `tf.sequential` or `tf.loadLayersModel`. */
  constructor(core: CoreModel) {
    super(core);
  }
  /** The Regula model underneath. */
  get core(): CoreModel {
    return coreLayer(this) as CoreModel;
  }
  get layers(): Layer[] {
    return this.core.layers.map(wrapLayer);
  }
  get inputs(): SymbolicTensor[] {
    return [...this.core.inputs];
  }
  get outputs(): SymbolicTensor[] {
    return [...this.core.outputs];
  }
  get inputNames(): string[] {
    return [...this.core.inputNames];
  }
  get outputNames(): string[] {
    return [...this.core.outputNames];
  }
  get optimizer(): Optimizer | undefined {
    return this.core.optimizer;
  }
  get stopTraining(): boolean {
    return this.core.stopTraining;
  }
  set stopTraining(v: boolean) {
    this.core.stopTraining = v;
  }
  getLayer(name?: string, index?: number): Layer {
    return wrapLayer(this.core.getLayer(name ?? index ?? 0));
  }
  /** Prints the summary table (TF.js's lineLength and positions are not used). */
  summary(_lineLength?: number, _positions?: number[], printFn: (message: string) => void = (m) => console.log(m)): void {
    this.core.summary(printFn);
  }

  compile(args: ModelCompileArgs): void {
    const loss = (l: string | LossOrMetricFn): string | ((yt: never, yp: never) => never) => (typeof l === 'function' ? (lossFnOf(l) as never) : l);
    const perOutput = <A, B>(v: A | A[] | Named<A>, f: (a: A) => B): B | B[] | Named<B> => {
      if (Array.isArray(v)) return v.map(f);
      if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v as Named<A>).map(([k, a]) => [k, f(a)]));
      return f(v);
    };
    const m = args.metrics;
    const metrics = m === undefined ? undefined : typeof m === 'string' || typeof m === 'function' ? [metricOf(m)] : Array.isArray(m) ? m.map(metricOf) : Object.fromEntries(Object.entries(m).map(([k, v]) => [k, metricOf(v)]));
    const { optimizer: _o, loss: _l, metrics: _m, ...rest } = args;
    this.core.compile({
      ...(rest as object),
      optimizer: optimizerOf(args.optimizer),
      loss: perOutput(args.loss as string | LossOrMetricFn, loss),
      ...(metrics !== undefined ? { metrics } : {}),
    } as CompileArgs);
  }

  async fit(x: TensorOrArrayOrMap, y: TensorOrArrayOrMap, args: ModelFitArgs = {}): Promise<History> {
    const { callbacks, validationData, sampleWeight, yieldEvery: _y, verbose, ...rest } = args;
    const vd = validationData;
    return this.core.fit(toData(x, 'fit'), toData(y, 'fit'), {
      ...rest,
      verbose: verbose ?? 0,
      callbacks: coreCallbacks(callbacks, this),
      ...(vd !== undefined ? { validationData: vd.length === 3 ? [toData(vd[0], 'fit'), toData(vd[1], 'fit'), unwrap(vd[2])] : [toData(vd[0], 'fit'), toData(vd[1], 'fit')] } : {}),
      ...(sampleWeight !== undefined ? { sampleWeight: unwrap(sampleWeight) } : {}),
    });
  }

  /** The loss (and metrics) as scalar tensors: one scalar, or a list with the loss first. */
  evaluate(x: TensorOrArrayOrMap, y: TensorOrArrayOrMap, args: ModelEvaluateArgs = {}): Tensor | Tensor[] {
    const { sampleWeight, ...rest } = args;
    const logs = this.core.evaluate(toData(x, 'evaluate'), toData(y, 'evaluate'), { ...rest, ...(sampleWeight ? { sampleWeight: unwrap(sampleWeight) } : {}) } as never);
    const values = Object.values(logs).map((v) => wrap(coreScalar(v)));
    return values.length === 1 ? values[0]! : values;
  }

  predict(x: TensorOrArrayOrMap, args: ModelPredictArgs = {}): Tensor | Tensor[] {
    const out = this.core.predict(toData(x, 'predict'), args.batchSize !== undefined ? { batchSize: args.batchSize } : {});
    return Array.isArray(out) ? out.map((t) => wrap(t)) : wrap(out);
  }

  predictOnBatch(x: TensorOrArrayOrMap): Tensor | Tensor[] {
    return this.predict(x, { batchSize: 1 << 30 });
  }

  /** One step on (x, y): the loss, or [loss, ...metrics]. */
  async trainOnBatch(x: TensorOrArrayOrMap, y: TensorOrArrayOrMap): Promise<number | number[]> {
    const logs = Object.values(this.core.trainOnBatch(toData(x, 'trainOnBatch'), toData(y, 'trainOnBatch')));
    return logs.length === 1 ? logs[0]! : logs;
  }

  /** Trains on a dataset of {xs, ys} (or [xs, ys]) batches, pulling one batch at a time. */
  fitDataset<T extends TensorContainer>(dataset: Dataset<T>, args: ModelFitDatasetArgs<T>): Promise<History> {
    return fitDataset(this, dataset, args);
  }

  evaluateDataset<T extends TensorContainer>(dataset: Dataset<T>, args: ModelEvaluateDatasetArgs = {}): Promise<Tensor | Tensor[]> {
    return evaluateDataset(this, dataset, args);
  }

  /** Saves to a directory (path or file:// URL, Node) or through an IOHandler. */
  async save(handlerOrURL: IOHandler | string, config: SaveConfig = {}): Promise<SaveResult> {
    const includeOptimizer = config.includeOptimizer ?? false;
    const target = saveTarget(handlerOrURL);
    if (typeof target === 'string') {
      await this.core.save(target, { includeOptimizer });
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }
    const handler = handlerOrURL as IOHandler;
    if (typeof handler.save !== 'function') throw new Error('save: the IOHandler has no save()');
    let result: SaveResult | undefined;
    let saved: ModelArtifacts | undefined;
    await this.core.save({ save: async (a: ModelArtifacts) => ((saved = a), (result = await handler.save!(a))) } as never, { includeOptimizer });
    return result ?? { modelArtifactsInfo: artifactsInfo(saved ?? {}) };
  }
}

/** A TF.js-shaped Sequential (`tf.sequential`). */
export class Sequential extends LayersModel {
  constructor(core: CoreSequential) {
    super(core);
  }
  override get core(): CoreSequential {
    return coreLayer(this) as CoreSequential;
  }
  /** Appends a layer (or a model, nested). */
  add(layer: Layer): void {
    this.core.add(coreLayer(layer));
  }
}

/** TF.js's `SequentialArgs`. */
export interface SequentialArgs {
  layers?: Layer[];
  name?: string;
}

/** TF.js's `ContainerArgs` for `tf.model`. */
export interface ContainerArgs {
  inputs: SymbolicTensor | SymbolicTensor[];
  outputs: SymbolicTensor | SymbolicTensor[];
  name?: string;
}

/** A linear stack of layers. */
export function sequential(config: SequentialArgs = {}): Sequential {
  const core = new CoreSequential((config.layers ?? []).map(coreLayer), { ...(config.name !== undefined ? { name: config.name } : {}), seed: freshSeed() });
  return new Sequential(core);
}

/** A functional model from `tf.input()`s to outputs of layers applied to them. */
export function model(args: ContainerArgs): LayersModel {
  return new LayersModel(coreModel({ ...args, seed: freshSeed() }));
}

/** A symbolic input (`tf.input({ shape: [4] })`). */
export function input(config: InputLayerArgs): SymbolicTensor {
  return coreInput(config);
}

/** The regula/tfjs wrapper of a Regula model (a Sequential stays a Sequential). */
export function wrapModel(core: CoreModel): LayersModel {
  return core instanceof CoreSequential ? new Sequential(core) : new LayersModel(core);
}
