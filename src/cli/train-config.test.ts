import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyTrainConfig, readTrainConfig } from './train-config.js';

test('train --config: checked values, command-line flags win, clear errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'regula-config-'));
  try {
    const f = (name: string, v: unknown): string => {
      const p = join(dir, name);
      writeFileSync(p, JSON.stringify(v));
      return p;
    };
    const good = f('good.json', { format: 'regula-train-config', version: 1, flags: { dataset: 'digits', hidden: [32, 32], l2: 1e-4, dropout: 0.25, epochs: 5, optimizer: 'sgd', seed: 3 } });
    assert.deepEqual(readTrainConfig(good)['hidden'], [32, 32]);
    const o: Record<string, unknown> = { epochs: 9, l2: 0 };
    const set = applyTrainConfig(o, new Set(['epochs']), good);
    assert.equal(o['epochs'], 9);
    assert.equal(o['l2'], 1e-4);
    assert.ok(!set.includes('epochs'));
    assert.throws(() => readTrainConfig(f('a.json', { dropuot: 0.5 })), /unknown setting "dropuot" \(did you mean "dropout"\?\)/);
    assert.throws(() => readTrainConfig(f('b.json', { dropout: 1.5 })), /"dropout"/);
    assert.throws(() => readTrainConfig(f('c.json', { optimizer: 'nadam' })), /must be one of/);
    assert.throws(() => readTrainConfig(join(dir, 'missing.json')), /file not found/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
