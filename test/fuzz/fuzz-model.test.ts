/**
 * Model-directory loader fuzzing (issue 9): valid saves of a few models
 * (dense, conv, pooling, normalization, dropout; a functional residual MLP
 * with a shared layer and a nested Sequential; with training state) are
 * mutated — structurally (a random JSON path replaced, deleted or given a
 * hostile value: huge/negative/fractional numbers, wrong types, deep
 * nesting) and byte-wise (model.json text and weight bytes flipped, cut,
 * extended) — and loaded. Every case must load or throw a ModelFormatError
 * (which the CLI maps to exit 2): never a RangeError/TypeError from inside
 * the code, no hang, bounded memory. A model that loads must predict.
 *
 * Most cases go through the in-memory path (model.json text → the same
 * checks readArtifactsFromDir makes → fromArtifacts); one in 50 goes through
 * a real directory (loadModel).
 *
 * `npm test` runs FUZZ_RUNS=2000 cases (the default); `npm run fuzz:model`
 * runs 100,000.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { fromArtifacts, input, layers, loadModel, model, ModelFormatError, Sequential, Tensor, toArtifacts, type Model, type ModelArtifacts } from '../../src/index.js';
import { checkModelJson, parseJsonText } from '../../src/io/keras-format.js';
import { writeArtifactsToDir } from '../../src/io/model-dir.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 2000);
const SEED = process.env['FUZZ_SEED'] === undefined ? undefined : Number(process.env['FUZZ_SEED']);
const MAX_BYTES = 64 * 1024 * 1024; // load limit for every case: bounded memory
const root = mkdtempSync(join(tmpdir(), 'regula-fuzz-model-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));

interface Base {
  text: string;
  weights: Uint8Array;
  state: ModelArtifacts['trainingState'];
}

async function base(m: Model, x: Tensor, y: Tensor, name: string): Promise<Base> {
  m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  await m.fit(x, y, { epochs: 1, batchSize: 4, seed: 1, verbose: 0 });
  const dir = join(root, name);
  await writeArtifactsToDir(dir, toArtifacts(m));
  const a = toArtifacts(m);
  return { text: readFileSync(join(dir, 'model.json'), 'utf8'), weights: new Uint8Array(a.weightData as ArrayBuffer), state: a.trainingState };
}

async function bases(): Promise<Base[]> {
  const x2 = new Tensor([8, 6, 2], 'float32', Float32Array.from({ length: 96 }, (_, i) => Math.sin(i)));
  const y2 = new Tensor([8, 1], 'float32', Float32Array.from({ length: 8 }, (_, i) => i % 2));
  const x1 = new Tensor([8, 3], 'float32', Float32Array.from({ length: 24 }, (_, i) => Math.cos(i)));
  return [
    await base(new Sequential([layers.dense({ units: 4, inputShape: [3], activation: 'relu' }), layers.dropout({ rate: 0.2 }), layers.dense({ units: 1 })], { seed: 1 }), x1, y2, 'dense'),
    await base(
      new Sequential(
        [
          layers.conv1d({ filters: 3, kernelSize: 2, inputShape: [6, 2], activation: 'tanh' }),
          layers.maxPooling1d({ poolSize: 2 }),
          layers.batchNormalization(),
          layers.flatten(),
          layers.dense({ units: 1 }),
        ],
        { seed: 2 },
      ),
      x2,
      y2,
      'conv',
    ),
    await base(residualMlp(), x1, y2, 'functional'),
  ];
}

/** A residual MLP: one Dense shared by two residual blocks (Add), a nested Sequential with a seeded dropout, a head. */
function residualMlp(): Model {
  const x = input({ shape: [3], name: 'x' });
  const stem = layers.dense({ units: 4, activation: 'relu', name: 'stem' }).apply(x);
  const shared = layers.dense({ units: 4, activation: 'tanh', name: 'shared' });
  const r1 = layers.add({ name: 'res1' }).apply([stem, shared.apply(stem)]);
  const r2 = layers.add({ name: 'res2' }).apply([r1, shared.apply(r1)]);
  const inner = new Sequential([layers.dense({ units: 3, inputShape: [4], name: 'inner_dense' }), layers.dropout({ rate: 0.2, seed: 2, name: 'inner_drop' })], { name: 'inner' });
  const y = layers.dense({ units: 1, name: 'head' }).apply(inner.apply(r2));
  return model({ inputs: x, outputs: y, name: 'residual', seed: 3 });
}

