/**
 * `import * as tf from 'regula/tfjs'` as a user writes it: package.json
 * exports "./tfjs" (types + import) at the built entry, node resolves the
 * package's own name to it, and — once `npm run build:ts` has built the
 * current sources (npm ci does) — the built module trains a model and its
 * .d.ts files type-check a consumer under --strict with no `any`.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, Record<string, string>>; files: string[] };

/** True when dist/src/tfjs is built from the current src/tfjs (every output newer than its source). */
function builtFresh(): boolean {
  const out = join(root, 'dist', 'src', 'tfjs');
  if (!existsSync(out)) return false;
  return readdirSync(join(root, 'src', 'tfjs'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .every((f) => {
      const js = join(out, f.replace(/\.ts$/, '.js'));
      return existsSync(js) && statSync(js).mtimeMs >= statSync(join(root, 'src', 'tfjs', f)).mtimeMs;
    });
}
const fresh = builtFresh();
const skip = fresh ? false : 'dist/src/tfjs is not built from the current sources (npm run build:ts)';

test('package.json exports ./tfjs (types and import) at the built entry, which the package name resolves to', () => {
  assert.deepEqual(pkg.exports['./tfjs'], { types: './dist/src/tfjs/index.d.ts', import: './dist/src/tfjs/index.js' });
  assert.ok(pkg.files.includes('dist/src'), 'the tarball carries dist/src');
  assert.ok(existsSync(join(root, 'src', 'tfjs', 'index.ts')), 'tsc -p tsconfig.json compiles src/tfjs/index.ts to dist/src/tfjs/index.js');
  assert.equal(import.meta.resolve('regula/tfjs'), pathToFileURL(join(root, 'dist', 'src', 'tfjs', 'index.js')).href);
});

test("import * as tf from 'regula/tfjs' (the built package) trains a model", { skip }, async () => {
  const tf = (await import('regula/tfjs' as string)) as typeof import('../../src/tfjs/index.js');
  const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
  m.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
  const xs = tf.tensor2d([[0], [1], [2], [3]]);
  const h = await m.fit(xs, xs.mul(2).add(1), { epochs: 30 });
  assert.ok(h.history['loss']![29]! < h.history['loss']![0]! / 10);
});

test("the built .d.ts files type-check a consumer of 'regula/tfjs' under --strict and contain no any", { skip }, () => {
  const consumer = join(root, 'test', 'compat', 'consumer.ts');
  const source = `import * as tf from 'regula/tfjs';
const x: tf.Tensor2D = tf.tensor2d([[1, 2]]);
const m: tf.Sequential = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
m.compile({ optimizer: 'adam', loss: 'meanSquaredError', metrics: ['accuracy'] });
export const run = async (): Promise<number> => {
  const h: tf.History = await m.fit(x, tf.zeros([1, 1]), { epochs: 1, callbacks: { onEpochEnd: async (_e, logs) => void logs?.acc } });
  return (m.evaluate(x, tf.zeros([1, 1])) as tf.Scalar[])[0]!.dataSync()[0]! + h.epoch.length;
};
`;
  const options: ts.CompilerOptions = { strict: true, noEmit: true, skipLibCheck: false, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], types: ['node'] };
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile } = host;
  host.fileExists = (f) => resolve(f) === consumer || fileExists.call(host, f);
  host.readFile = (f) => (resolve(f) === consumer ? source : readFile.call(host, f));
  const program = ts.createProgram([consumer], options, host);
  const errors = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  assert.deepEqual(errors, []);
  const used = program.getSourceFiles().map((f) => f.fileName).filter((f) => f.includes('/dist/src/tfjs/'));
  assert.ok(used.length > 5, 'the types come from dist/src/tfjs (the exports map)');
  for (const f of used) assert.doesNotMatch(readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, ''), /\bany\b/, f);
});
