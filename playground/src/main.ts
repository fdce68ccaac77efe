/**
 * The playground page: the panel's state (mirrored in the URL), the worker
 * that trains, pin-and-compare, the score table and the downloads. The
 * page's thread only keeps the form and the text: the worker computes every
 * number and draws the pictures on the canvases the page handed it.
 */
import { $, initPanel, readPanel, showColumns, showDataKind, writePanel } from './panel.js';
import { normCaption } from './charts.js';
import { trainCommand } from './command.js';
import { checkState, isToy, stateFromQuery, stateToQuery, words, type PlaygroundState } from './state.js';
import { download, renderScores } from './outputs.js';
import type { DataInfo, EpochReport, FromWorker, ToWorker } from './protocol.js';

interface RunView {
  label: string;
  history: Record<string, number[]>;
  final: Record<string, number> | null;
  metric: string;
}

const worker = new Worker(new URL('worker.js', import.meta.url), { type: 'module' });
const send = (m: ToWorker): void => worker.postMessage(m);

const parsed = stateFromQuery(location.search);
let state: PlaygroundState = parsed.state;
/** Loads sent to the worker and not answered yet, by id. */
const pending = new Map<number, { state: PlaygroundState; csv: { name: string; bytes: ArrayBuffer } | null }>();
let nextLoad = 1;
let userCsv: { name: string; bytes: ArrayBuffer } | null = null;
let info: DataInfo | null = null;
let current: RunView = { label: '', history: {}, final: null, metric: 'accuracy' };
let pinned: RunView | null = null;
let lastReport: EpochReport | null = null;
/** What the run on show is doing, as `body[data-state]` says once no load is on its way. */
let runState: 'loaded' | 'finished' = 'loaded';
let running = false;
let finished = false;
let drawQueued = false;

function setMessage(id: 'data-message' | 'settings-message', text: string): void {
  $(id).textContent = text;
}

function describe(s: PlaygroundState): string {
  const reg = s.layers
    .map((l, i) => {
      const parts = Object.entries(l).filter(([k, v]) => typeof v === 'number' && v > 0 && k !== 'maxNorm').map(([k, v]) => `${words(k)} ${v}`);
      if (l.constraint !== 'none') parts.push(l.constraint === 'maxNorm' ? `maxNorm ${l.maxNorm}` : l.constraint);
      return parts.length ? `layer ${i + 1}: ${parts.join(', ')}` : '';
    })
    .filter(Boolean);
  if (s.weightDecay > 0) reg.push(`weight decay ${s.weightDecay}`);
  if (s.patience > 0) reg.push(`early stopping ${s.patience}`);
  return reg.length ? reg.join('; ') : 'no regularization';
}

/** Starts a fresh run of `next` (the worker keeps the old one if the data is refused). */
function load(next: PlaygroundState, csv?: { name: string; bytes: ArrayBuffer }): void {
  const id = nextLoad++;
  const msg: ToWorker = { type: 'load', id, state: next };
  const file = next.data === 'csv' ? csv ?? userCsv : null;
  if (next.data === 'csv') {
    if (!file) {
      setMessage('data-message', next.csvName ? `choose the file ${next.csvName} again (files are not part of the link)` : 'choose a CSV file');
      writePanel(state);
      return;
    }
    msg.csv = { name: file.name, bytes: file.bytes.slice(0) };
  } else if (!isToy(next.data)) msg.embedded = next.data;
  pending.set(id, { state: next, csv: file });
  document.body.dataset['state'] = 'loading';
  updateTransport();
  setStatus('loading…');
  send(msg);
}

function onChange(): void {
  const next = readPanel(state);
  const bad = checkState(next);
  setMessage('settings-message', bad ?? '');
  if (bad) return;
  if (next.hidden.length !== state.hidden.length) writePanel(next);
  load(next);
}

/** The status line: the backend, then the run's state. */
let backendText = '';
let runText = '';
let runTextBefore = '';
function setStatus(run: string, backend = backendText): void {
  if (run === 'loading…' && runText !== 'loading…') runTextBefore = runText;
  runText = run;
  backendText = backend;
  $('status').textContent = [backendText, runText].filter(Boolean).join('; ');
}

function updateTransport(): void {
  const play = $<HTMLButtonElement>('play');
  play.textContent = running ? '❚❚ Pause' : '▶ Play';
  play.setAttribute('aria-label', running ? 'Pause' : 'Play');
  // While a load is on its way the controls wait for it (a Play now would be answered by the old run's state).
  const busy = info === null || pending.size > 0;
  play.disabled = finished || busy;
  $<HTMLButtonElement>('step').disabled = running || finished || busy;
  $<HTMLButtonElement>('pin').disabled = (current.history['loss']?.length ?? 0) === 0;
  $('unpin').hidden = pinned === null;
}

