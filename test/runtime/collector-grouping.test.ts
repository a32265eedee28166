// The collector hands kafkajs message arrays whose `reduce` answers kafkajs 2.2.4's per-partition
// grouping in linear time. These tests run that very kafkajs module over such an array and over a
// plain copy: the grouping (partitions, order within each) must be the same.
import { createRequire } from 'node:module';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Message } from 'kafkajs';
import { groupedOnce } from '../../lib/runtime/collector.ts';

type Grouping = (args: { topic: string; partitionMetadata: unknown[]; messages: Message[]; partitioner: (a: { message: Message }) => number }) => Record<number, Message[]>;
const groupMessagesPerPartition = createRequire(import.meta.url)('kafkajs/src/producer/groupMessagesPerPartition') as Grouping;

const partitionMetadata = [0, 1, 2, 3].map((partitionId) => ({ partitionId, leader: 0 }));
// kafkajs's default partitioner honours a message's own partition; ours always names one.
const partitioner = ({ message }: { message: Message }) => message.partition!;

function messages(n: number, partitionOf: (i: number) => number | undefined): Message[] {
  return Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: `v${i}`, partition: partitionOf(i) }));
}

test('the linear grouping gives kafkajs the same partitions, in the same order, as its own reduce', () => {
  const plain = messages(1000, (i) => (i * 7) % 4);
  const grouped = groupedOnce([...plain]);
  const expected = groupMessagesPerPartition({ topic: 't', partitionMetadata, messages: plain, partitioner });
  const actual = groupMessagesPerPartition({ topic: 't', partitionMetadata, messages: grouped, partitioner });
  assert.equal(Object.keys(actual), Object.keys(expected));
  for (const p of Object.keys(expected)) assert.equal(actual[Number(p)]!.map((m) => m.key), expected[Number(p)]!.map((m) => m.key), `partition ${p}`);
});

test('an array with a message that names no partition keeps the ordinary reduce', () => {
  const list = messages(10, (i) => (i === 3 ? undefined : 0));
  const grouped = groupedOnce(list);
  assert.is(grouped.reduce, Array.prototype.reduce);
  assert.is(grouped.reduce((n) => n + 1, 0), 10);
});

test.run();
