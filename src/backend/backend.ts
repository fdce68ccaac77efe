/**
 * The backend seam: every kernel an op may call, typed, in one interface.
 *
 * Who may import this: `src/ops/`, `src/autograd/`, `src/tensor/` and the backends
 * themselves. Layers, models, callbacks and optimizers never do (they use ops).
 *
 * Conventions
 * - Buffers are typed arrays. Float buffers are `Float32Array` (or `Float64Array`
 *   when the reference backend runs in its test-only float64 mode); labels and
 *   indices are `Int32Array`. All tensors are row-major and contiguous.
 * - Kernels never mutate their inputs, and return a freshly allocated output,
 *   except the `*Update` optimizer kernels, which update their first arguments in
 *   place (parameters and slots live in persistent storage).
 * - Allocation: outputs come from `allocFloat`/`allocInt`. Inside
 *   `beginScope()`/`endScope()` (one training step) a backend may place them in a
 *   step arena that `endScope()` releases, so nothing computed inside a scope may
 *   be read after it ends unless it was copied (`copyOut`) or written into a
 *   persistent buffer. Outside any scope, outputs are ordinary garbage-collected
 *   arrays. Users never see any of this.
 * - Broadcasting shapes are already validated by the op layer; kernels receive
 *   consistent shapes and sizes.
 * - Names: every method here has the same name in `backend/reference/`. A
 *   compute kernel served by one wasm export has that name in `assembly/` too
 *   (`unary`, `reduce`, `conv1dForward`, `adamUpdate`, …), so one grep finds
 *   all three. The exceptions: `matmul` runs the wasm `gemm` kernel;
 *   `transpose`, `slice` and `concat` are composed in `wasm/wasm-backend.ts`
 *   from the layout kernels `transpose2d`, `gatherStrided` and `copy2d`; the
 *   memory methods (`alloc*`, scopes, `copyOut`, `copyInto`, `fromValues`)
 *   live on the host side of the wasm backend and have no kernel.
 */

export type FloatArray = Float32Array | Float64Array;
/** Any tensor buffer: float values or int32 labels/indices. */
export type AnyArray = FloatArray | Int32Array;
/** Names accepted by `setBackend`. */
export type BackendName = 'reference' | 'wasm';

/** Elementwise unary kernels. `alpha` is the one scalar parameter some take. */
export type UnaryOp =
  | 'neg'
  | 'exp'
  | 'log'
  | 'sqrt'
  | 'square'
  | 'abs'
  | 'sign'
  | 'reciprocal'
  | 'powScalar' // x^alpha
  | 'relu'
  | 'relu6'
  | 'leakyRelu' // alpha = negative slope
  | 'elu' // alpha
  | 'selu'
  | 'gelu' // exact (erf)
  | 'geluTanh' // tanh approximation
  | 'sigmoid'
  | 'hardSigmoid' // relu6(x + 3) / 6 (Keras 3)
  | 'tanh'
  | 'softplus'
  | 'softsign'
  | 'swish'; // x * sigmoid(x)

/** Elementwise binary kernels with numpy broadcasting. Comparisons give 0/1 floats. */
export type BinaryOp =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'maximum'
  | 'minimum'
  | 'pow'
  | 'greater'
  | 'greaterEqual'
  | 'less'
  | 'lessEqual'
  | 'equal';

/** Reductions over the middle axis of a `[outer, n, inner]` view. */
export type ReduceOp = 'sum' | 'max' | 'min';
/** Index reductions (int32 results). */
export type ArgReduceOp = 'argMax' | 'argMin';

/** Activations that a matmul epilogue can fuse (bias, then activation). */
export type FusedActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh';

/** A (possibly batched) matrix product C[b] = op(A[b]) · op(B[b]) (+ bias, activation). */
export interface MatmulArgs {
  a: FloatArray;
  b: FloatArray;
  /** Number of matrix products. */
  batch: number;
  /** Rows of op(A) and of C. */
  m: number;
  /** Inner dimension. */
  k: number;
  /** Columns of op(B) and of C. */
  n: number;
  /** A is stored [k, m] (so op(A) = Aᵀ) when true, else [m, k]. */
  transA: boolean;
  /** B is stored [n, k] (so op(B) = Bᵀ) when true, else [k, n]. */
  transB: boolean;
  /** Elements between consecutive A matrices; 0 broadcasts one A over the batch. */
  aBatchStride: number;
  /** Elements between consecutive B matrices; 0 broadcasts one B over the batch. */
  bBatchStride: number;
  /** Optional bias of length n added to every row of C. */
  bias?: FloatArray;
  /** Optional activation applied after the bias. Default 'linear'. */
  activation?: FusedActivation;
}

