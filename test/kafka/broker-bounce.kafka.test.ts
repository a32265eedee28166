// Broker bounces under load (after Kafka Streams' StreamsBrokerBounceTest): a 3-node cluster of
// its own, a counting app, acks=all production, and the leader of input partition 0 stopped
// cleanly, then killed with -9, each time restarted. Every input must have its output and every
// store count must equal the inputs of its key. Bigger runs: bench/broker-bounce.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { kafkaAvailable } from '../../scripts/kafka/kafka.ts';
import { startKafkaCluster, type RunningKafkaCluster } from '../../scripts/kafka/cluster.ts';
import { KafkaRequiredError } from './brokers.ts';
import { runBrokerBounce, type BounceResult } from './broker-bounce.ts';

const available = kafkaAvailable();
if (!available && process.env.MODELSTREAM_REQUIRE_KAFKA === '1') {
  throw new KafkaRequiredError('Java 17+ is not available, and MODELSTREAM_REQUIRE_KAFKA=1 makes the Kafka tests mandatory');
}
if (!available) console.log('[skip] test/kafka/broker-bounce.kafka.test.ts: no Java 17+, so no 3-node Kafka cluster; skipped.');

let cluster: RunningKafkaCluster | undefined;
let result: BounceResult;
const verbose = process.env.MODELSTREAM_TEST_VERBOSE ? (l: string) => console.log(`[bounce] ${l}`) : undefined;

if (available) {
  test.before(async () => {
    cluster = await startKafkaCluster({ brokers: 3, log: verbose ?? (() => {}) });
    result = await runBrokerBounce({ cluster, name: `bounce-${Date.now().toString(36)}`, partitions: 2, keys: 10, bounces: ['clean', 'kill'], downMs: 1000, log: verbose });
    verbose?.(JSON.stringify({ inputs: Object.fromEntries(result.inputs), counts: Object.fromEntries(result.counts), bounced: result.bounced, outputs: result.outputRecords, failedSends: result.failedSends, lostAcked: result.lostAcked }));
  });
  test.after(async () => { await cluster?.stop(); });

  test('the leader of a data partition was bounced twice, once cleanly and once with kill -9', () => {
    assert.equal(result.bounced.map((b) => b.mode), ['clean', 'kill']);
  });

  test('production went on through the bounces: every acknowledged send is in the input topic', () => {
    const total = [...result.inputs.values()].reduce((a, b) => a + b, 0);
    assert.ok(total > 100, `only ${total} inputs`);
    assert.equal(result.lostAcked, [], 'acknowledged but not in the input topic');
  });

  test('no input without an output: every count 1..n of every key reached the output topic', () => {
    assert.equal(Object.fromEntries(result.missingOutputs), {});
  });

  test('the store count per key equals the number of inputs of that key', () => {
    assert.equal(Object.fromEntries(result.counts), Object.fromEntries(result.inputs));
  });

  test('the application never went to ERROR', () => {
    assert.not.ok(result.states.includes('ERROR'), result.states.join(' → '));
  });
}

test.run();
