/**
 * `regula evaluate`: scores a saved model on a labelled CSV, encoding it with
 * the model's saved preprocessing (same columns, categories and scaling).
 */
import { Command, Option } from 'commander';
import { formatNumber, formatTextTable } from '../report/report-data.js';
import { initBackend } from './backend-init.js';
import { encodeInput, loadSavedModel, predictRows } from './saved-model.js';
import { classificationScores, regressionScores } from './scores.js';
import { UsageError } from './cli-error.js';

/** Flags of `regula evaluate`. */
export interface EvaluateFlags {
  model: string;
  data: string;
  labels?: string;
  encoding?: 'utf8' | 'latin1';
  json?: boolean;
}

/** Runs `regula evaluate`; returns the scores (also printed). */
export async function runEvaluate(o: EvaluateFlags): Promise<Record<string, number>> {
  await initBackend();
  const saved = await loadSavedModel(o.model);
  const data = encodeInput(saved, o.data, o.labels, true, o.encoding);
  const target = data.target!;
  const { values, outputs } = predictRows(saved, data);
  let scores: Record<string, number>;
  if (target.task === 'classification') {
    if (outputs !== target.classes.length) throw new UsageError(`--model ${o.model}: the model has ${outputs} outputs but the data have ${target.classes.length} classes`);
    scores = classificationScores(values, outputs, target.labels);
  } else {
    if (outputs !== 1) throw new UsageError(`--model ${o.model}: a regression model needs 1 output, got ${outputs}`);
    scores = regressionScores(values, target.values);
  }
  if (o.json) console.log(JSON.stringify(scores));
  else {
    const rows = Object.entries(scores).map(([k, v]) => [k, k === 'rows' ? String(v) : formatNumber(v)]);
    console.log(formatTextTable({ header: ['metric', 'value'], rows }));
  }
  return scores;
}

/** The `evaluate` command. */
export function evaluateCommand(): Command {
  return new Command('evaluate')
    .description('score a saved model (regula train --out DIR) on a labelled CSV')
    .requiredOption('--model <dir>', 'model directory written by regula train')
    .requiredOption('--data <file>', 'CSV with the training columns and the target (or IDX images)')
    .addOption(new Option('--encoding <name>', 'text encoding of a CSV --data file (bytes that are not UTF-8 are an error by default)').choices(['utf8', 'latin1']).default('utf8'))
    .option('--labels <file>', 'IDX labels for IDX images')
    .option('--json', 'print the scores as one JSON object')
    .action(async (o: EvaluateFlags) => {
      await runEvaluate(o);
    });
}