/**
 * Geometry of a channels-last 1-D convolution.
 * x: [batch, inLen, inC], w: [k, inC, outC], y: [batch, outLen, outC];
 * y[b,t,o] = Σ_{j,c} x[b, t·stride + j·dilation − padLeft, c] · w[j,c,o]
 * (out-of-range x positions read as 0).
 */
export interface Conv1dGeometry {
  batch: number;
  inLen: number;
  inC: number;
  outLen: number;
  outC: number;
  k: number;
  stride: number;
  dilation: number;
  padLeft: number;
}

/**
 * Geometry of a channels-last 1-D pooling. x: [batch, inLen, c], y: [batch, outLen, c];
 * window t covers x positions t·stride − padLeft … + pool − 1 (out-of-range positions
 * are ignored: they neither win a max nor count in an average, as in TF 'same').
 */
export interface Pool1dGeometry {
  batch: number;
  inLen: number;
  c: number;
  outLen: number;
  pool: number;
  stride: number;
  padLeft: number;
}

/**
 * Geometry of a channels-last 2-D convolution (NHWC).
 * x: [batch, inH, inW, inC], w: [kh, kw, inC/groups, outC], y: [batch, outH, outW, outC];
 * with cg = inC/groups, og = outC/groups and g = ⌊o/og⌋:
 * y[b,h,v,o] = Σ_{i,j,c<cg} x[b, h·strideH + i·dilationH − padTop, v·strideW + j·dilationW − padLeft, g·cg + c] · w[i,j,c,o]
 * (out-of-range x positions read as 0). The depthwise kernels use the same
 * geometry with groups = inC and outC = inC·multiplier: their kernel
 * [kh, kw, inC, mult] has the layout of the grouped kernel [kh, kw, 1, inC·mult].
 */
export interface Conv2dGeometry {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  kh: number;
  kw: number;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  padTop: number;
  padLeft: number;
  groups: number;
}

/** Which 1-D pooling. */
export type PoolKind = 'max' | 'avg';

/**
 * Geometry of a channels-last 2-D pooling (NHWC). x: [batch, inH, inW, c],
 * y: [batch, outH, outW, c]; window (oh, ow) covers rows oh·strideH − padTop …
 * + poolH − 1 and columns ow·strideW − padLeft … + poolW − 1. Out-of-range
 * positions are ignored: they neither win a max nor count in an average (TF).
 */
export interface Pool2dGeometry {
  batch: number;
  inH: number;
  inW: number;
  c: number;
  outH: number;
  outW: number;
  poolH: number;
  poolW: number;
  strideH: number;
  strideW: number;
  padTop: number;
  padLeft: number;
}

/** How a resampling reads outside the input (Keras `fill_mode`). */
export type FillMode = 'constant' | 'nearest' | 'reflect' | 'wrap';
/** How a resampling blends input pixels (Keras `interpolation`). */
export type ResampleInterpolation = 'nearest' | 'bilinear';

/**
 * Geometry of a per-image projective resampling (Keras `affine_transform`),
 * NHWC. x: [batch, inH, inW, c], y: [batch, outH, outW, c]; the float64
 * transforms [batch, 8] = (a0, a1, a2, b0, b1, b2, c0, c1) map output pixel
 * (x, y) to input coordinates ((a0·x + a1·y + a2)/k, (b0·x + b1·y + b2)/k),
 * k = c0·x + c1·y + 1. 'nearest' interpolation rounds half away from zero;
 * 'bilinear' blends the 4 neighbours, each read through the fill mode
 * (constant → fillValue, nearest → edge, reflect → d c b a|a b c d|d c b a,
 * wrap → a b c d|a b c d). k = 0 or a non-finite coordinate gives fillValue.
 * Details: src/backend/reference/affine.ts.
 */
export interface AffineGeometry {
  batch: number;
  inH: number;
  inW: number;
  c: number;
  outH: number;
  outW: number;
  fillMode: FillMode;
  interpolation: ResampleInterpolation;
  fillValue: number;
}

/** The recurrent cells the fused sequence kernels run (docs/semantics.md, Recurrent layers). */
export type RnnCellKind = 'simpleRNN' | 'lstm' | 'gru';
/** Activations a recurrent kernel fuses: each derivative is a function of its output. */
export type RnnActivation = 'linear' | 'relu' | 'relu6' | 'sigmoid' | 'hardSigmoid' | 'tanh' | 'softsign' | 'elu' | 'selu' | 'exponential';

