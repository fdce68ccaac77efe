/**
 * The checkpoint path formatter against Python's own `format(value, spec)`:
 * each expected string below was printed by CPython 3 for the same value and
 * spec (integers for `epoch`-like fields, floats otherwise).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatValue, pyFormat } from './python-format.js';

const PYTHON: [number, string, boolean, string][] = [
  [3, "02d", true, "03"],
  [0.41294, ".2f", false, "0.41"],
  [0.41294, "", false, "0.41294"],
  [1.0, "", false, "1.0"],
  [123456.789, "g", false, "123457"],
  [1.23e-05, "g", false, "1.23e-05"],
  [1e-07, "", false, "1e-07"],
  [1e+22, "", false, "1e+22"],
  [0.00012, ".3e", false, "1.200e-04"],
  [-2.5, "+08.3f", false, "-002.500"],
  [2.5, "+08.3f", false, "+002.500"],
  [1234567.891, ",.2f", false, "1,234,567.89"],
  [0.5, "%", false, "50.000000%"],
  [0.5, ".1%", false, "50.0%"],
  [7, ">5d", true, "    7"],
  [7, "<5d", true, "7    "],
  [7, "^5d", true, "  7  "],
  [7, "*^6d", true, "**7***"],
  [NaN, ".2f", false, "nan"],
  [Infinity, ".2f", false, "inf"],
  [-Infinity, "e", false, "-inf"],
  [0.1, ".3g", false, "0.1"],
  [100.0, ".3g", false, "100"],
  [1000.0, ".3g", false, "1e+03"],
  [0.0, "g", false, "0"],
  [1.5, "#g", false, "1.50000"],
  [1.2345678901234568e+16, "", false, "1.2345678901234568e+16"],
  [0.0001, "", false, "0.0001"],
  [1e-05, "", false, "1e-05"],
  [-0, ".1f", false, "-0.0"],
  [3, ".2f", true, "3.00"],
  [2.0, ".0f", false, "2"],
  [1234.5, "E", false, "1.234500E+03"],
  [5, "d", true, "5"],
  [0.123456789, ".4", false, "0.1235"],
];

test('formatValue equals Python format() for d/f/e/g/% with fill, align, sign, width, grouping, precision', () => {
  for (const [v, spec, isInt, expected] of PYTHON) assert.equal(formatValue(v, spec, isInt, 'x'), expected, `format(${v}, '${spec}')`);
});

test('pyFormat: Keras checkpoint templates, escapes and errors', () => {
  assert.equal(pyFormat('ckpt-{epoch:02d}-{val_loss:.2f}', { epoch: 3, val_loss: 0.41294 }, ['epoch']), 'ckpt-03-0.41');
  assert.equal(pyFormat('{{literal}}/{epoch}', { epoch: 12 }, ['epoch']), '{literal}/12');
  assert.equal(pyFormat('w-{val_accuracy:.4f}', { val_accuracy: 0.98765 }), 'w-0.9877');
  assert.throws(() => pyFormat('{val_acc:.2f}', { loss: 1, val_loss: 2 }), /needs 'val_acc', which is not available \(available: loss, val_loss\)/);
  assert.throws(() => pyFormat('{loss:d}', { loss: 0.5 }), /code 'd' needs an integer, but 'loss' is a float/);
  assert.throws(() => pyFormat('{epoch:.2d}', { epoch: 1 }, ['epoch']), /precision not allowed in integer format/);
  assert.throws(() => pyFormat('{epoch:q}', { epoch: 1 }, ['epoch']), /invalid format spec 'q'/);
  assert.throws(() => pyFormat('a}b'.replace('}}', '}'), {}), /single '\}'/);
  assert.throws(() => pyFormat('{epoch', { epoch: 1 }), /unmatched '\{'/);
  assert.throws(() => pyFormat('{logs[0]}', { epoch: 1 }), /must be a plain name/);
});
