/**
 * The layer contract check (Keras `run_layer_test`): builds a layer from args,
 * runs it on an input, checks output shape, computeOutputShape and weight
 * counts, round-trips getConfig → JSON → layerFromConfig (same config, same
 * output after setWeights), and runs one gradient through the layer in
 * training mode asserting every gradient is finite and shaped like its
 * variable. Stochastic layers (dropout, noise) go through the same checks:
 * at inference they are deterministic, so the round trip compares exactly;
 * `identityAtInference` and `checkTraining` add their own checks.
 * `gradCheckLayer` adds a float64 finite-difference check of the
 * input and weight gradients.
 */
import assert from 'node:assert/strict';
import { valueAndGrad } from '../../src/autograd/grad.js';
import { gradCheck } from '../../src/autograd/gradcheck.js';
import { Layer, type CallContext } from '../../src/layers/layer.js';
import { layerFromConfig } from '../../src/layers/registry.js';
import { mul } from '../../src/ops/arithmetic.js';
import { sum } from '../../src/ops/reduce.js';
import { square } from '../../src/ops/unary.js';
import { Rng } from '../../src/random.js';
import { randomNormal, tensor } from '../../src/tensor/create.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { assertClose } from './assert-close.js';

/** A layer class (called with `new`) or a factory (called plainly). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LayerMaker<A> = (abstract new (args: A) => Layer) | ((args: A) => Layer);

export interface LayerTestOptions {
  /** Full input shape, batch included. */
  inputShape: readonly number[];
  /** Full expected output shape. */
  outputShape: readonly number[];
  /** Expected number of trainable weight variables. */
  trainableWeights: number;
  /** Expected number of non-trainable weight variables (default 0). */
  nonTrainableWeights?: number;
  /** Input to use instead of N(0,1) values (e.g. integer ids). */
  input?: Tensor;
  /** Also differentiate w.r.t. the input (default: true for float inputs). */
  inputGrad?: boolean;
  seed?: number;
  /** Assert the inference output equals the input exactly (dropout, noise, ActivityRegularization). */
  identityAtInference?: boolean;
  /** Receives the input and a training-mode output (for stochastic layers: mask scaling, noise statistics). */
  checkTraining?: (x: Tensor, yTrain: Tensor, layer: Layer) => void;
}

export interface LayerTestResult {
  layer: Layer;
  input: Tensor;
  output: Tensor;
}

function make<A>(maker: LayerMaker<A>, args: A): Layer {
  const isClass = typeof maker === 'function' && maker.prototype instanceof Layer;
  return isClass ? new (maker as new (a: A) => Layer)(args) : (maker as (a: A) => Layer)(args);
}