/**
 * Geometry of one recurrent sequence (src/backend/reference/rnn.ts holds the
 * plan both backends follow, with the packed buffer layouts). zx [batch,
 * steps, G·units] is the input projection of every step (bias included); rk
 * [G, units, units] the recurrent kernel gate-major (gate g is
 * R[:, g·units:(g+1)·units]); G = 1 simpleRNN, 4 lstm, 3 gru. Step s reads
 * time t = goBackwards ? steps−1−s : s and writes output row s.
 */
export interface RnnGeometry {
  cell: RnnCellKind;
  /** GRU only: reset gate applied after the recurrent product (Keras 3 default). */
  resetAfter: boolean;
  batch: number;
  steps: number;
  units: number;
  activation: RnnActivation;
  recurrentActivation: RnnActivation;
  goBackwards: boolean;
}

/** Counter-based random stream (see src/random.ts): element i is derived from (key, counter + ⌊i/4⌋) for uniforms. */
export interface StreamArgs {
  key0: number;
  key1: number;
  counter: number;
}

/** Hyperparameters of one Adam/AdamW/AMSGrad update (bias corrections folded in by the caller). */
export interface AdamArgs {
  /** lr · sqrt(1 − β2ᵗ) / (1 − β1ᵗ) (Keras: epsilon outside the correction). */
  alpha: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** Hyperparameters of one RMSprop update (Keras 3). */
export interface RmspropArgs {
  lr: number;
  rho: number;
  momentum: number;
  epsilon: number;
  centered: boolean;
}

/** Every kernel an op may call. Implemented by `reference/` (the oracle) and `wasm/`. */
export interface Backend {
  readonly name: BackendName;

  // ---- memory -----------------------------------------------------------
  /** A zeroed float buffer of `size` elements for an op's output. */
  allocFloat(size: number): FloatArray;
  /** A zeroed int32 buffer. */
  allocInt(size: number): Int32Array;
  /** A zeroed float buffer that outlives every scope (parameters, optimizer slots). */
  allocPersistent(size: number): FloatArray;
  /** Opens a step scope (nestable). */
  beginScope(): void;
  /** Closes the innermost step scope; buffers allocated inside may be reused. */
  endScope(): void;
  /** A garbage-collected copy of `x` that is safe to keep after scopes end. */
  copyOut(x: AnyArray): AnyArray;
  /** Converts user data into a backend float buffer (copy). */
  fromValues(values: ArrayLike<number>): FloatArray;

  // ---- elementwise ------------------------------------------------------
  fill(size: number, value: number): FloatArray;
  /** y = f(x). */
  unary(op: UnaryOp, x: FloatArray, alpha: number): FloatArray;
  /** dx = dy · f'(x), given x, y = f(x) and dy (kernels use whichever is cheaper). */
  unaryBackward(op: UnaryOp, x: FloatArray, y: FloatArray, dy: FloatArray, alpha: number): FloatArray;
  /** out = a ∘ b with numpy broadcasting from aShape, bShape to outShape. */
  binary(op: BinaryOp, a: FloatArray, aShape: readonly number[], b: FloatArray, bShape: readonly number[], outShape: readonly number[]): FloatArray;
  /** out = cond ≠ 0 ? a : b, all broadcast to outShape. */
  where(
    cond: FloatArray,
    condShape: readonly number[],
    a: FloatArray,
    aShape: readonly number[],
    b: FloatArray,
    bShape: readonly number[],
    outShape: readonly number[],
  ): FloatArray;
  /** out = min(max(x, lo), hi); NaN stays NaN. */
  clip(x: FloatArray, lo: number, hi: number): FloatArray;
  /** dx = dy where lo ≤ x ≤ hi, else 0 (Keras/TF clip gradient). */
  clipBackward(x: FloatArray, dy: FloatArray, lo: number, hi: number): FloatArray;
  /** out = a·x + b·y elementwise (same sizes); the workhorse of gradient accumulation. */
  axpby(a: number, x: FloatArray, b: number, y: FloatArray): FloatArray;
  /** int32 → float, float → int32 (truncation toward zero). */
  castToFloat(x: Int32Array): FloatArray;
  castToInt(x: FloatArray): Int32Array;

  // ---- reductions -------------------------------------------------------
  /** out[o, i] = reduce_j x[o, j, i] over a [outer, n, inner] view. n may be 0 (sum → 0, max → −∞, min → +∞). */
  reduce(op: ReduceOp, x: FloatArray, outer: number, n: number, inner: number): FloatArray;
  /** [Σ x²] (one element): the same bits as `reduce('sum', unary('square', x), 1, n, 1)`, in one pass (the L2 penalty). */
  sumSquares(x: FloatArray): FloatArray;
  /** Index of the first max/min along the middle axis of [outer, n, inner]; NaN wins. */
  argReduce(op: ArgReduceOp, x: FloatArray, outer: number, n: number, inner: number): Int32Array;