/** Every path (keys) in a JSON value, up to a limit. */
function paths(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (out.length > 400) return out;
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((c, i) => paths(c, [...prefix, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, c] of Object.entries(v)) paths(c, [...prefix, k], out);
  return out;
}

const nested = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};

/** Hostile replacement values. */
const hostile = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(1e12, 1e9, -1, 0, 0.5, 2 ** 31, 2 ** 53, 1e308, -1e308, '', 'relu', 'Dense', 'float32', 'int32', null, true, [], {}, [1e9, 1e9], [null, 1e9, 1e9], [-1], ['a']),
  fc.integer({ min: -5, max: 5000 }),
  fc.integer({ min: 10, max: 2000 }).map(nested),
);

type Mutation =
  | { kind: 'set'; at: number; value: unknown }
  | { kind: 'delete'; at: number }
  | { kind: 'bytes'; edits: { at: number; byte: number }[] }
  | { kind: 'cut'; at: number }
  | { kind: 'insert'; at: number; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: hostile }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('bytes' as const), edits: fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.string(), fc.constantFrom('[[[[', '{"a":', '1e999', '-0', '\\u0000', '"', ',', '}')) }) },
);

/** Where a mutation applies: model.json, the weight bytes, or the training state. */
const target = fc.constantFrom('model' as const, 'model' as const, 'model' as const, 'weights' as const, 'state' as const);

