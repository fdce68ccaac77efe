/**
 * Forbids spreading arrays into call arguments (`f(...xs)`, `a.push(...xs)`,
 * `Math.max(...xs)`, `new X(...xs)`) in src/, bench/, examples/ and scripts/
 * (test files exempt). Every element becomes an argument on the stack, so a
 * data-sized array throws "Maximum call stack size exceeded" (issue 9: a
 * 600k-row split died in `push(...slice)`); a loop, `Array.from` or
 * `reduce` has no such limit.
 *
 * Allowed without comment: spreading an array literal (`f(...[a, b])`) or a
 * rest parameter of the enclosing function (forwarding `...args`). Any other
 * spread needs a reason on its line or the line above, as a comment
 * `spread-ok: <why it is small>` — or an entry in `REVIEWED` below (uses
 * that predate this rule, each bounded by something other than data size).
 * Found with TypeScript's parser, so text in comments and strings never counts.
 *
 * Usage: `node --import tsx scripts/check-spread.ts [root]` — prints each
 * offender as `file:line: call — rule` and exits 1 if there are any.
 */
import { readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { listTs as listFiles } from './list-ts.js';

/** Folders checked, relative to the root. */
export const CHECKED = ['src', 'bench', 'examples', 'scripts'];

/**
 * Spreads reviewed when the rule came in: file → spread expressions (source
 * text) allowed there. All are bounded by rank, arity, epoch count, number of
 * report rows or path depth, never by the number of data rows.
 */
export const REVIEWED: Readonly<Record<string, readonly string[]>> = {
  'bench/regula.ts': ['perEpoch'], // one number per epoch
  'bench/report.ts': ['rows.map((r) => (r[i] ?? \'\').length)', 'rssFit', 'errs', 'notes'], // table rows, messages
  'bench/run.ts': ['ms'], // measurements of one runner
  'examples/early-stopping.ts': ['val'], // one loss per epoch
  'examples/nonneg-conv1d.ts': ['kernel'], // a small conv kernel
  'src/autograd/gradcheck.ts': ['xs'], // the inputs of f (arity)
  'src/cli/atomic-output.ts': ['tail.reverse()'], // path segments
  'src/cli/train-run.ts': ['(s.callbacks ?? [])'], // user callbacks
  'src/io/fs.ts': ['segs'], // path segments
  'src/io/generation.ts': ['Object.values(meta.extraFiles ?? {})'], // a few named files
  'src/io/model-dir.ts': ['g.weights'], // weight specs of one group
  'src/models/summary.ts': ['cells.map((r) => r[0]!.length + 1)', 'cells.map((r) => r[1]!.length + 1)'], // one per layer
  'src/optimizers/optimizer.ts': ['(args.varNames ?? [])'], // variable names
  'src/report/report-data.ts': ['all.map((r) => (r[j] ?? \'\').length)'], // report table rows
};

export interface SpreadOffence {
  /** Path relative to the root, '/'-separated. */
  readonly file: string;
  readonly line: number;
  /** The call, cut to 80 characters. */
  readonly call: string;
}

export const RULE = 'spread of an array into call arguments (stack overflow on large arrays); use a loop, or say why it is small with a `spread-ok:` comment';

const listTs = (dir: string): string[] => listFiles(dir, (n) => n.endsWith('.ts') && !n.endsWith('.d.ts') && !n.endsWith('.test.ts'));

/** True when `name` is a rest parameter of a function enclosing `node`. */
function isRestParameter(node: ts.Node, name: string): boolean {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isFunctionLike(n) && n.parameters.some((p) => p.dotDotDotToken && ts.isIdentifier(p.name) && p.name.text === name)) return true;
  }
  return false;
}

/** Offending spreads of one source text. */
export function spreadOffences(file: string, text: string): SpreadOffence[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const lines = text.split('\n');
  const reviewed = REVIEWED[file] ?? [];
  const out: SpreadOffence[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isSpreadElement(n) && (ts.isCallExpression(n.parent) || ts.isNewExpression(n.parent))) {
      const e = n.expression;
      const line = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line;
      const ok =
        ts.isArrayLiteralExpression(e) ||
        (ts.isIdentifier(e) && isRestParameter(n, e.text)) ||
        reviewed.includes(e.getText(sf)) ||
        /spread-ok:/.test(lines[line] ?? '') ||
        /spread-ok:/.test(lines[line - 1] ?? '');
      if (!ok) out.push({ file, line: line + 1, call: n.parent.getText(sf).replace(/\s+/g, ' ').slice(0, 80) });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** All offences under `root`, in file order. */
export function checkSpread(root: string): SpreadOffence[] {
  const out: SpreadOffence[] = [];
  for (const dir of CHECKED) {
    for (const abs of listTs(join(root, dir))) {
      const file = relative(root, abs).split(sep).join('/');
      for (const o of spreadOffences(file, readFileSync(abs, 'utf8'))) out.push(o);
    }
  }
  return out;
}

function main(): void {
  const root = resolve(process.argv[2] ?? '.');
  const offences = checkSpread(root);
  for (const o of offences) console.error(`${o.file}:${o.line}: ${o.call} — ${RULE}`);
  if (offences.length > 0) {
    console.error(`check-spread: ${offences.length} array spread(s) into call arguments`);
    process.exit(1);
  }
  console.log('check-spread: ok');
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