/** The page's share of a report: text only (the worker draws the pictures on the canvases it was given). */
function redraw(): void {
  drawQueued = false;
  const m = current.metric;
  const note = pinned ? '; pinned run in grey' : '';
  setText('metric-cap', `${m === 'mae' ? 'Mean absolute error' : 'Accuracy'} — train (solid), validation (dashed), test (dotted)${note}`);
  setText('loss-cap', `Loss — train (solid), validation (dashed), test (dotted)${note}`);
  const caps = $('norms').querySelectorAll('figcaption');
  lastReport?.layers.forEach((l, i) => caps[i] && caps[i].textContent !== normCaption(l) && (caps[i].textContent = normCaption(l)));
  renderScores($('scores'), current, pinned, info?.task ?? 'classification');
  setText('epoch', `epoch ${current.history['loss']?.length ?? 0} / ${state.epochs}`);
  updateTransport();
}

/** ', weights of epoch N restored' when early stopping restored the best weights (Keras 3: at the end, stopped early or not). */
function restoredNote(): string {
  const v = current.history['val_loss'];
  if (state.patience === 0 || !state.restoreBest || !v?.length) return '';
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! < v[best]!) best = i;
  return `, weights of epoch ${best + 1} restored`;
}

function setText(id: string, text: string): void {
  const el = $(id);
  if (el.textContent !== text) el.textContent = text;
}

/** New histogram canvases for a run's layers, handed to the worker. */
function normCanvases(layers: readonly { layer: string }[]): void {
  const figs = layers.map((l) => {
    const fig = document.createElement('figure');
    const c = document.createElement('canvas');
    c.width = 160;
    c.height = 80;
    c.setAttribute('role', 'img');
    c.setAttribute('aria-label', `Histogram of unit weight norms of ${l.layer}`);
    fig.append(c, document.createElement('figcaption'));
    return fig;
  });
  $('norms').replaceChildren(...figs);
  const norms = figs.map((f) => f.querySelector('canvas')!.transferControlToOffscreen());
  worker.postMessage({ type: 'canvases', norms } satisfies ToWorker, norms);
}

/** Redraws at most every DRAW_MS: the page's thread stays idle most of the time while the worker trains. */
const DRAW_MS = 200;
let lastDraw = 0;
function queueDraw(): void {
  if (drawQueued) return;
  drawQueued = true;
  const wait = Math.max(0, lastDraw + DRAW_MS - performance.now());
  setTimeout(() => requestAnimationFrame(() => {
    lastDraw = performance.now();
    redraw();
  }), wait);
}

worker.onmessage = (e: MessageEvent<FromWorker>) => {
  const m = e.data;
  switch (m.type) {
    case 'ready':
      setStatus(runText, `${m.backend} backend, ${m.threads} thread${m.threads === 1 ? '' : 's'}${m.error ? ` (${m.error})` : ''}`);
      document.body.dataset['backend'] = m.backend;
      break;
    case 'loaded': {
      const sent = pending.get(m.id)!;
      for (const id of pending.keys()) if (id <= m.id) pending.delete(id);
      state = sent.state;
      if (state.data === 'csv') {
        state = { ...state, target: m.info.target };
        userCsv = sent.csv ?? userCsv;
        ($('csv-option') as HTMLOptionElement).disabled = false;
        showColumns(m.info.columns, m.info.target);
      }
      info = m.info;
      running = false;
      finished = false;
      current = { label: describe(state), history: {}, final: null, metric: m.info.metric };
      lastReport = m.initial;
      normCanvases(m.initial.layers);
      history.replaceState(null, '', `?${stateToQuery(state)}`);
      // The form already shows this state (and maybe newer edits): only the data-kind switches follow it.
      if (pending.size === 0) showDataKind(state);
      setMessage('data-message', '');
      const s = m.info.split;
      $('data-info').textContent = `${m.info.name}: ${m.info.rows} rows, ${m.info.inputSize} inputs, ${m.info.task}${m.info.classes ? ` (${m.info.classes.length} classes)` : ''}; train ${s.train} / validation ${s.validation} / test ${s.test}; ${m.params} weights`;
      $<HTMLTextAreaElement>('command').value = trainCommand(state, m.info.csvName, m.info.target);
      updateTransport();
      // 'loaded' once the last requested load is in (tests and scripts wait for it).
      runState = 'loaded';
      document.body.dataset['state'] = pending.size === 0 ? 'loaded' : 'loading';
      setStatus('ready');
      queueDraw();
      break;
    }
    case 'epoch': {
      for (const logs of m.logs) for (const [k, v] of Object.entries(logs)) (current.history[k] ??= []).push(v);
      lastReport = m.report;
      document.body.dataset['epochs'] = String(m.report.epoch);
      queueDraw();
      break;
    }
    case 'finished':
      running = false;
      finished = true;
      current.final = m.final;
      if (lastReport) lastReport = { ...lastReport, layers: m.layers };
      setStatus(`${m.reason === 'early-stopping' ? `stopped early after ${m.epochs} epochs` : `finished ${m.epochs} epochs`}${restoredNote()}`);
      redraw(); // the final numbers at once (a queued draw may still come; it finds nothing to change)
      runState = 'finished';
      document.body.dataset['state'] = pending.size === 0 ? 'finished' : 'loading';
      break;
    case 'export':
      onExport(m);
      break;
    case 'error':
      if (m.where === 'internal') console.warn(`playground worker: ${m.message}`);
      setMessage(m.where === 'settings' ? 'settings-message' : 'data-message', m.message);
      if (m.id !== undefined) pending.delete(m.id);
      // The refused load leaves the previous run, so the form shows the previous state again.
      if (pending.size === 0 && m.where !== 'internal') writePanel(state);
      if (pending.size === 0) document.body.dataset['state'] = info ? runState : 'empty';
      updateTransport();
      document.body.dataset['error'] = m.message;
      setStatus(runTextBefore);
      $<HTMLInputElement>('file').value = ''; // the same file, fixed, can be chosen again
      break;
  }
};

