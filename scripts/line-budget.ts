/**
 * The file-size budget of STYLE.md: every `.ts` file under src/ and assembly/
 * stays at or under 800 lines (hard limit: exit 1) and ideally under 400
 * (a warning, printed but allowed).
 *
 * Usage: `node --import tsx scripts/line-budget.ts [root]`.
 */
import { readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { listTs as listFiles } from './list-ts.js';

export const HARD_LIMIT = 800;
export const SOFT_LIMIT = 400;
export const BUDGET_DIRS = ['src', 'assembly'];

export interface FileLines {
  /** Path relative to the root, '/'-separated. */
  file: string;
  lines: number;
}

export interface BudgetReport {
  /** Files over HARD_LIMIT lines, longest first. */
  over: FileLines[];
  /** Files over SOFT_LIMIT (and within HARD_LIMIT), longest first. */
  warn: FileLines[];
  /** Number of files checked. */
  checked: number;
}

/** Lines of a text: the number of newline-terminated lines, plus a final unterminated one. */
export function countLines(text: string): number {
  if (text.length === 0) return 0;
  const n = text.split('\n').length;
  return text.endsWith('\n') ? n - 1 : n;
}

const listTs = (dir: string): string[] => listFiles(dir, (n) => n.endsWith('.ts'));

/** Measures every .ts file under `root`/{src, assembly}. */
export function lineBudget(root: string): BudgetReport {
  const files = BUDGET_DIRS.flatMap((d) => listTs(join(root, d))).map((abs) => ({
    file: relative(root, abs).split(sep).join('/'),
    lines: countLines(readFileSync(abs, 'utf8')),
  }));
  const byLength = (a: FileLines, b: FileLines): number => b.lines - a.lines || a.file.localeCompare(b.file);
  return {
    over: files.filter((f) => f.lines > HARD_LIMIT).sort(byLength),
    warn: files.filter((f) => f.lines > SOFT_LIMIT && f.lines <= HARD_LIMIT).sort(byLength),
    checked: files.length,
  };
}

function main(): void {
  const root = resolve(process.argv[2] ?? '.');
  const r = lineBudget(root);
  for (const f of r.warn) console.warn(`warning: ${f.file} has ${f.lines} lines (ideally ≤ ${SOFT_LIMIT})`);
  for (const f of r.over) console.error(`error: ${f.file} has ${f.lines} lines (limit ${HARD_LIMIT})`);
  if (r.over.length > 0) {
    console.error(`line-budget: ${r.over.length} file(s) over ${HARD_LIMIT} lines`);
    process.exit(1);
  }
  console.log(`line-budget: ok (${r.checked} files, ${r.warn.length} over ${SOFT_LIMIT})`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
