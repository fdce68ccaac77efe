/**
 * `regula predict`: applies a saved model to a CSV (the target column may be
 * absent) and writes one row of predictions per input row: the predicted
 * class and each class's probability, or the predicted value. The output file
 * is written atomically.
 */
import { Command, Option } from 'commander';
import { initBackend } from './backend-init.js';
import { checkOutputFile, writeFileAtomic } from './atomic-output.js';
import { encodeInput, loadSavedModel, predictRows } from './saved-model.js';

/** Flags of `regula predict`. */
export interface PredictFlags {
  model: string;
  data: string;
  labels?: string;
  encoding?: 'utf8' | 'latin1';
  out?: string;
  force?: boolean;
}

/** A predictions CSV as Regula writes it (its header), which predict may replace. */
function isPredictionsCsv(head: string): boolean {
  return /^"?prediction"?(,|\r?\n)/.test(head);
}

/** Quotes a CSV field when it needs it (RFC 4180). */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

const show = (v: number): string => String(Number(v.toPrecision(7)));

/** Builds the predictions CSV text. */
export function predictionsCsv(values: Float32Array, outputs: number, rows: number, classes: readonly string[] | null): string {
  const lines: string[] = [];
  if (classes) {
    lines.push(['prediction', ...classes.map((c) => `p_${c}`)].map(csvField).join(','));
    for (let i = 0; i < rows; i++) {
      const p = values.subarray(i * outputs, (i + 1) * outputs);
      let arg = 0;
      for (let c = 1; c < outputs; c++) if (p[c]! > p[arg]!) arg = c;
      lines.push([csvField(classes[arg]!), ...Array.from(p, show)].join(','));
    }
  } else {
    lines.push('prediction');
    for (let i = 0; i < rows; i++) lines.push(show(values[i * outputs]!));
  }
  return `${lines.join('\n')}\n`;
}

/** Runs `regula predict`; returns the CSV text (written to --out or stdout). */
export async function runPredict(o: PredictFlags): Promise<string> {
  if (o.out !== undefined) checkOutputFile(o.out, '--out', { inputs: [o.data, o.labels, o.model], force: o.force === true, ours: isPredictionsCsv });
  await initBackend();
  const saved = await loadSavedModel(o.model);
  const data = encodeInput(saved, o.data, o.labels, false, o.encoding);
  const { values, outputs } = predictRows(saved, data);
  const csv = predictionsCsv(values, outputs, data.rows, saved.pre.classes);
  if (o.out !== undefined) {
    writeFileAtomic(o.out, csv);
    process.stderr.write(`regula predict: ${data.rows} predictions written to ${o.out}\n`);
  } else process.stdout.write(csv);
  return csv;
}

/** The `predict` command. */
export function predictCommand(): Command {
  return new Command('predict')
    .description('predict with a saved model (regula train --out DIR) on a CSV')
    .requiredOption('--model <dir>', 'model directory written by regula train')
    .requiredOption('--data <file>', 'CSV with the training feature columns (the target column is optional), or IDX images')
    .addOption(new Option('--encoding <name>', 'text encoding of a CSV --data file (bytes that are not UTF-8 are an error by default)').choices(['utf8', 'latin1']).default('utf8'))
    .option('--labels <file>', 'IDX labels for IDX images (optional)')
    .option('--out <preds.csv>', 'write the predictions here (atomically) instead of stdout; an existing file is replaced only if it is a Regula predictions CSV')
    .option('--force', 'replace an existing --out file even if Regula did not write it')
    .action(async (o: PredictFlags) => {
      await runPredict(o);
    });
}
