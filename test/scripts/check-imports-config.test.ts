/**
 * scripts/check-imports.ts keeps src/config/ at the bottom of the stack (only
 * config files at run time; tensor/ and random.ts for types) and keeps the
 * modules layers import directly (regularizers, constraints, initializers …)
 * from importing src/layers/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkImports } from '../../scripts/check-imports.js';

test('check-imports: config imports only config (types from tensor/random); regularizers & co never import layers', () => {
  const root = mkdtempSync(join(tmpdir(), 'regula-imports-'));
  const files: Record<string, string> = {
    'src/config/ok.ts': "import type { Tensor } from '../tensor/tensor.js';\nimport type {\n  Rng,\n} from '../random.js';\nimport { x } from './other.js';\n",
    'src/config/bad.ts': "import { Tensor } from '../tensor/tensor.js';\nimport { add } from '../ops/arithmetic.js';\nimport type { Layer } from '../layers/layer.js';\n",
    'src/regularizers.ts': "import type { Shape } from './config/types.js';\nimport { deserialize } from './layers/serialization.js';\n",
    'src/constraints.ts': "import { resolve } from './config/resolve.js';\n",
    'src/config/x.test.ts': "import { Dense } from '../layers/dense.js';\n",
  };
  try {
    for (const [f, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, f)), { recursive: true });
      writeFileSync(join(root, f), text);
    }
    const found = checkImports(root).map((o) => `${o.file}:${o.line} ${o.specifier}`);
    assert.deepEqual(found, [
      'src/config/bad.ts:1 ../tensor/tensor.js',
      'src/config/bad.ts:2 ../ops/arithmetic.js',
      'src/config/bad.ts:3 ../layers/layer.js',
      'src/regularizers.ts:2 ./layers/serialization.js',
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
