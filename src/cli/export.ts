/**
 * `regula export --model DIR --format keras --out model.keras`: a model
 * directory written by `regula train` as a Keras 3 archive (config.json with
 * the compile config, model.weights.h5 with the optimizer state), its
 * preprocessing carried inside as `regula/preprocessing.json` so `regula
 * evaluate|predict --model model.keras` work on it, and on the archive Keras
 * saves after training once that member is copied back (docs/scale-out.md).
 *
 * The output is written atomically; an existing file is replaced only when
 * Regula wrote it (its metadata.json says so) or with --force.
 */
import { Command, Option } from 'commander';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { initBackend } from './backend-init.js';
import { checkOutputFile, writeFileAtomic } from './atomic-output.js';
import { UsageError } from './cli-error.js';
import { loadSavedModel, PREPROCESSING_JSON } from './saved-model.js';
import { readExtraFile } from '../io/model-dir.js';
import type { Model } from '../models/model.js';

/** Flags of `regula export`. */
export interface ExportFlags {
  model: string;
  format: 'keras';
  out: string;
  force?: boolean;
  optimizer?: boolean;
}

/** True when the first bytes are a .keras archive whose stored metadata.json names Regula. */
export function isRegulaKeras(head: string): boolean {
  return head.startsWith('PK\u0003\u0004') && head.includes('metadata.json') && head.includes('"saved_by":"Regula');
}

/** Runs `regula export`; returns the archive's size in bytes. */
export async function runExport(o: ExportFlags): Promise<number> {
  if (o.format !== 'keras') throw new UsageError(`--format ${o.format}: only 'keras' (a Keras 3 .keras archive) is supported`);
  if (!/\.keras$/i.test(o.out)) throw new UsageError(`--out ${o.out}: a Keras 3 archive must end in .keras (keras.saving.load_model refuses other names)`);
  checkOutputFile(o.out, '--out', { inputs: [o.model], force: o.force === true, ours: isRegulaKeras });
  await initBackend();
  const saved = await loadSavedModel(o.model);
  const pre = /\.keras$/i.test(o.model) ? JSON.stringify(saved.pre.toJSON()) : await readExtraFile(o.model, PREPROCESSING_JSON);
  const { kerasArchiveBytes } = await import('../models/keras3.js');
  let bytes: Uint8Array;
  try {
    bytes = await kerasArchiveBytes(saved.model, { ...(o.optimizer === false ? { includeOptimizer: false } : {}), extraFiles: [{ name: PREPROCESSING_JSON, data: pre ?? '' }] });
  } catch (e) {
    throw new UsageError(`--model ${o.model}: cannot be exported to Keras 3: ${(e as Error).message.replace(/^save: /, '')}`);
  }
  writeFileAtomic(o.out, bytes);
  const m = saved.model;
  process.stderr.write(`regula export: ${o.model} → ${o.out} (Keras 3 archive, ${bytes.length} bytes: ${m.className === 'Sequential' ? 'Sequential' : 'Functional'} with ${m.layers.length} layers, ${m.countParams()} parameters${m.compiled && o.optimizer !== false ? ', compiled, with optimizer state' : ''})\n`);
  return bytes.length;
}

/**
 * Loads a `.keras` file for `evaluate`/`predict`: the model and the
 * preprocessing text — from the archive's `regula/preprocessing.json`, else
 * from `<name>.preprocessing.json` beside it.
 */
export async function loadKerasForCli(path: string, flag: string): Promise<{ model: Model; preprocessing: string }> {
  if (!existsSync(path) || !statSync(path).isFile()) throw new UsageError(`${flag} ${path}: file not found`);
  const [{ loadKerasFile }, { modelFromTopology }] = await Promise.all([import('../models/keras3.js'), import('../models/save-load.js')]);
  const { model, extra } = await loadKerasFile(path, modelFromTopology, { extraFiles: [PREPROCESSING_JSON] });
  const inside = extra.get(PREPROCESSING_JSON);
  if (inside !== undefined) return { model, preprocessing: new TextDecoder().decode(inside) };
  const beside = path.replace(/\.keras$/i, `.${PREPROCESSING_JSON}`);
  if (existsSync(beside)) return { model, preprocessing: readFileSync(beside, 'utf8') };
  throw new UsageError(`${flag} ${path}: the archive holds no regula/${PREPROCESSING_JSON} and there is no ${beside}; export models with regula export, and copy that member into archives Keras saves (docs/scale-out.md)`);
}

/** The `export` command. */
export function exportCommand(): Command {
  return new Command('export')
    .description('export a saved model (regula train --out DIR) as a Keras 3 .keras archive')
    .requiredOption('--model <dir>', 'model directory written by regula train (or a .keras file)')
    .addOption(new Option('--format <name>', 'output format').choices(['keras']).default('keras'))
    .requiredOption('--out <file.keras>', 'the archive to write (atomically); an existing file is replaced only if Regula wrote it')
    .option('--no-optimizer', 'leave out the compile config and optimizer state')
    .option('--force', 'replace an existing --out file even if Regula did not write it')
    .action(async (o: ExportFlags) => {
      await runExport(o);
    });
}
