#!/usr/bin/env node
/**
 * Builds the Regula Playground into playground/dist/: a static folder that
 * needs no network (index.html, style.css, the page and worker bundles,
 * regula.wasm and the embedded datasets' CSVs). `npm run build:playground`.
 *
 * The page's worker runs the library's own CSV reader (src/data/csv-stream.ts
 * with csv-parse) in the browser: csv-parse resolves to its published browser
 * build (playground/src/shims/csv-parse.ts) and the file-path reader
 * (src/data/input-file.ts, node:fs) to a shim that refuses paths — the page
 * only ever gives text.
 */
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
/** The embedded datasets the page offers (datasets/<name>.csv). */
export const PLAYGROUND_DATASETS = ['digits', 'breast_cancer', 'wine', 'diabetes'];

const browserShims = {
  name: 'regula-browser-shims',
  setup(b) {
    b.onResolve({ filter: /^csv-parse$/ }, () => ({ path: join(here, 'src/shims/csv-parse.ts') }));
    b.onResolve({ filter: /^csv-parse\/browser\/esm$/ }, () => ({ path: join(root, 'node_modules/csv-parse/dist/esm/index.js') }));
    b.onResolve({ filter: /\/input-file\.js$/ }, (args) =>
      args.importer.includes(`${join('src', 'data')}`) ? { path: join(here, 'src/shims/input-file.ts') } : undefined,
    );
  },
};

/** Builds into `out` (default playground/dist), replacing it only once everything is built. */
export async function buildPlayground(out = join(here, 'dist'), { minify = true } = {}) {
  const wasm = join(root, 'build/regula.wasm');
  if (!existsSync(wasm)) throw new Error('build/regula.wasm is missing: run `npm run build:wasm` first');
  const tmp = `${out}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, 'datasets'), { recursive: true });
  await build({
    entryPoints: { main: join(here, 'src/main.ts'), worker: join(here, 'src/worker.ts') },
    outdir: tmp,
    bundle: true,
    format: 'esm',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    platform: 'browser',
    target: 'es2022',
    minify,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [browserShims],
  });
  for (const f of ['index.html', 'style.css']) copyFileSync(join(here, f), join(tmp, f));
  copyFileSync(wasm, join(tmp, 'regula.wasm'));
  for (const d of PLAYGROUND_DATASETS) copyFileSync(join(root, 'datasets', `${d}.csv`), join(tmp, 'datasets', `${d}.csv`));
  rmSync(out, { recursive: true, force: true });
  renameSync(tmp, out);
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = Date.now();
  const out = await buildPlayground();
  console.log(`playground built in ${out} (${Date.now() - t0} ms)`);
}
