import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStorage } from './journal.js';
import { AshaPruner } from './pruners.js';
import { GridSampler, RandomSampler, TpeSampler } from './samplers.js';
import { spaceFromSpecs } from './space.js';
import { tune, type TrialHandle } from './tune.js';

const space = spaceFromSpecs(['l2=loguniform:1e-5:1e-1', 'dropout=uniform:0:0.5']);

/** A fake training: the loss after epoch e approaches a floor set by the params. */
async function fakeFit(trial: TrialHandle, epochs: number): Promise<number> {
  const floor = Math.abs(Math.log10(trial.params['l2'] as number) + 3) + (trial.params['dropout'] as number);
  let v = Number.NaN;
  for (let e = 1; e <= epochs; e++) {
    v = floor + 1 / e;
    if (await trial.report(e, v)) break;
  }
  return v;
}

test('tune runs the requested trials, prunes with ASHA and returns the best complete trial', async () => {
  const r = await tune({ space, trials: 12, metric: 'val_loss', direction: 'minimize', sampler: new RandomSampler(1), pruner: new AshaPruner({ reductionFactor: 3 }), objective: (t) => fakeFit(t, 9) });
  assert.equal(r.trials.length, 12);
  const pruned = r.trials.filter((t) => t.state === 'pruned');
  assert.ok(pruned.length > 0, 'ASHA pruned something');
  assert.ok(pruned.every((t) => [1, 3, 9].includes(t.epochs)), 'pruned at rungs 1, 3 or 9');
  const complete = r.trials.filter((t) => t.state === 'complete');
  assert.equal(r.best!.value, Math.min(...complete.map((t) => t.value!))); // spread-ok: 12 trials
  const used = r.trials.reduce((s, t) => s + t.epochs, 0);
  assert.ok(used < 12 * 9);
});

test('random and grid studies are reproducible for a seed', async () => {
  for (const sampler of [() => new RandomSampler(5), () => new GridSampler(2), () => new TpeSampler({ seed: 5, startup: 3 })]) {
    const run = async (): Promise<string> => {
      const r = await tune({ space, trials: 4, metric: 'val_loss', direction: 'minimize', sampler: sampler(), objective: (t) => fakeFit(t, 2) });
      return JSON.stringify(r.trials.map((t) => [t.params, t.value]));
    };
    assert.equal(await run(), await run());
  }
});

test('a study continues in the same storage: trials add up to the new limit', async () => {
  const storage = new MemoryStorage();
  const o = { space, metric: 'val_loss', direction: 'minimize' as const, sampler: new RandomSampler(2), storage, objective: (t: TrialHandle) => fakeFit(t, 2) };
  await tune({ ...o, trials: 3 });
  const r = await tune({ ...o, trials: 5 });
  assert.equal(r.trials.length, 5);
  const again = await tune({ ...o, trials: 5 });
  assert.equal(again.trials.length, 5, 'nothing more to do');
});

test('the trial callback reports the metric and stops training when pruned', async () => {
  const r = await tune({
    space,
    trials: 4,
    metric: 'val_loss',
    direction: 'minimize',
    sampler: new GridSampler(2),
    pruner: new AshaPruner({ reductionFactor: 2 }),
    objective: async (trial) => {
      const cb = trial.callback();
      const model = { stopTraining: false } as { stopTraining: boolean };
      cb.setModel?.(model as never, { epochs: 4, initialEpoch: 0, steps: 1, samples: 1, verbose: 0, batchSize: 1 });
      let last = 0;
      for (let e = 0; e < 4 && !model.stopTraining; e++) {
        last = (trial.params['l2'] as number) * 100 + (trial.params['dropout'] as number) + 1 / (e + 1);
        await cb.onEpochEnd?.(e, { loss: last, val_loss: last });
      }
      return last;
    },
  });
  assert.ok(r.trials.some((t) => t.state === 'pruned'));
  await assert.rejects(
    tune({ space, trials: 1, metric: 'val_auc', direction: 'maximize', objective: async (trial) => {
      await trial.callback().onEpochEnd?.(0, { loss: 1 });
      return 1;
    } }),
    /objective metric 'val_auc' is not logged/,
  );
});
