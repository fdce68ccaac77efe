/**
 * The training worker: Regula's wasm backend (threads when the page is
 * cross-origin isolated, one otherwise) runs one `model.fit` per run, off
 * the page's thread. An epoch-end callback reports the epoch (losses,
 * metrics, test scores, the 2-D decision surface, per-layer weight norms)
 * and then waits at a gate, which is how play / pause / step work without
 * changing a single number: pausing only delays the next epoch.
 */
import { ready, wasmLoadError } from '../../src/backend/wasm/ready.js';
import { getBackend } from '../../src/backend/select.js';
import { earlyStopping } from '../../src/callbacks/early-stopping.js';
import type { Callback, Logs } from '../../src/callbacks/callback.js';
import { DataError } from '../../src/data/data-error.js';
import { toArtifacts } from '../../src/models/save-load.js';
import { toArrayBuffer, weightDataBytes } from '../../src/io/artifacts.js';
import type { Sequential } from '../../src/models/sequential.js';
import { regularizationReport, unitNormsOf } from '../../src/regularization-report.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { buildModel } from './model.js';
import { decodeCsv, prepare, type Part, type Prepared } from './worker-data.js';
import type { EpochReport, FromWorker, LayerNorms, ToWorker } from './protocol.js';
import { checkState, isToy, type PlaygroundState } from './state.js';
import { TOY_EXTENT } from './toy-data.js';
import { GRID } from './grid.js';
import { addEpoch, draw, markRestored, newRun, pin, setCanvases } from './worker-draw.js';

