/**
 * `tsc --strict --noEmit` on the ported programs, through the TypeScript
 * API with test/compat/tsconfig.json ('regula/tfjs' mapped to the entry's
 * source). In the same program: each file again with only its import line
 * changed to '@tensorflow/tfjs' (virtual files beside the originals), which
 * must type-check against TF.js 4.22's own types — so the programs are TF.js
 * programs — and a snippet of TF.js APIs regula/tfjs does not provide, which
 * must not type-check.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const here = dirname(fileURLToPath(import.meta.url));
const IMPORT = "import type * as tf from 'regula/tfjs';";

const MISSING = `${IMPORT}
export function uses(t: typeof tf): void {
  t.layers.conv3d({ filters: 1, kernelSize: 1 });
  t.tensor([true, false]);
  t.zeros([2], 'bool');
  t.variable(t.zeros([1]));
  t.train.adadelta(1);
  t.sequential().fit(t.zeros([1, 1]), t.zeros([1, 1]), { stepsPerEpoch: 3 });
}
`;

test('the ported programs type-check with --strict against regula/tfjs and, with only the import changed, against @tensorflow/tfjs; APIs not provided do not', () => {
  const configPath = join(here, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, '\n')) });
  assert.ok(parsed && parsed.errors.length === 0, 'test/compat/tsconfig.json parses');
  assert.equal(parsed.options.strict, true);
  const virtual = new Map<string, string>();
  for (const f of parsed.fileNames) {
    const text = readFileSync(f, 'utf8');
    assert.equal(text.split('regula/tfjs').length - 1, 1, `${f} names regula/tfjs once, in its import`);
    assert.ok(text.includes(IMPORT), `${f} imports the tf namespace`);
    virtual.set(resolve(f.replace(/\.ts$/, '.tfjs.ts')), text.replace(IMPORT, "import type * as tf from '@tensorflow/tfjs';"));
  }
  const missingFile = resolve(here, 'programs', 'not-provided.ts');
  virtual.set(missingFile, MISSING);
  const host = ts.createCompilerHost(parsed.options);
  const { fileExists, readFile } = host;
  host.fileExists = (f) => virtual.has(resolve(f)) || fileExists.call(host, f);
  host.readFile = (f) => virtual.get(resolve(f)) ?? readFile.call(host, f);
  const program = ts.createProgram([...parsed.fileNames, ...virtual.keys()], parsed.options, host);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  const text = (d: ts.Diagnostic): string => `${d.file ? `${d.file.fileName}(${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1})` : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  const elsewhere = diagnostics.filter((d) => resolve(d.file?.fileName ?? '') !== missingFile);
  assert.deepEqual(elsewhere.map(text), [], 'no errors in the programs (regula/tfjs) or their @tensorflow/tfjs twins');
  const lines = new Set(diagnostics.filter((d) => resolve(d.file?.fileName ?? '') === missingFile).map((d) => d.file!.getLineAndCharacterOfPosition(d.start ?? 0).line + 1));
  assert.deepEqual([...lines].sort((a, b) => a - b), [3, 4, 5, 6, 7, 8], 'each API regula/tfjs lacks is a type error');
});
