/**
 * What TimeDistributed and Bidirectional share (Keras's `Wrapper`): they own
 * other layers (`inner`), so their weights, penalties, random streams and
 * trainability are those layers'; their configs nest each inner layer as
 * `{class_name, config}`, the TF.js and Keras form. The class resolver that
 * reads a nested config is set by registry.ts (`setInnerLayerResolver`), so
 * this file does not import the registry (which imports the wrappers).
 */
import type { RngState } from '../random.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { custom, type OptionSpec } from '../config/options.js';
import { Layer } from './layer.js';

type Resolver = (spec: { class_name: string; config: Record<string, unknown> }) => Layer;
let resolver: Resolver | undefined;

/** Called once by registry.ts: how a nested `{class_name, config}` becomes a layer. */
export function setInnerLayerResolver(r: Resolver): void {
  resolver = r;
}

/** A nested layer config (`{class_name, config}`; TF.js's own writer's `className` too) → a layer. */
export function innerLayerFromConfig(v: unknown, who: string): Layer {
  if (v instanceof Layer) return v;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${who}: 'layer' must be a layer config {class_name, config}, got ${JSON.stringify(v)}`);
  const o = v as Record<string, unknown>;
  const cls = o['class_name'] ?? o['className'];
  if (typeof cls !== 'string') throw new Error(`${who}: 'layer' needs a class_name, got ${JSON.stringify(v).slice(0, 80)}`);
  if (!resolver) throw new Error(`${who}: no layer registry is loaded`);
  return resolver({ class_name: cls, config: (o['config'] ?? {}) as Record<string, unknown> });
}

/** The `layer` option of a wrapper: a Layer; written to configs as `{class_name, config}`. */
export function innerLayerOption(): OptionSpec<Layer, Layer> & { readonly required: true } {
  return {
    ...custom<Layer>({
      check: (v, w) => {
        if (!(v instanceof Layer)) throw new Error(`${w.layer}: '${w.arg}' must be a layer (e.g. layers.dense({units: 8})), got ${v === null ? 'null' : typeof v}`);
        return v;
      },
      toConfig: (l) => ({ class_name: l.className, config: l.getConfig() }),
      fromConfig: (v) => innerLayerFromConfig(v, 'layer config'),
    }),
    required: true,
  };
}

/** A layer made of other layers: weights, penalties and random streams are theirs. */
export abstract class Wrapper extends Layer {
  /** The wrapped layers (one for TimeDistributed, forward and backward for Bidirectional). */
  protected abstract get inner(): readonly Layer[];

  /** The wrapped layers (read-only view), e.g. for saving their random streams. */
  get innerLayers(): readonly Layer[] {
    return this.inner;
  }

  /**
   * A wrapper of one seeded stochastic layer (TimeDistributed(Dropout({seed})))
   * hands on that layer's stream state, for exact resume.
   */
  protected initRngDelegation(): void {
    const stochastic = this.inner.filter((l) => l.getRngState !== undefined);
    if (stochastic.length !== 1) return;
    const l = stochastic[0]!;
    this.getRngState = () => l.getRngState!();
    this.setRngState = (st: RngState) => l.setRngState!(st);
  }

  override get weights(): Variable[] {
    return this.inner.flatMap((l) => l.weights);
  }

  override get trainableWeights(): Variable[] {
    return this.trainable ? this.inner.flatMap((l) => l.trainableWeights) : [];
  }

  override get nonTrainableWeights(): Variable[] {
    const t = new Set(this.trainableWeights);
    return this.weights.filter((w) => !t.has(w));
  }

  /** Weight penalties of the inner layers' trainable weights, their activity penalties, and the wrapper's own. */
  override get losses(): Tensor[] {
    const own = super.activityPenalties;
    if (!this.trainable) return this.inner.flatMap((l) => l.activityPenalties).concat(own);
    return this.inner.flatMap((l) => l.losses).concat(own);
  }

  override get activityPenalties(): Tensor[] {
    return this.inner.flatMap((l) => l.activityPenalties).concat(super.activityPenalties);
  }

  override clearActivityLosses(): void {
    for (const l of this.inner) l.clearActivityLosses();
    super.clearActivityLosses();
  }

  override getWeights(): Tensor[] {
    return this.weights.map((w) => w.read());
  }

  override setWeights(values: readonly Tensor[]): void {
    const ws = this.weights;
    if (values.length !== ws.length) throw new Error(`${this.name}.setWeights: expected ${ws.length} arrays, got ${values.length}`);
    let k = 0;
    for (const l of this.inner) {
      const n = l.weights.length;
      l.setWeights(values.slice(k, k + n));
      k += n;
    }
  }

  override countParams(): number {
    return this.weights.reduce((s, w) => s + w.size, 0);
  }
}