interface WorkerScope {
  postMessage(m: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
}
const scope = globalThis as unknown as WorkerScope;
const post = (m: FromWorker, transfer: Transferable[] = []): void => scope.postMessage(m, transfer);

interface Run {
  state: PlaygroundState;
  data: Prepared;
  model: Sequential;
  csv: { name: string; text: string } | null;
  started: boolean;
  finished: boolean;
  aborted: boolean;
  fit: Promise<void> | null;
}

let run: Run | null = null;
let mode: 'paused' | 'running' | 'step' = 'paused';
let wake: (() => void) | null = null;
let queue: Promise<void> = Promise.resolve();

function release(): void {
  const w = wake;
  wake = null;
  w?.();
}

async function gate(r: Run): Promise<void> {
  if (mode === 'step') mode = 'paused';
  while (mode === 'paused' && !r.aborted) await new Promise<void>((res) => (wake = res));
}

function scores(model: Sequential, part: Part | null, prefix: string, into: Logs): void {
  if (!part) return;
  const s = model.evaluate(part.x, part.y, { batchSize: 512 });
  for (const [k, v] of Object.entries(s)) into[`${prefix}${k}`] = v;
}

/** P(class 1) over the plotted square, GRID × GRID, row 0 at the top (largest x2). */
function heatMap(r: Run): Float32Array {
  const scaler = r.data.pre.scaler;
  const mean = scaler ? scaler.mean : [0, 0];
  const std = scaler ? scaler.std : [1, 1];
  const pts = new Float32Array(GRID * GRID * 2);
  for (let i = 0; i < GRID; i++) {
    for (let j = 0; j < GRID; j++) {
      const x1 = -TOY_EXTENT + ((j + 0.5) * 2 * TOY_EXTENT) / GRID;
      const x2 = TOY_EXTENT - ((i + 0.5) * 2 * TOY_EXTENT) / GRID;
      const k = (i * GRID + j) * 2;
      pts[k] = (x1 - mean[0]!) / std[0]!;
      pts[k + 1] = (x2 - mean[1]!) / std[1]!;
    }
  }
  const p = r.model.predict(new Tensor([GRID * GRID, 2], 'float32', pts), { batchSize: 2500 }) as Tensor;
  const out = new Float32Array(GRID * GRID);
  for (let i = 0; i < out.length; i++) out[i] = p.data[i * 2 + 1]!;
  return out;
}

/** Image sets: the model's class for each shown validation image. */
function predictedClasses(r: Run): Int32Array | undefined {
  const im = r.data.images;
  if (!im) return undefined;
  const p = r.model.predict(im.x) as Tensor;
  const k = p.shape[1]!;
  const out = new Int32Array(im.labels.length);
  for (let i = 0; i < out.length; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (p.data[i * k + j]! > p.data[i * k + best]!) best = j;
    out[i] = best;
  }
  return out;
}

function layerNorms(model: Sequential): LayerNorms[] {
  const pressure = new Map(regularizationReport(model).map((l) => [l.layer, l.maxNorm]));
  const out: LayerNorms[] = [];
  for (const layer of model.layers) {
    const kernel = layer.weights.find((w) => w.name.endsWith('kernel'));
    if (!kernel) continue;
    const m = pressure.get(layer.name);
    out.push({ layer: layer.name, norms: Array.from(unitNormsOf(kernel)), ...(m ? { maxNorm: { limit: m.limit, fraction: m.fraction } } : {}) });
  }
  return out;
}

/** Posts at most this often while running (fewer, larger messages: fewer tasks on the page's thread). */
const POST_MS = 200;

function reporter(r: Run): Callback {
  let batch: Logs[] = [];
  let lastPost = 0;
  return {
    onEpochEnd: async (epoch: number, logs: Logs) => {
      if (r.aborted) return;
      const all: Logs = { ...logs };
      scores(r.model, r.data.test, 'test_', all);
      batch.push(all);
      addEpoch(all);
      const last = epoch + 1 >= r.state.epochs || r.model.stopTraining;
      if (mode === 'running' && !last && performance.now() - lastPost < POST_MS) return;
      const report: EpochReport = { epoch: epoch + 1, logs: all, layers: layerNorms(r.model), predicted: predictedClasses(r) };
      if (isToy(r.state.data)) report.heat = heatMap(r);
      draw(report);
      post({ type: 'epoch', logs: batch, report: { ...report, heat: undefined } });
      batch = [];
      lastPost = performance.now();
      await gate(r);
      if (r.aborted) r.model.stopTraining = true;
    },
  };
}

function startFit(r: Run): void {
  if (r.started) return;
  r.started = true;
  const { state: s, data, model } = r;
  const cbs: Callback[] = [];
  if (s.patience > 0 && data.validation) cbs.push(earlyStopping({ monitor: 'val_loss', patience: s.patience, restoreBestWeights: s.restoreBest }));
  cbs.push(reporter(r));
  r.fit = model
    .fit(data.train.x, data.train.y, {
      epochs: s.epochs,
      batchSize: s.batchSize,
      ...(data.validation ? { validationData: [data.validation.x, data.validation.y] as const } : {}),
      shuffle: true,
      seed: s.seed,
      verbose: 0,
      callbacks: cbs,
    })
    .then((h) => {
      if (r.aborted) return;
      r.finished = true;
      const final: Logs = {};
      scores(model, data.train, '', final);
      scores(model, data.validation, 'val_', final);
      scores(model, data.test, 'test_', final);
      const epochs = h.history['loss']?.length ?? 0;
      const val = h.history['val_loss'];
      if (s.patience > 0 && s.restoreBest && val?.length) {
        // Keras 3 restores the best weights at the end whether or not training stopped early.
        let best = 0;
        for (let i = 1; i < val.length; i++) if (val[i]! < val[best]!) best = i;
        markRestored(best);
      }
      // The pictures of the weights the run keeps (early stopping may have restored earlier ones).
      const report: EpochReport = { epoch: epochs, logs: {}, layers: layerNorms(model), predicted: predictedClasses(r) };
      if (isToy(s.data)) report.heat = heatMap(r);
      draw(report);
      post({ type: 'finished', epochs, reason: epochs < s.epochs ? 'early-stopping' : 'epochs', final, layers: report.layers });
    })
    .catch((e: unknown) => post({ type: 'error', message: (e as Error).message ?? String(e), where: 'internal' }));
}

async function stopCurrent(): Promise<void> {
  if (!run) return;
  run.aborted = true;
  run.model.stopTraining = true;
  release();
  await run.fit;
}

async function load(msg: Extract<ToWorker, { type: 'load' }>): Promise<void> {
  const bad = checkState(msg.state);
  if (bad) return post({ type: 'error', id: msg.id, message: bad, where: 'settings' });
  let csv: Run['csv'] = null;
  try {
    if (msg.csv) csv = 'text' in msg.csv ? msg.csv : { name: msg.csv.name, text: decodeCsv(msg.csv.name, msg.csv.bytes) };
    else if (msg.embedded) {
      const res = await fetch(new URL(`datasets/${msg.embedded}.csv`, location.href));
      if (!res.ok) throw new DataError(`could not load the embedded dataset ${msg.embedded} (HTTP ${res.status})`);
      csv = { name: `${msg.embedded}.csv`, text: await res.text() };
    }
    const data = prepare(msg.state, isToy(msg.state.data) ? null : csv);
    const model = buildModel(msg.state, { inputSize: data.info.inputSize, outputs: data.outputs, task: data.info.task, targetMean: data.targetMean });
    await stopCurrent();
    mode = 'paused';
    const fresh: Run = { state: msg.state, data, model, csv, started: false, finished: false, aborted: false, fit: null };
    run = fresh;
    const params = model.countParams();
    const initial: EpochReport = { epoch: 0, logs: {}, layers: layerNorms(model), predicted: predictedClasses(fresh) };
    if (isToy(msg.state.data)) initial.heat = heatMap(fresh);
    newRun(data.info.metric, data.info.points ?? null, initial, data.images);
    draw();
    post({ type: 'loaded', id: msg.id, info: data.info, params, initial: { ...initial, heat: undefined } });
  } catch (e) {
    // The previous run, its data and its model stay as they were.
    const where = e instanceof DataError || e instanceof RangeError ? 'data' : 'internal';
    post({ type: 'error', id: msg.id, message: (e as Error).message ?? String(e), where });
  }
}

function exportModel(): void {
  if (!run) return;
  const a = toArtifacts(run.model, { includeOptimizer: false });
  const bytes = toArrayBuffer(weightDataBytes(a.weightData, 'playground model'));
  const modelJson = {
    modelTopology: a.modelTopology,
    format: 'layers-model',
    generatedBy: a.generatedBy,
    convertedBy: a.convertedBy ?? null,
    weightsManifest: [{ paths: ['model.weights.bin'], weights: a.weightSpecs }],
  };
  post({ type: 'export', modelJson: JSON.stringify(modelJson), weights: bytes, csv: run.data.csvText }, [bytes]);
}

/** Runs `fn` after every earlier queued message; a failure is reported and the queue goes on. */
function enqueue(fn: () => void | Promise<void>): void {
  queue = queue.then(fn).catch((e: unknown) => post({ type: 'error', message: (e as Error)?.message ?? String(e), where: 'internal' }));
}

scope.onmessage = (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  switch (msg.type) {
    case 'init':
      enqueue(async () => {
        // The SIMD build, never the relaxed-SIMD one: relaxed fused multiply-adds may round
        // differently from machine to machine, and a shared link (or the equivalent
        // `regula train`) must repeat a run bit for bit.
        const b = await ready({ wasm: msg.wasmUrl, module: 'simd' });
        const threads = (b as { threads?: number }).threads ?? 1;
        post({ type: 'ready', backend: getBackend().name, threads, error: wasmLoadError()?.message ?? null });
      });
      break;
    case 'load':
      enqueue(() => load(msg));
      break;
    case 'play':
    case 'step':
      enqueue(() => {
        if (!run || run.finished) return;
        mode = msg.type === 'play' ? 'running' : 'step';
        startFit(run);
        release();
      });
      break;
    case 'pause':
      mode = 'paused';
      break;
    case 'canvases':
      setCanvases({ ...(msg.heat ? { heat: msg.heat } : {}), ...(msg.loss ? { loss: msg.loss } : {}), ...(msg.metric ? { metric: msg.metric } : {}), ...(msg.samples ? { samples: msg.samples } : {}), ...(msg.norms ? { norms: msg.norms } : {}) });
      break;
    case 'pin':
      pin(msg.on);
      break;
    case 'export':
      enqueue(exportModel);
      break;
  }
};
