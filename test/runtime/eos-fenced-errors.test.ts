// Which kafkajs errors mean "this transactional producer was fenced" (the task has a newer
// owner: close it dirty, commit nothing more) and which are a failed transaction to roll back.
// The errors are built as kafkajs builds them from a broker's error code.
import { createRequire } from 'node:module';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import kafkajs from 'kafkajs';
import { isFenced } from '../../lib/runtime/eos-commit.ts';

const { createErrorFromCode } = createRequire(import.meta.url)('kafkajs/src/protocol/error.js') as { createErrorFromCode(code: number): Error };

test('INVALID_PRODUCER_EPOCH (47) is fencing', () => {
  assert.ok(isFenced(createErrorFromCode(47)));
});

test('PRODUCER_FENCED (90), a code kafkajs 2.2.4 does not know, is fencing', () => {
  const err = createErrorFromCode(90);
  assert.match(err.message, /Unknown error code 90/);
  assert.ok(isFenced(err));
});

test('fencing nested in kafkajs retry errors is found', () => {
  const retried = new kafkajs.KafkaJSNumberOfRetriesExceeded(createErrorFromCode(47), { retryCount: 3, retryTime: 100 });
  assert.ok(isFenced(retried));
  assert.ok(isFenced(new Error('commit failed', { cause: retried })));
});

test('CONCURRENT_TRANSACTIONS, INVALID_TXN_STATE, TRANSACTIONAL_ID_AUTHORIZATION_FAILED, a lost connection and unknown code 900 are not fencing', () => {
  for (const code of [51, 48, 53, 900]) assert.not.ok(isFenced(createErrorFromCode(code)), `code ${code}`);
  assert.not.ok(isFenced(new kafkajs.KafkaJSConnectionError('Connection error: ECONNREFUSED')));
});

test.run();
