/**
 * docs/regularization.md takes every code block from examples/: each ```ts
 * block must be preceded by `<!-- from examples/<file> -->` and its lines
 * (indentation aside) must appear, in order and consecutively, in that file —
 * so the guide cannot drift from code that runs and checks its numbers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../..', import.meta.url);
const read = (p: string): string => readFileSync(fileURLToPath(new URL(p, root)), 'utf8');

test('every code block of docs/regularization.md is taken verbatim from the example it names', () => {
  const doc = read('docs/regularization.md');
  const blocks = [...doc.matchAll(/(<!-- from (examples\/[\w.-]+) -->\n)?```ts\n([\s\S]*?)```/g)];
  assert.ok(blocks.length >= 6, `found ${blocks.length} code blocks`);
  for (const [, marker, file, body] of blocks) {
    assert.ok(marker, `a code block has no '<!-- from examples/... -->' marker:\n${body}`);
    const source = read(file!).split('\n').map((l) => l.trim());
    const lines = body!.trimEnd().split('\n').map((l) => l.trim());
    const found = source.some((_, i) => lines.every((l, j) => source[i + j] === l));
    assert.ok(found, `this block is not in ${file}:\n${body}`);
  }
});
