/**
 * The serialized form of every layer class (and of a functional model with
 * shared layers and a nested Sequential) stays byte-identical across
 * refactors of the configuration plumbing (issue 10): each fixture model's
 * topology and weight specs, as `model.save` writes them into model.json,
 * equal the text recorded in test/fixtures/model-json/ — and that text loads
 * back into a model that serializes to the same bytes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromArtifacts, toArtifacts } from '../../src/index.js';
import { FIXTURES, fixtureText } from '../fixtures/model-json/models.js';
import { REPO_ROOT } from '../helpers/fault-run.js';

for (const [name, make] of Object.entries(FIXTURES)) {
  test(`model.json of fixture ${name} is byte-identical to the recorded one and round-trips`, () => {
    const expected = readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'model-json', `${name}.json`), 'utf8');
    const m = make();
    assert.equal(fixtureText(m), expected);
    const back = fromArtifacts(toArtifacts(m, { includeOptimizer: false }));
    assert.equal(fixtureText(back), expected);
  });
}