let exportWanted: 'model' | 'csv' | 'report' = 'model';
function onExport(m: Extract<FromWorker, { type: 'export' }>): void {
  if (exportWanted === 'model') {
    download('model.json', new Blob([m.modelJson], { type: 'application/json' }));
    download('model.weights.bin', new Blob([m.weights], { type: 'application/octet-stream' }));
  } else if (exportWanted === 'csv') {
    download(info?.csvName ?? 'data.csv', new Blob([m.csv], { type: 'text/csv' }));
  } else {
    void import('./report.js').then(({ reportHtml }) =>
      reportHtml(state, info!, current, pinned).then((html) => download('regula-playground-report.html', new Blob([html], { type: 'text/html' }))),
    );
  }
}

function wire(): void {
  initPanel();
  writePanel(state);
  if (parsed.problems.length) setMessage('settings-message', `link: ${parsed.problems.join('; ')}`);
  for (const el of Array.from(document.querySelectorAll('#data-panel select, #data-panel input:not([type=file]), #model-panel input, #model-panel select'))) {
    el.addEventListener('change', onChange);
  }
  $('model-panel').addEventListener('change', (e) => {
    if ((e.target as HTMLElement).closest('#reg')) onChange();
  });
  $('play').addEventListener('click', () => {
    running = !running;
    send({ type: running ? 'play' : 'pause' });
    updateTransport();
  });
  $('step').addEventListener('click', () => send({ type: 'step' }));
  $('reset').addEventListener('click', () => load(state));
  $('pin').addEventListener('click', () => {
    pinned = structuredClone(current);
    send({ type: 'pin', on: true });
    queueDraw();
  });
  $('unpin').addEventListener('click', () => {
    pinned = null;
    send({ type: 'pin', on: false });
    queueDraw();
  });
  const askExport = (what: typeof exportWanted) => () => {
    exportWanted = what;
    send({ type: 'export' });
  };
  $('dl-model').addEventListener('click', askExport('model'));
  $('dl-csv').addEventListener('click', askExport('csv'));
  $('dl-report').addEventListener('click', askExport('report'));
  $('copy-link').addEventListener('click', () => {
    const copied = navigator.clipboard ? navigator.clipboard.writeText(location.href) : Promise.reject(new Error('no clipboard'));
    copied.then(
      () => setStatus('link copied'),
      () => setStatus(`copy the address bar: this page's URL is the link`),
    );
  });
  const takeFile = async (file: File): Promise<void> => {
    const bytes = await file.arrayBuffer();
    const next = { ...state, data: 'csv' as const, csvName: file.name, target: '' };
    load(next, { name: file.name, bytes });
  };
  $<HTMLInputElement>('file').addEventListener('change', (e) => {
    const f = (e.target as HTMLInputElement).files?.[0];
    if (f) void takeFile(f);
  });
  document.addEventListener('dragover', (e) => {
    e.preventDefault();
    $('drop').classList.add('over');
  });
  document.addEventListener('dragleave', () => $('drop').classList.remove('over'));
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    $('drop').classList.remove('over');
    const f = e.dataTransfer?.files[0];
    if (f) void takeFile(f);
  });
  const off = (id: string): OffscreenCanvas => $<HTMLCanvasElement>(id).transferControlToOffscreen();
  const canvases = { heat: off('heat'), loss: off('loss'), metric: off('metric'), samples: off('digit-samples') };
  worker.postMessage({ type: 'canvases', ...canvases } satisfies ToWorker, [canvases.heat, canvases.loss, canvases.metric, canvases.samples]);
  send({ type: 'init', wasmUrl: new URL('regula.wasm', import.meta.url).href });
  load(state);
}

/** Read-only view for tests and the console: the runs' per-epoch numbers. */
(globalThis as { regulaPlayground?: unknown }).regulaPlayground = {
  get current(): RunView {
    return structuredClone(current);
  },
  get pinned(): RunView | null {
    return structuredClone(pinned);
  },
};

wire();