  // ---- layout -----------------------------------------------------------
  /** out = x permuted: out.shape[i] = shape[perm[i]]. Works for float and int32. */
  transpose<T extends AnyArray>(x: T, shape: readonly number[], perm: readonly number[]): T;
  /** out = x[begin[i] : begin[i] + size[i]] on every axis. */
  slice<T extends AnyArray>(x: T, shape: readonly number[], begin: readonly number[], size: readonly number[]): T;
  /** Concatenation along the middle axis: input p is viewed as [outer, parts[p]]; out is [outer, Σ parts]. */
  concat<T extends AnyArray>(xs: readonly T[], outer: number, parts: readonly number[]): T;
  /** out[o, j, i] = x[o, indices[j], i] for x viewed as [outer, n, inner]. Indices were validated. */
  gather(x: FloatArray, indices: Int32Array, outer: number, n: number, inner: number): FloatArray;
  /** Backward of gather: dx[o, indices[j], i] += dy[o, j, i]; dx is [outer, n, inner]. */
  gatherBackward(dy: FloatArray, indices: Int32Array, outer: number, n: number, inner: number): FloatArray;
  /** out[i, indices[i]] = on, else off; out is [indices.length, depth]. Out-of-range indices give a row of `off`. */
  oneHot(indices: Int32Array, depth: number, on: number, off: number): FloatArray;

  // ---- matmul / conv / pool ---------------------------------------------
  matmul(args: MatmulArgs): FloatArray;
  conv1dForward(x: FloatArray, w: FloatArray, g: Conv1dGeometry): FloatArray;
  /** dx [batch, inLen, inC] from dy [batch, outLen, outC] and w. */
  conv1dBackwardInput(dy: FloatArray, w: FloatArray, g: Conv1dGeometry): FloatArray;
  /** dw [k, inC, outC] from x and dy. */
  conv1dBackwardFilter(x: FloatArray, dy: FloatArray, g: Conv1dGeometry): FloatArray;
  /** y [batch, outH, outW, outC] from x [batch, inH, inW, inC] and w [kh, kw, inC/groups, outC]. */
  conv2dForward(x: FloatArray, w: FloatArray, g: Conv2dGeometry): FloatArray;
  /** dx [batch, inH, inW, inC] from dy [batch, outH, outW, outC] and w. */
  conv2dBackwardInput(dy: FloatArray, w: FloatArray, g: Conv2dGeometry): FloatArray;
  /** dw [kh, kw, inC/groups, outC] from x and dy. */
  conv2dBackwardFilter(x: FloatArray, dy: FloatArray, g: Conv2dGeometry): FloatArray;
  /** Depthwise: w [kh, kw, inC, mult], y channel c·mult + m from input channel c (g.groups = g.inC, g.outC = inC·mult). */
  depthwiseConv2dForward(x: FloatArray, w: FloatArray, g: Conv2dGeometry): FloatArray;
  depthwiseConv2dBackwardInput(dy: FloatArray, w: FloatArray, g: Conv2dGeometry): FloatArray;
  depthwiseConv2dBackwardFilter(x: FloatArray, dy: FloatArray, g: Conv2dGeometry): FloatArray;
  pool1dForward(kind: PoolKind, x: FloatArray, g: Pool1dGeometry): FloatArray;
  /** dx from x, y = pool(x) and dy (max: the gradient goes to the first maximal position). */
  pool1dBackward(kind: PoolKind, x: FloatArray, y: FloatArray, dy: FloatArray, g: Pool1dGeometry): FloatArray;
  pool2dForward(kind: PoolKind, x: FloatArray, g: Pool2dGeometry): FloatArray;
  /** dx from x, y = pool(x) and dy (max: to the first maximal position of the window in row-major order; avg: dy/count to each valid position). */
  pool2dBackward(kind: PoolKind, x: FloatArray, y: FloatArray, dy: FloatArray, g: Pool2dGeometry): FloatArray;

  /** y [batch, outH, outW, c]: x resampled through one transform per image (see AffineGeometry). */
  affineTransform(x: FloatArray, transforms: Float64Array, g: AffineGeometry): FloatArray;
  /** dx [batch, inH, inW, c]: the transposed scatter of dy through the same taps and weights (fill reads get none). */
  affineTransformBackward(dy: FloatArray, transforms: Float64Array, g: AffineGeometry): FloatArray;

