// Kafka 4.4's GetOffsetShell (kafka-get-offsets.sh) against real Kafka and the embedded broker
// with the same assertions: every --time spec it knows, each needing a newer ListOffsets
// (-3 max timestamp v7, -4 earliest local v8, -5 latest tiered v9, -6 earliest pending
// upload v11), plus latest, earliest and a plain timestamp, after DeleteRecords moved the start.
import * as assert from 'uvu/assert';
import { Kafka, logLevel } from 'kafkajs';
import { defaultLibsDir, javaCommand } from '../../scripts/kafka/provision.ts';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from '../runtime/targets.ts';
import { kafkaTools, needs } from '../requirements.ts';
import { run } from './groups/external-client.ts';

const JVM = ['-Xmx128m', '-XX:TieredStopAtLevel=1', '-cp', `${defaultLibsDir}/*`];

/** Record timestamps of partition 0, in offset order: the largest (5000) sits in the middle. */
const TIMESTAMPS = [1000, 2000, 5000, 3000, 4000];

async function offsets(bootstrap: string, topic: string, time: string): Promise<string> {
  const res = await run(javaCommand(), [...JVM, 'org.apache.kafka.tools.GetOffsetShell', '--bootstrap-server', bootstrap, '--topic', topic, '--time', time], { timeoutMs: 60_000 });
  assert.is(res.code, 0, `GetOffsetShell --time ${time} exited ${res.code}: ${res.stderr.slice(-1500)}`);
  return res.stdout.trim();
}

forEachBroker('test/broker/java-list-offsets.kafka.test.ts', (suite, brokers) => {
  const it = needs(kafkaTools, suite);
  let topic = '';

  suite.before(async () => {
    topic = uniqueName('list-offsets');
    const kafka = new Kafka({ brokers: brokers(), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const producer = kafka.producer();
    await producer.connect();
    // One batch per record so that every record has its own batch maximum.
    for (const ts of TIMESTAMPS) await producer.send({ topic, messages: [{ value: String(ts), partition: 0, timestamp: String(ts) }] });
    await producer.disconnect();
    await admin.fetchTopicMetadata({ topics: [topic] }); // kafkajs finds the leader only from its metadata cache
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '1' }] });
    await admin.disconnect();
  });

  it('--time -3 (max timestamp) names the record with the largest timestamp; an empty partition has none', async () => {
    // GetOffsetShell leaves out partitions answered with offset -1.
    assert.is(await offsets(brokers()[0]!, topic, '-3'), `${topic}:0:2`);
  });

  it('--time -4 (earliest local) is the log start offset DeleteRecords moved', async () => {
    assert.is(await offsets(brokers()[0]!, topic, '-4'), `${topic}:0:1\n${topic}:1:0`);
  });

  it('--time -5 (latest tiered) and -6 (earliest pending upload) succeed and find nothing without remote storage', async () => {
    assert.is(await offsets(brokers()[0]!, topic, '-5'), '');
    assert.is(await offsets(brokers()[0]!, topic, '-6'), '');
  });

  it('latest, earliest and a timestamp (the first record at or after it) as before', async () => {
    assert.is(await offsets(brokers()[0]!, topic, '-1'), `${topic}:0:5\n${topic}:1:0`);
    assert.is(await offsets(brokers()[0]!, topic, '-2'), `${topic}:0:1\n${topic}:1:0`);
    assert.is(await offsets(brokers()[0]!, topic, '2500'), `${topic}:0:2`);
  });
});
