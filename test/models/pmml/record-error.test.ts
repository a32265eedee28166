// RecordError is thrown per record for input problems, often for many records in a row: it
// carries its message and cause but no captured stack frames (their capture dominated the cost of
// scoring small models with invalid inputs), and leaves other errors' stack traces as they were.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RecordError } from '../../../lib/models/index.ts';

test('a RecordError has its name, message and cause but no stack frames', () => {
  const cause = new Error('inner');
  const e = new RecordError('field "x" is invalid', { cause });
  assert.is(e.name, 'RecordError');
  assert.is(e.message, 'field "x" is invalid');
  assert.is(e.cause, cause);
  assert.not.match(e.stack ?? '', /\n\s+at /);
  assert.match(cause.stack ?? '', /\n\s+at /);
});

test('creating a RecordError leaves Error.stackTraceLimit unchanged', () => {
  const before = Error.stackTraceLimit;
  new RecordError('x');
  assert.is(Error.stackTraceLimit, before);
  assert.match(new Error('after').stack ?? '', /\n\s+at /);
});

test.run();
