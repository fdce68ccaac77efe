/**
 * Enforces the layering rules of docs/architecture.md on src/:
 *
 * 1. `src/layers/`, `src/models/`, `src/callbacks/`, `src/optimizers/` never
 *    import `src/backend/` (they compose ops; fused kernels are exposed as ops).
 * 2. Only `src/io/fs.ts`, `src/cli/`, `src/report/` and `src/data/` import Node
 *    built-ins (`node:*` or a bare built-in name such as `fs`), so everything
 *    else runs in a browser.
 * 3. `src/config/` is the bottom of the stack: it imports only other
 *    `src/config/` files at run time, and `src/tensor/` or `src/random.ts`
 *    for types only (`import type` / `export type`).
 * 4. The modules layers use by direct import (`CONFIG_USERS`: initializers,
 *    regularizers, constraints, activations, custom-objects) never import
 *    `src/layers/`, so no import order matters and no cycle forms.
 * 3. `src/io/` never imports `src/models/` or `src/callbacks/`: io sits below
 *    models (models/ turns a model into artifacts and calls io; io only moves
 *    artifacts to and from files), so the two cannot form an import cycle.
 *
 * Test files (`*.test.ts`) are exempt: tests may use Node and the backends.
 * Imports are found with TypeScript's own scanner (`ts.preProcessFile`):
 * static imports, `import type`, re-exports, dynamic `import()` and
 * `require()`, never text inside comments or strings.
 *
 * Usage: `node --import tsx scripts/check-imports.ts [root]` — prints each
 * offender as `file:line: specifier — rule` and exits 1 if there are any.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { listTs as listFiles } from './list-ts.js';

/** Folders (relative to the root, '/'-separated) that must not import src/backend/. */
export const NO_BACKEND = ['src/layers/', 'src/models/', 'src/callbacks/', 'src/optimizers/'];
/** Files and folders of src/ that may import Node built-ins. */
export const NODE_ALLOWED = ['src/io/fs.ts', 'src/cli/', 'src/report/', 'src/data/'];
/** The bottom folder, and what it may import for types only. */
export const CONFIG_DIR = 'src/config/';
export const CONFIG_TYPE_ONLY = ['src/tensor/', 'src/random.ts'];
/** Modules below src/layers/ that layers import directly. */
export const BELOW_LAYERS = ['src/initializers.ts', 'src/regularizers.ts', 'src/constraints.ts', 'src/activations.ts', 'src/custom-objects.ts'];
/** Folders that `src/io/` must not import (io is below them). */
export const IO_NOT_ABOVE = ['src/models/', 'src/callbacks/'];

export interface ImportOffence {
  /** Path relative to the root, '/'-separated. */
  file: string;
  line: number;
  specifier: string;
  rule: string;
}

const builtins = new Set(builtinModules);

function isNodeBuiltin(spec: string): boolean {
  return spec.startsWith('node:') || builtins.has(spec) || builtins.has(spec.split('/')[0]!);
}

const listTs = (dir: string): string[] => listFiles(dir, (n) => n.endsWith('.ts') && !n.endsWith('.d.ts'));

const posix = (p: string): string => p.split(sep).join('/');
const within = (file: string, prefixes: readonly string[]): boolean => prefixes.some((p) => (p.endsWith('/') ? file.startsWith(p) : file === p));

/** All offences under `root`/src, in file order. */
export function checkImports(root: string): ImportOffence[] {
  const offences: ImportOffence[] = [];
  const backendDir = posix(join(resolve(root), 'src', 'backend')) + '/';
  for (const abs of listTs(join(root, 'src'))) {
    const file = posix(relative(root, abs));
    if (file.endsWith('.test.ts')) continue;
    const text = readFileSync(abs, 'utf8');
    const lineOf = (pos: number): number => text.slice(0, pos).split('\n').length;
    for (const ref of ts.preProcessFile(text, true, true).importedFiles) {
      const spec = ref.fileName;
      const target = spec.startsWith('.') ? posix(relative(root, resolve(dirname(abs), spec))).replace(/\.js$/, '.ts') : undefined;
      if (within(file, [CONFIG_DIR]) && (target === undefined || !within(target, [CONFIG_DIR]))) {
        // The statement the specifier belongs to: type-only imports of tensor/ and random.ts are allowed.
        const start = Math.max(text.lastIndexOf('import', ref.pos), text.lastIndexOf('export', ref.pos));
        const typeOnly = start >= 0 && /^(import|export)\s+type\b/.test(text.slice(start, ref.pos));
        if (!(typeOnly && target !== undefined && within(target, CONFIG_TYPE_ONLY))) {
          offences.push({ file, line: lineOf(ref.pos), specifier: spec, rule: `src/config/ imports only src/config/ (and ${CONFIG_TYPE_ONLY.join(', ')} for types)` });
        }
      }
      if (within(file, BELOW_LAYERS) && target !== undefined && within(target, ['src/layers/'])) {
        offences.push({ file, line: lineOf(ref.pos), specifier: spec, rule: 'initializers/regularizers/constraints/activations/custom-objects must not import src/layers/ (layers import them)' });
      }
      if (within(file, NO_BACKEND) && spec.startsWith('.')) {
        const target = posix(resolve(dirname(abs), spec));
        if ((target + '/').startsWith(backendDir)) {
          offences.push({ file, line: lineOf(ref.pos), specifier: spec, rule: 'layers/models/callbacks/optimizers must not import src/backend/ (use ops)' });
        }
      }
      if (file.startsWith('src/io/') && spec.startsWith('.')) {
        const target = posix(relative(root, resolve(dirname(abs), spec)));
        if (within(target + '/', IO_NOT_ABOVE)) {
          offences.push({ file, line: lineOf(ref.pos), specifier: spec, rule: `src/io/ must not import ${IO_NOT_ABOVE.join(' or ')} (io is below models)` });
        }
      }
      if (isNodeBuiltin(spec) && !within(file, NODE_ALLOWED)) {
        offences.push({ file, line: lineOf(ref.pos), specifier: spec, rule: `only ${NODE_ALLOWED.join(', ')} may import Node built-ins` });
      }
    }
  }
  return offences;
}

function main(): void {
  const root = resolve(process.argv[2] ?? '.');
  const offences = checkImports(root);
  for (const o of offences) console.error(`${o.file}:${o.line}: '${o.specifier}' — ${o.rule}`);
  if (offences.length > 0) {
    console.error(`check-imports: ${offences.length} forbidden import(s)`);
    process.exit(1);
  }
  console.log('check-imports: ok');
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