function applyJson(v: unknown, m: Mutation & { kind: 'set' | 'delete' }): unknown {
  const copy = JSON.parse(JSON.stringify(v)) as unknown;
  const all = paths(copy).filter((p) => p.length > 0);
  if (all.length === 0) return m.kind === 'set' ? m.value : copy;
  const p = all[m.at % all.length]!;
  let parent = copy as Record<string | number, unknown>;
  for (const k of p.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const last = p[p.length - 1]!;
  if (m.kind === 'set') parent[last] = m.value;
  else if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else delete parent[last];
  return copy;
}

function applyText(t: string, m: Mutation): string {
  if (m.kind === 'cut') return t.slice(0, m.at % (t.length + 1));
  if (m.kind === 'insert') {
    const at = m.at % (t.length + 1);
    return t.slice(0, at) + m.text + t.slice(at);
  }
  if (m.kind === 'bytes') {
    const b = Buffer.from(t, 'utf8');
    for (const e of m.edits) b[e.at % b.length] = e.byte;
    return b.toString('utf8');
  }
  return JSON.stringify(applyJson(JSON.parse(t), m));
}

function applyBytes(w: Uint8Array, m: Mutation): Uint8Array {
  if (m.kind === 'cut') return w.slice(0, m.at % (w.length + 1));
  if (m.kind === 'insert') return Uint8Array.from([...w, ...Buffer.from(m.text)]);
  const b = Uint8Array.from(w);
  if (m.kind === 'bytes') for (const e of m.edits) b[e.at % b.length] = e.byte;
  else if (m.kind === 'set') new Float32Array(b.buffer)[m.at % (b.length / 4)] = typeof m.value === 'number' ? m.value : NaN;
  return b;
}

/** The in-memory twin of readArtifactsFromDir: text → checks → artifacts. */
function artifactsFromText(text: string, weights: Uint8Array, state: ModelArtifacts['trainingState']): ModelArtifacts {
  const raw = parseJsonText(text, 'model.json');
  const checked = checkModelJson(raw, 'model.json', true);
  const specs = checked.weightsManifest.flatMap((g) => g.weights);
  const a: ModelArtifacts = { modelTopology: checked.modelTopology!, weightSpecs: specs, weightData: weights.slice().buffer as ArrayBuffer };
  if (state) a.trainingState = state;
  return a;
}

let loaded = 0;
let refused = 0;

/** Loads one case; only a ModelFormatError may escape. */
async function loadCase(b: Base, where: 'model' | 'weights' | 'state', m: Mutation, viaDir: boolean, n: number): Promise<void> {
  let text = b.text;
  let weights = b.weights;
  let state = b.state;
  if (where === 'model') text = applyText(text, m);
  else if (where === 'weights') weights = applyBytes(weights, m);
  else if (state && (m.kind === 'set' || m.kind === 'delete')) state = { ...state, state: applyJson(state.state, m) };
  else if (state) state = { ...state, weightData: applyBytes(new Uint8Array(state.weightData), m).slice().buffer as ArrayBuffer };
  try {
    let loadedModel: Model;
    if (viaDir) {
      const dir = join(root, `case-${n}`);
      const raw = (() => {
        try {
          return JSON.parse(text) as { weightsManifest?: { paths?: unknown }[] };
        } catch {
          return undefined;
        }
      })();
      rmSync(dir, { recursive: true, force: true });
      const shard = raw?.weightsManifest?.[0]?.paths;
      // The shard goes where the (mutated) manifest points if that is a plain new name; '.', '..' or model.json are not.
      const name = Array.isArray(shard) && typeof shard[0] === 'string' && /^\w[\w.-]*$/.test(shard[0]) && shard[0] !== 'model.json' ? shard[0] : 'group1-shard1of1.bin';
      mkdirSync(dir, { recursive: true }); // written by hand: the loader faces the raw bytes
      writeFileSync(join(dir, 'model.json'), text);
      writeFileSync(join(dir, name), weights);
      loadedModel = await loadModel(dir, { maxWeightBytes: MAX_BYTES, trainingState: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    } else {
      loadedModel = fromArtifacts(artifactsFromText(text, weights, state), { maxWeightBytes: MAX_BYTES });
    }
    loaded++;
    // One row, or the batch size an input fixes (a functional model's inputs keep theirs).
    const rows = loadedModel.inputs[0]!.shape[0] ?? 1;
    const xs = loadedModel.inputs.map((t) => {
      const dims = [rows, ...t.shape.slice(1).map((d) => d ?? 1)];
      const size = dims.reduce((p, d) => p * d, 1);
      return size <= 1e5 ? new Tensor(dims, t.dtype, t.dtype === 'int32' ? new Int32Array(size) : new Float32Array(size)) : undefined;
    });
    if (xs.every((t) => t !== undefined)) loadedModel.predict(xs as Tensor[], { batchSize: rows });
  } catch (e) {
    refused++;
    if (e instanceof ModelFormatError) return;
    const err = e as Error;
    assert.fail(`case ${n} (${where}, ${m.kind}): not a ModelFormatError: ${err?.constructor?.name}: ${err?.message}\n${err?.stack}`);
  }
}

test(`model loader fuzz: ${RUNS} mutated saves load or fail with a ModelFormatError`, { timeout: 3_600_000 }, async () => {
  const bs = await bases();
  const t0 = Date.now();
  let n = 0;
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: bs.length - 1 }), target, mutation, fc.nat({ max: 49 }), async (bi, where, m, d) => {
      await loadCase(bs[bi]!, where, m, d === 0, n++);
    }),
    { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}) },
  );
  const rss = process.memoryUsage().rss;
  console.log(`fuzz-model: ${RUNS} cases in ${((Date.now() - t0) / 1000).toFixed(1)} s (${loaded} loaded, ${refused} refused), rss ${(rss / 2 ** 20).toFixed(0)} MiB`);
  assert.ok(rss < 2 ** 31, `memory stays bounded (rss ${rss})`);
  assert.ok(refused > RUNS / 4 && loaded > 0, 'the mutations both break and keep models');
});
