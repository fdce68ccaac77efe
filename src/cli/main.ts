#!/usr/bin/env node
/**
 * The `regula` command line: dispatch only. Each command lives in its own
 * file (demo, train, compare, evaluate, predict). Bad input — a flag value,
 * a missing file, bad data, a broken model directory — prints ONE line on
 * stderr and exits with code 2; an internal error exits with code 1.
 */
import { Command, CommanderError } from 'commander';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { errorLine, EXIT_BAD_INPUT, EXIT_INTERNAL, isInputError } from './cli-error.js';
import { compareCommand } from './compare.js';
import { demoCommand } from './demo.js';
import { evaluateCommand } from './evaluate.js';
import { exportCommand } from './export.js';
import { playgroundCommand } from './playground.js';
import { predictCommand } from './predict.js';
import { InterruptedRun, trainCommand } from './train.js';
import { tuneCommand } from './tune.js';

const VERSION = '0.1.0';
const EXAMPLES = `
Examples:
  regula demo                                   all regimes on digits, report in regula-report/
  regula demo --dataset breast_cancer --out bc-report
  regula train --data my.csv --target label --hidden 256,128 --dropout 0.5 --l2 1e-4 \\
               --max-norm 3 --early-stopping 10 --out my-model
  regula compare --data my.csv --target label --l2 0,1e-4,1e-3 --dropout 0,0.25,0.5 --folds 5
  regula evaluate --model my-model --data new.csv
  regula predict --model my-model --data new.csv --out preds.csv
  regula playground                             the browser playground at http://127.0.0.1:8080/

Bad input (flags, files, data) exits with code 2 and one line on stderr.`;
const COMMANDS = new Set(['demo', 'train', 'compare', 'evaluate', 'predict', 'tune', 'export', 'playground']);

/** Builds the program (exits are thrown as CommanderError, never taken). */
export function program(argv: () => readonly string[]): Command {
  const p = new Command('regula')
    .description('Regula: train neural networks that generalize — regularizers, constraints, dropout, noise, early stopping')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .showSuggestionAfterError(true)
    .addHelpText('after', EXAMPLES);
  for (const cmd of [demoCommand(argv), trainCommand(argv), compareCommand(argv), evaluateCommand(), predictCommand(), tuneCommand(argv), exportCommand(), playgroundCommand()]) {
    p.addCommand(cmd.exitOverride().configureOutput({ outputError: () => {} }).showSuggestionAfterError(true));
  }
  return p;
}

/** Commander codes that are a normal end (help, version). */
const CLEAN_EXITS = new Set(['commander.helpDisplayed', 'commander.version', 'commander.help']);

/**
 * Runs the CLI on `args` (without `node` and the script) and returns the exit code.
 */
export async function main(args: readonly string[]): Promise<number> {
  const command = COMMANDS.has(args[0] ?? '') ? args[0]! : '';
  if (args.length === 0) {
    process.stderr.write(program(() => args).helpInformation());
    return EXIT_BAD_INPUT;
  }
  try {
    await program(() => args).parseAsync([...args], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError && CLEAN_EXITS.has(e.code)) return 0;
    if (e instanceof InterruptedRun) {
      process.stderr.write(`${errorLine(command, e)}\n`);
      return e.exitCode;
    }
    if (isInputError(e)) {
      process.stderr.write(`${errorLine(command, e)}\n`);
      return EXIT_BAD_INPUT;
    }
    process.stderr.write(`${errorLine(command, e)}\n`);
    if (process.env['REGULA_DEBUG'] && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    return EXIT_INTERNAL;
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/**
 * A closed stdout (`regula predict … | head -1`) ends the program quietly:
 * the reader has what it wanted, so this is not an error.
 */
function quietOnBrokenPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(0);
      throw e;
    });
  }
}

if (isEntryPoint()) {
  quietOnBrokenPipe();
  const code = await main(process.argv.slice(2));
  // Worker threads of the wasm backend are unref'd; set the code and let the process end on its own.
  process.exitCode = code;
}
