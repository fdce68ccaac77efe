import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { fitTokenizer, padSequences, splitWords, Tokenizer, OOV_TOKEN, TOKENIZER_JSON } from './tokenizer.js';
import { readTextCsv } from './text-csv.js';
import { trainValTestSplit } from './split.js';

const SPAM_CSV = fileURLToPath(new URL('../../datasets/spam_assassin.csv', import.meta.url));

test('fitTokenizer: 0 is padding, 1 is [UNK], then tokens by decreasing count (ties by first appearance)', () => {
  const tok = fitTokenizer(['the cat sat', 'The dog sat on the mat', "don't stop"]);
  assert.deepEqual(tok.vocabulary, ['the', 'sat', 'cat', 'dog', 'on', 'mat', "don't", 'stop']);
  assert.equal(tok.size, 10);
  assert.equal(tok.token(0), '');
  assert.equal(tok.token(1), OOV_TOKEN);
  assert.equal(tok.token(2), 'the');
  assert.equal(tok.length, 6);
  assert.deepEqual(splitWords('Héllo, WORLD! 42x'), ['héllo', 'world', '42x']);
  assert.deepEqual(splitWords('Héllo', false), ['Héllo']);
});

test('encode: int32 [n, length], padded with 0 after the tokens, long texts cut, unknown tokens → 1', () => {
  const tok = fitTokenizer(['a b c', 'a b', 'a'], { length: 3 });
  const x = tok.encode(['a', 'c b a z', 'zz', '']);
  assert.equal(x.dtype, 'int32');
  assert.deepEqual(x.shape, [4, 3]);
  assert.deepEqual(Array.from(x.data), [2, 0, 0, 4, 3, 2, 1, 0, 0, 0, 0, 0]);
  const pre = fitTokenizer(['a b c', 'a b', 'a'], { length: 3, padding: 'pre', truncating: 'pre' });
  assert.deepEqual(Array.from(pre.encode(['a', 'c b a z']).data), [0, 0, 2, 3, 2, 1]);
});

test('maxTokens counts the padding and [UNK]; minCount drops rare tokens', () => {
  const texts = ['x x x y y z', 'x y w'];
  assert.deepEqual(fitTokenizer(texts, { maxTokens: 4 }).vocabulary, ['x', 'y']);
  assert.deepEqual(fitTokenizer(texts, { minCount: 2 }).vocabulary, ['x', 'y']);
  assert.equal(fitTokenizer(texts, { maxTokens: 4 }).size, 4);
  assert.throws(() => fitTokenizer(texts, { maxTokens: 1 }), /maxTokens must be an integer >= 2/);
  assert.throws(() => fitTokenizer(texts, { length: 0 }), /length must be a positive integer/);
  assert.throws(() => fitTokenizer(['a', 3 as unknown as string]), /text 1 is number, not a string/);
});

test('toJSON / fromJSON round trip (the tokenizer.json saved with a model); bad JSON is a one-line error', () => {
  const tok = fitTokenizer(['b a a', 'c'], { length: 4, lowercase: false });
  const f = tok.extraFile();
  assert.equal(f.name, TOKENIZER_JSON);
  const back = Tokenizer.fromJSON(JSON.parse(f.data));
  assert.deepEqual(back.vocabulary, tok.vocabulary);
  assert.deepEqual(Array.from(back.encode(['a B c']).data), Array.from(tok.encode(['a B c']).data));
  assert.throws(() => Tokenizer.fromJSON({ format: 'x' }), /tokenizer.json: not a regula tokenizer/);
  assert.throws(() => Tokenizer.fromJSON({ ...tok.toJSON(), vocabulary: ['a', 'a'] }), /vocabulary\[1\] 'a' is listed twice/);
  assert.throws(() => Tokenizer.fromJSON({ ...tok.toJSON(), length: -1 }), /length must be a positive integer/);
  assert.throws(() => Tokenizer.fromJSON([]), /expected a tokenizer object/);
});

test('the SpamAssassin set: 3000 messages, 1000 spam; a tokenizer fitted on the training split only', () => {
  const d = readTextCsv(SPAM_CSV, { text: 'text', target: 'label' });
  assert.equal(d.texts.length, 3000);
  assert.deepEqual(d.classes, ['ham', 'spam']);
  assert.equal(d.labels.reduce((s, v) => s + v, 0), 1000);
  const split = trainValTestSplit(d.texts.length, { validation: 0.2, test: 0.2, seed: 1, labels: d.labels });
  const train = Array.from(split.train, (i) => d.texts[i]!);
  const tok = fitTokenizer(train, { maxTokens: 2000, length: 32 });
  assert.equal(tok.size, 2000);
  const x = tok.encode(Array.from(split.test, (i) => d.texts[i]!));
  assert.deepEqual(x.shape, [split.test.length, 32]);
  // Words seen only in the test texts are [UNK]: the vocabulary knows nothing of them.
  const trainWords = new Set(train.flatMap((t) => splitWords(t)));
  assert.ok(tok.vocabulary.every((w) => trainWords.has(w)));
  assert.ok(Array.from(x.data).some((v) => v === 1));
  assert.throws(() => readTextCsv(SPAM_CSV, { text: 'body', target: 'label' }), /no column "body"; columns: text, label/);
});

test('padSequences: Keras pad_sequences (pads and cuts at the start by default), 0 as padding', () => {
  const x = padSequences([[3, 1, 4], [1, 5], []]);
  assert.equal(x.dtype, 'int32');
  assert.deepEqual(x.toArray(), [[3, 1, 4], [0, 1, 5], [0, 0, 0]]);
  assert.deepEqual(padSequences([[3, 1, 4], [1, 5]], { maxlen: 2 }).toArray(), [[1, 4], [1, 5]]);
  assert.deepEqual(padSequences([[3, 1, 4], [1]], { maxlen: 2, padding: 'post', truncating: 'post' }).toArray(), [[3, 1], [1, 0]]);
  assert.throws(() => padSequences([[1.5]]), /sequence 0 has 1.5 at position 0, not an integer id/);
  assert.throws(() => padSequences([3 as unknown as number[]]), /sequence 0 is number, not an array of ids/);
});