  // ---- softmax family ----------------------------------------------------
  /** Row softmax of x viewed as [outer, n] (max-subtracted). */
  softmax(x: FloatArray, outer: number, n: number): FloatArray;
  logSoftmax(x: FloatArray, outer: number, n: number): FloatArray;
  /** dx = y ∘ (dy − Σ dy∘y) per row, y = softmax(x). */
  softmaxBackward(y: FloatArray, dy: FloatArray, outer: number, n: number): FloatArray;
  /** dx = dy − softmax(x)·Σ dy per row, given y = logSoftmax(x). */
  logSoftmaxBackward(y: FloatArray, dy: FloatArray, outer: number, n: number): FloatArray;
  /** Per-row −Σ labels·logSoftmax(logits); labels are probabilities [outer, n]. */
  softmaxCrossEntropy(logits: FloatArray, labels: FloatArray, outer: number, n: number): FloatArray;
  /** dlogits = dloss[row] · (softmax(logits) · Σlabels − labels). */
  softmaxCrossEntropyBackward(logits: FloatArray, labels: FloatArray, dloss: FloatArray, outer: number, n: number): FloatArray;

  // ---- randomness (same numbers on every backend, see src/random.ts) ------
  /** size uniforms in [lo, hi) from the stream. */
  randomUniform(size: number, s: StreamArgs, lo: number, hi: number): FloatArray;
  /** size normals N(mean, std²) from the stream (Box–Muller on uniform pairs). */
  randomNormal(size: number, s: StreamArgs, mean: number, std: number): FloatArray;
  /** Inverted-dropout mask: u ≥ rate ? 1/(1−rate) : 0, u = uniform i of the stream. */
  dropoutMask(size: number, s: StreamArgs, rate: number): FloatArray;

  // ---- recurrent sequences (src/backend/reference/rnn.ts: plan and layouts) ----
  /**
   * Runs a whole sequence: returns the packed forward buffer whose first
   * batch·(steps + e)·units elements are the outputs [batch, steps + e, units]
   * (e = 1 for lstm: row `steps` is the final carry), followed by what the
   * backward needs (states, gate activations). rb [G·units]: GRU resetAfter's
   * recurrent bias; rmask [G, batch, units]: recurrent dropout per gate;
   * smask [batch, steps]: 1 = real step, 0 = carry the previous state.
   */
  rnnForward(g: RnnGeometry, zx: FloatArray, rk: FloatArray, rb: FloatArray | null, rmask: FloatArray | null, smask: FloatArray | null): FloatArray;
  /**
   * Backprop through time from `fwd` (rnnForward's buffer) and dy [batch,
   * steps + e, units]: returns packed dzx [batch, steps, G·units], drk [G,
   * units, units], drb [G·units].
   */
  rnnBackward(g: RnnGeometry, fwd: FloatArray, rk: FloatArray, rmask: FloatArray | null, smask: FloatArray | null, dy: FloatArray): FloatArray;

  // ---- optimizer updates (in place on persistent buffers) -----------------
  /** SGD. momentum 0: w −= lr·g. Else m = μm − lr·g; w += nesterov ? μm − lr·g : m. */
  sgdUpdate(w: FloatArray, g: FloatArray, m: FloatArray | null, lr: number, momentum: number, nesterov: boolean): void;
  /** Adam (Keras 3). vhat non-null ⇒ AMSGrad. */
  adamUpdate(w: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, vhat: FloatArray | null, p: AdamArgs): void;
  /** RMSprop (Keras 3; eps inside the sqrt). mg used when centered, mom when momentum > 0. */
  rmspropUpdate(w: FloatArray, g: FloatArray, v: FloatArray, mg: FloatArray | null, mom: FloatArray | null, p: RmspropArgs): void;
  /** Adagrad: acc += g²; w −= lr·g/sqrt(acc + eps). */
  adagradUpdate(w: FloatArray, g: FloatArray, acc: FloatArray, lr: number, epsilon: number): void;
  /** w ← w·scale (decoupled weight decay, constraints' rescale). */
  scaleInPlace(w: FloatArray, scale: number): void;
  /**
   * The MaxNorm constraint in place on w viewed as [rows, cols], one norm per
   * column: w[r,c] ← w[r,c]·clip(n_c, 0, maxValue)/(n_c + epsilon), n_c =
   * √Σ_r w[r,c]² — the same bits as the constraint's ops (square, sum over
   * rows, sqrt, clip, add, div, mul) on this backend, fused.
   */
  maxNormInPlace(w: FloatArray, rows: number, cols: number, maxValue: number, epsilon: number): void;
  /** dst ← src (same size). */
  copyInto(dst: FloatArray, src: FloatArray): void;
}
