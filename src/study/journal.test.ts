import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isJournalText, JournalStorage, parseJournal, replay, type JournalEvent } from './journal.js';

test('replay numbers trials by accepted claims and enforces the limit', () => {
  const ev: JournalEvent[] = [
    { op: 'claim', id: 'a', pid: 1, limit: 2, retry: null },
    { op: 'claim', id: 'b', pid: 2, limit: 2, retry: null },
    { op: 'claim', id: 'c', pid: 3, limit: 2, retry: null },
  ];
  const st = replay(ev);
  assert.deepEqual([...st.claims.entries()], [['a', 0], ['b', 1], ['c', null]]);
});

test('only the first finish counts; a re-queued failed trial is re-run once', () => {
  const ev: JournalEvent[] = [
    { op: 'claim', id: 'a', pid: 1, limit: 2, retry: null },
    { op: 'start', trial: 0, claim: 'a', params: { l2: 0.1 } },
    { op: 'claim', id: 'b', pid: 2, limit: 2, retry: null },
    { op: 'start', trial: 1, claim: 'b', params: { l2: 0.2 } },
    { op: 'finish', trial: 0, state: 'complete', value: 0.5, epochs: 3 },
    { op: 'finish', trial: 0, state: 'failed', value: null, epochs: 3 },
    { op: 'finish', trial: 1, state: 'failed', value: null, epochs: 1, requeue: true },
    { op: 'claim', id: 'c', pid: 3, limit: 2, retry: 1 },
    { op: 'claim', id: 'd', pid: 4, limit: 3, retry: 1 },
  ];
  const st = replay(ev);
  assert.equal(st.trials[0]!.state, 'complete');
  assert.equal(st.trials[0]!.value, 0.5);
  assert.equal(st.trials[2]!.retryOf, 1);
  assert.deepEqual(st.trials[2]!.params, { l2: 0.2 });
  assert.equal(st.trials[2]!.freshIndex, 1);
  assert.equal(st.trials[3]!.retryOf, null, 'the second retry claim becomes a fresh trial');
  assert.equal(st.trials[3]!.freshIndex, 2);
});

test('parseJournal skips a torn line with a note', () => {
  const text = '{"op":"claim","id":"a","pid":1,"limit":5,"retry":null}\n{"op":"clai';
  const { events, notes } = parseJournal(text, 'j');
  assert.equal(events.length, 1);
  assert.match(notes[0]!, /j: ignored unreadable line 2/);
});

test('JournalStorage: exclusive create, durable appends, a newline after a torn line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'regula-journal-'));
  try {
    const file = join(dir, 'study.jsonl');
    const j = new JournalStorage(file);
    assert.equal(await j.create({ a: 1 }), true);
    assert.equal(await new JournalStorage(file).create({ a: 2 }), false);
    assert.ok(isJournalText(readFileSync(file, 'utf8')));
    await j.append({ op: 'claim', id: 'x', pid: 1, limit: 3, retry: null });
    appendFileSync(file, '{"op":"rep');
    await j.read();
    await j.append({ op: 'claim', id: 'y', pid: 1, limit: 3, retry: null });
    const st = await j.read();
    assert.deepEqual(st.settings, { a: 1 });
    assert.equal(st.trials.length, 2);
    assert.equal(st.notes.length, 1);
    writeFileSync(join(dir, 'other.txt'), 'hello\n');
    assert.equal(isJournalText('hello\n'), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
