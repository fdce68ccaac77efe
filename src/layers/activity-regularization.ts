/**
 * ActivityRegularization (Keras 3, spec §1.4): the identity, plus an activity
 * penalty `l1·Σ|y| + l2·Σy²` of its output, divided by the batch size and
 * added to the loss (Keras ≥ 3.14; see Layer.apply). Defaults l1 = l2 = 0.
 */
import type { Tensor } from '../tensor/tensor.js';
import { L1L2, validateFactor } from '../regularizers.js';
import { baseArgs, checkKeys, ConfigReader } from './args.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';

export interface ActivityRegularizationArgs extends Omit<LayerArgs, 'activityRegularizer'> {
  /** L1 factor (default 0). */
  l1?: number;
  /** L2 factor (default 0). */
  l2?: number;
  batchSize?: number;
  dtype?: string;
}

/** @example layers.activityRegularization({ l2: 1e-3 }) // penalize large activations */
export class ActivityRegularization extends Layer {
  readonly className = 'ActivityRegularization';
  readonly l1: number;
  readonly l2: number;

  constructor(args: ActivityRegularizationArgs = {}) {
    if (typeof args !== 'object' || args === null) throw new Error(`ActivityRegularization: expected an options object like { l2: 0.01 }, got ${JSON.stringify(args)}`);
    checkKeys('ActivityRegularization', args, ['l1', 'l2']);
    if ((args as { activityRegularizer?: unknown }).activityRegularizer !== undefined) {
      throw new Error(`ActivityRegularization: set l1/l2; activityRegularizer is the layer itself`);
    }
    const l1 = validateFactor(args.l1 ?? 0, 'l1', 'ActivityRegularization');
    const l2 = validateFactor(args.l2 ?? 0, 'l2', 'ActivityRegularization');
    super({ ...baseArgs('ActivityRegularization', args), activityRegularizer: new L1L2(l1, l2) }, 'activity_regularization');
    this.l1 = l1;
    this.l2 = l2;
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return x;
  }

  computeOutputShape(inputShape: Shape): Shape {
    return inputShape;
  }

  protected layerConfig(): Record<string, unknown> {
    return { l1: this.l1, l2: this.l2 };
  }

  static fromConfig(config: Record<string, unknown>): ActivityRegularization {
    const r = new ConfigReader('ActivityRegularization', config);
    const base = r.base();
    delete (base as { activityRegularizer?: unknown }).activityRegularizer; // rebuilt from l1/l2
    const args: ActivityRegularizationArgs = { ...base };
    const l1 = r.get('l1');
    if (l1 !== undefined) args.l1 = l1 as number;
    const l2 = r.get('l2');
    if (l2 !== undefined) args.l2 = l2 as number;
    r.done();
    return new ActivityRegularization(args);
  }
}

/** Factory: `layers.activityRegularization({ l1: 0, l2: 0.01 })`. */
export function activityRegularization(args: ActivityRegularizationArgs = {}): ActivityRegularization {
  return new ActivityRegularization(args);
}
