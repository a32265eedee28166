import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import kafkajs from 'kafkajs';
import { partitionOfKey } from '../../lib/runtime/murmur2.ts';

test('the key partitioner picks the partition kafkajs\'s default (Java-compatible) partitioner picks, for every key length and partition count', () => {
  const theirs = kafkajs.Partitioners.DefaultPartitioner();
  for (let i = 0; i < 20_000; i++) {
    const key = randomBytes(i % 37);
    const n = 1 + (i % 13);
    const partitionMetadata = Array.from({ length: n }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
    const expected = theirs({ topic: 't', partitionMetadata, message: { key, value: null } });
    assert.is(partitionOfKey(key, n), expected, `${key.toString('hex')} over ${n}`);
  }
});

test.run();
