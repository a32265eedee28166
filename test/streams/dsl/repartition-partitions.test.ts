// How many partitions the runtime gives a DSL repartition topic: as many as the sub-topology
// writing it reads, resolved through chains of repartition topics.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { internalTopicPartitions } from '../../../lib/runtime/internal-topics.ts';

test('a repartition topic gets the most partitions of its writer\'s sources', () => {
  const subs = [
    { sourceTopics: ['a', 'b'], sinkTopics: ['app-x-repartition'] },
    { sourceTopics: ['app-x-repartition'], sinkTopics: ['out'] },
  ];
  assert.equal(internalTopicPartitions(subs, ['app-x-repartition'], new Map([['a', 2], ['b', 6]])), new Map([['app-x-repartition', 6]]));
});

test('a repartition topic written from another repartition topic takes its count', () => {
  const subs = [
    { sourceTopics: ['app-y-repartition'], sinkTopics: ['app-z-repartition'] },
    { sourceTopics: ['in'], sinkTopics: ['app-y-repartition'] },
    { sourceTopics: ['app-z-repartition'], sinkTopics: [] },
  ];
  const counts = internalTopicPartitions(subs, ['app-z-repartition', 'app-y-repartition'], new Map([['in', 3]]));
  assert.equal(counts, new Map([['app-y-repartition', 3], ['app-z-repartition', 3]]));
});

test('a repartition topic no known sub-topology feeds is an error naming it', () => {
  assert.throws(() => internalTopicPartitions([{ sourceTopics: ['app-q-repartition'], sinkTopics: [] }], ['app-q-repartition'], new Map()), /app-q-repartition/);
});

test.run();
