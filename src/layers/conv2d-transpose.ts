/**
 * Conv2DTranspose: the transposed 2-D convolution (the input-gradient of a
 * Conv2D), kernel [kh, kw, filters, inChannels], bias [filters]; output size
 * per axis (in − 1)·stride + kd − 2·pad + outputPadding as Keras 3 computes it
 * (docs/semantics.md §10). `outputPadding` is written to configs only when
 * set (TF.js has no such option). Keras also accepts 'Convolution2DTranspose'.
 */
import type { Activation } from '../activations.js';
import { custom, int, req, type ArgsOf, type ValuesOf } from '../config/options.js';
import { add } from '../ops/arithmetic.js';
import { conv2dTranspose as transposeOp, convTransposeAxis } from '../ops/conv2d.js';
import { toFloat } from '../ops/shape-ops.js';
import type { Rng } from '../random.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { ACTIVATION_BIAS_2D, channelsOf, checkWindow, intPair, type IntPair, type Window2d, WINDOW_2D } from './conv2d-options.js';
import { Layer, type CallContext, type LayerArgs, type Shape } from './layer.js';
import { activation, KERNEL_BIAS } from './options.js';

const outputPadding = intPair({ min: 0 });

/** Conv2DTranspose's options, in config key order (TF.js's, then Keras's output_padding). */
export const CONV2D_TRANSPOSE_OPTIONS = {
  /** Number of output channels. */
  filters: req(int({ array: 'accept' })),
  kernelInitializer: KERNEL_BIAS.kernelInitializer,
  kernelRegularizer: KERNEL_BIAS.kernelRegularizer,
  kernelConstraint: KERNEL_BIAS.kernelConstraint,
  ...WINDOW_2D,
  /** Extra rows/columns at the bottom/right, each < its stride (default: inferred, Keras's None). */
  outputPadding: {
    ...custom<IntPair | undefined, number | IntPair>({ check: (v, w, p) => outputPadding.parse(v, w, p) }),
    toConfig: (p: IntPair | undefined) => (p ? [p[0], p[1]] : null),
    writeIf: (o: Readonly<Record<string, unknown>>) => o['outputPadding'] !== undefined,
  },
  ...ACTIVATION_BIAS_2D,
};

export type Conv2DTransposeArgs = LayerArgs & ArgsOf<typeof CONV2D_TRANSPOSE_OPTIONS>;

/**
 * Transposed 2-D convolution layer (upsampling by its strides).
 * @example
 * const up = new Conv2DTranspose({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' }); // 7×7 → 14×14
 */
export class Conv2DTranspose extends Layer {
  static override readonly className = 'Conv2DTranspose';
  static override readonly options = CONV2D_TRANSPOSE_OPTIONS;
  declare readonly options: ValuesOf<typeof CONV2D_TRANSPOSE_OPTIONS>;
  kernel: Variable | undefined;
  bias: Variable | undefined;

  constructor(args: Conv2DTransposeArgs) {
    super(args, 'conv2d_transpose');
    checkWindow('Conv2DTranspose', this.options);
    const p = this.options.outputPadding;
    const s = this.options.strides;
    if (p && (p[0] >= s[0] || p[1] >= s[1])) throw new Error(`Conv2DTranspose: outputPadding ${fmt(p)} must be smaller than strides ${fmt(s)}`);
  }

  get filters(): number {
    return this.options.filters;
  }
  get window(): Window2d {
    return this.options;
  }
  get outputPadding(): IntPair | undefined {
    return this.options.outputPadding;
  }
  get activation(): Activation {
    return this.options.activation;
  }
  get useBias(): boolean {
    return this.options.useBias;
  }
  /** The resolved kernel/bias initializers, regularizers and constraints. */
  get w(): ValuesOf<typeof KERNEL_BIAS> {
    return this.options;
  }

  override build(inputShape: Shape, rng: Rng): void {
    const inC = channelsOf(this.name, 'Conv2DTranspose', inputShape);
    const [kh, kw] = this.options.kernelSize;
    this.kernel = this.addWeight(
      { name: 'kernel', shape: [kh, kw, this.filters, inC], initializer: this.w.kernelInitializer, regularizer: this.w.kernelRegularizer, constraint: this.w.kernelConstraint },
      rng,
    );
    if (this.useBias) {
      this.bias = this.addWeight(
        { name: 'bias', shape: [this.filters], initializer: this.w.biasInitializer, regularizer: this.w.biasRegularizer, constraint: this.w.biasConstraint },
        rng,
      );
    }
  }

  call(xIn: Tensor, _ctx: CallContext): Tensor {
    const kernel = this.kernel!;
    const x = xIn.dtype === 'int32' ? toFloat(xIn) : xIn;
    if (x.rank !== 4 || x.shape[3] !== kernel.shape[3]) {
      throw new Error(`${this.name}: kernel ${fmt(kernel.shape)} expects input [batch, height, width, ${kernel.shape[3]}], got input ${fmt(x.shape)}`);
    }
    const o = this.options;
    let y = transposeOp(x, kernel, { strides: o.strides, padding: o.padding, dilationRate: o.dilationRate, ...(o.outputPadding ? { outputPadding: o.outputPadding } : {}) });
    if (this.bias) y = add(y, this.bias);
    return this.activation.apply(y);
  }

  computeOutputShape(inputShape: Shape): Shape {
    channelsOf(this.name, 'Conv2DTranspose', inputShape);
    const o = this.options;
    const size = (d: number | null | undefined, a: 0 | 1): number | null =>
      typeof d === 'number' ? convTransposeAxis(d, o.kernelSize[a], o.strides[a], o.dilationRate[a], o.padding, o.outputPadding?.[a]).out : null;
    return [inputShape[0] ?? null, size(inputShape[1], 0), size(inputShape[2], 1), this.filters];
  }
}

/** Factory: `layers.conv2dTranspose({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' })`. */
export function conv2dTranspose(args: Conv2DTransposeArgs): Conv2DTranspose {
  return new Conv2DTranspose(args);
}
