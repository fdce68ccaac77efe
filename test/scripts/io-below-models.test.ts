/**
 * io sits below models (issue 10): scripts/check-imports.ts refuses any
 * import from src/io/ into src/models/ or src/callbacks/, naming the file,
 * the line and the rule, and the real tree has none.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkImports } from '../../scripts/check-imports.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

test('check-imports: src/io/ must not import src/models/ or src/callbacks/ (any form of import)', () => {
  const root = mkdtempSync(join(tmpdir(), 'regula-io-rule-'));
  const files: Record<string, string> = {
    'src/io/a.ts': "import type { Sequential } from '../models/sequential.js';\n",
    'src/io/b.ts': "export { fit } from '../models/fit.js';\nimport { x } from './keras-format.js';\n",
    'src/io/c.ts': "const m = await import('../callbacks/callback.js');\n",
    'src/io/d.ts': "// import { no } from '../models/sequential.js'\nimport { Tensor } from '../tensor/tensor.js';\n",
    'src/io/e.test.ts': "import { Sequential } from '../models/sequential.js';\n",
    'src/models/ok.ts': "import { readArtifacts } from '../io/artifacts.js';\n",
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  try {
    const found = checkImports(root);
    assert.deepEqual(
      found.map((o) => `${o.file}:${o.line} ${o.specifier}`),
      ['src/io/a.ts:1 ../models/sequential.js', 'src/io/b.ts:1 ../models/fit.js', 'src/io/c.ts:1 ../callbacks/callback.js'],
    );
    assert.match(found[0]!.rule, /src\/io\/ must not import src\/models\/ or src\/callbacks\/ \(io is below models\)/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the repository has no import from src/io/ into models/ or callbacks/', () => {
  const bad = checkImports(repo).filter((o) => o.file.startsWith('src/io/'));
  assert.deepEqual(bad, []);
});