/** Runs the whole contract; returns the layer, the input and the inference output. */
export function layerTest<A>(maker: LayerMaker<A>, args: A, opts: LayerTestOptions): LayerTestResult {
  const seed = opts.seed ?? 1;
  const layer = make(maker, args);
  const x = opts.input ?? randomNormal(opts.inputShape, { seed: seed + 100 });
  assert.deepEqual([...x.shape], [...opts.inputShape], 'input shape');
  const infer: CallContext = { training: false };
  const y = layer.apply(x, infer, new Rng(seed));
  const label = `${layer.className}(${JSON.stringify(args)})`;
  assert.deepEqual([...y.shape], [...opts.outputShape], `${label}: output shape`);
  assert.ok(Array.from(y.data).every(Number.isFinite), `${label}: output has non-finite values`);
  if (opts.identityAtInference) assertClose(y.data, x.data, { rtol: 0, atol: 0, label: `${label}: identity at inference` });
  assert.deepEqual(
    layer.computeOutputShape([null, ...opts.inputShape.slice(1)]),
    [null, ...opts.outputShape.slice(1)],
    `${label}: computeOutputShape`,
  );
  assert.equal(layer.trainableWeights.length, opts.trainableWeights, `${label}: trainable weight count`);
  assert.equal(layer.nonTrainableWeights.length, opts.nonTrainableWeights ?? 0, `${label}: non-trainable weight count`);

  // getConfig → JSON → fromConfig gives the same config and, with the same weights, the same output.
  const cfg = layer.getConfig();
  const json = JSON.parse(JSON.stringify({ class_name: layer.className, config: cfg })) as { class_name: string; config: Record<string, unknown> };
  const clone = layerFromConfig(json);
  assert.equal(clone.className, layer.className);
  assert.deepEqual(clone.getConfig(), json.config, `${label}: config round trip`);
  clone.apply(x, infer, new Rng(seed + 7));
  clone.setWeights(layer.getWeights());
  assertClose(clone.apply(x, infer).data, y.data, { rtol: 0, atol: 0, label: `${label}: clone output` });

  if (opts.checkTraining) {
    const yTrain = layer.apply(x, { training: true, rng: new Rng(seed + 11) });
    assert.deepEqual([...yTrain.shape], [...opts.outputShape], `${label}: training output shape`);
    opts.checkTraining(x, yTrain, layer);
  }

  // One training-mode gradient: finite and shaped like each variable.
  const withInput = opts.inputGrad ?? x.dtype === 'float32';
  const wrt: Tensor[] = [...layer.trainableWeights, ...(withInput ? [x] : [])];
  const { value, grads } = valueAndGrad(() => sum(square(layer.apply(x, { training: true, rng: new Rng(seed + 3) }))), wrt);
  assert.ok(Number.isFinite(value.item()), `${label}: training loss is finite`);
  grads.forEach((g, i) => {
    assert.deepEqual([...g.shape], [...wrt[i]!.shape], `${label}: gradient ${i} shape`);
    assert.ok(Array.from(g.data).every(Number.isFinite), `${label}: gradient ${i} has non-finite values`);
  });
  for (let i = 0; i < layer.trainableWeights.length; i++) {
    assert.ok(Array.from(grads[i]!.data).some((v) => v !== 0), `${label}: gradient of ${layer.trainableWeights[i]!.name} is all zero`);
  }
  return { layer, input: x, output: y };
}

/**
 * Float64 finite-difference check of d⟨R, layer(x)⟩ / d(x, weights) with a
 * fixed random projection R (so normalizing layers, whose plain sum is
 * constant, still get a real test). `fields` names the layer properties that
 * hold its weights ('kernel', 'bias' …); they are swapped for the checked
 * tensors during each call and restored after.
 */
export function gradCheckLayer(
  layer: Layer,
  x: Tensor,
  fields: readonly string[],
  opts: { training?: boolean; withInput?: boolean; rtol?: number; atol?: number } = {},
): ReturnType<typeof gradCheck> {
  const rec = layer as unknown as Record<string, Tensor>;
  const originals = fields.map((f) => {
    const w = rec[f];
    if (!(w instanceof Tensor)) throw new Error(`gradCheckLayer: ${layer.name}.${f} is not a built weight`);
    return w;
  });
  const withInput = opts.withInput ?? true;
  const ctx: CallContext = { training: opts.training ?? false, rng: new Rng(5) };
  let proj: number[] | undefined;
  const f = (...ts: Tensor[]): Tensor => {
    const [xx, ws] = withInput ? [ts[0]!, ts.slice(1)] : [x, ts];
    fields.forEach((name, i) => (rec[name] = ws[i]!));
    try {
      const y = layer.call(xx, ctx);
      proj ??= Array.from(randomNormal(y.shape, { seed: 99 }).data);
      return sum(mul(y, tensor(proj, y.shape)));
    } finally {
      fields.forEach((name, i) => (rec[name] = originals[i]!));
    }
  };
  const inputs: [readonly number[], ArrayLike<number>][] = [
    ...(withInput ? [[x.shape, x.data] as [readonly number[], ArrayLike<number>]] : []),
    ...originals.map((w) => [w.shape, w.data] as [readonly number[], ArrayLike<number>]),
  ];
  return gradCheck(f, inputs, { rtol: opts.rtol ?? 1e-5, atol: opts.atol ?? 1e-7 });
}
