/**
 * docs/functional.md's code blocks run: each ```ts block is a whole program
 * importing from 'regula'; it is written to a temporary module with the
 * import pointed at src/index.ts and imported, in document order, in a
 * temporary working directory (a block may save a model there). A block that
 * throws fails the test; what blocks print is kept out of the test output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = new URL('../..', import.meta.url);
const doc = readFileSync(fileURLToPath(new URL('docs/functional.md', root)), 'utf8');
const index = new URL('src/index.ts', root).href;

test('every code block of docs/functional.md runs', async () => {
  const blocks = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
  assert.ok(blocks.length >= 5, `found ${blocks.length} code blocks`);
  const dir = mkdtempSync(join(tmpdir(), 'regula-docs-functional-'));
  const cwd = process.cwd();
  const log = console.log;
  process.chdir(dir);
  try {
    for (const [i, body] of blocks.entries()) {
      assert.match(body, /from 'regula'/, `block ${i + 1} imports from 'regula'`);
      const file = join(dir, `block-${i + 1}.mts`);
      writeFileSync(file, body.replaceAll("from 'regula'", `from '${index}'`));
      console.log = () => {};
      try {
        await import(pathToFileURL(file).href);
      } catch (e) {
        throw new Error(`docs/functional.md block ${i + 1} failed: ${(e as Error).stack}\n${body}`);
      } finally {
        console.log = log;
      }
    }
    assert.ok(existsSync(join(dir, 'my-functional-model', 'model.json')), 'the saving block wrote its model');
  } finally {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  }
});
