// Which test files make test/services.ts start real Kafka (the contract the runtime and
// integration suites rely on to find MODELSTREAM_KAFKA_BROKERS set).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { needsKafka } from '../services.ts';

test('files under test/runtime, test/kafka and test/integration need Kafka', () => {
  for (const file of ['test/runtime/streams.test.ts', 'test/kafka/x.test.ts', 'test/integration/a/b.test.ts']) {
    assert.ok(needsKafka(file), file);
  }
});

test('a file named *.kafka.* needs Kafka wherever it lives', () => {
  assert.ok(needsKafka('test/state/changelog.kafka.test.ts'));
});

test('unit tests elsewhere do not start Kafka', () => {
  for (const file of ['test/streams/record.test.ts', 'test/broker/kafka-protocol.test.ts', 'test/runtimex/a.test.ts']) {
    assert.not.ok(needsKafka(file), file);
  }
});

test.run();
