// DescribeConfigs with synonyms (kafkajs, v2) against real Kafka 4.4 and the embedded broker:
// for every topic config the embedded broker honours, both answer the same name, source and
// synonyms (names and sources, most specific first), and the same value but where noted.
import * as assert from 'uvu/assert';
import kafkajs from 'kafkajs';
import { HONOURED_TOPIC_CONFIGS } from '../../lib/broker/storage/topic-config.ts';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from '../runtime/targets.ts';

interface Seen { value: string; source: number; synonyms: string[] }
/** What each broker answered, in suite order (real Kafka first, when there is one). */
const answers: Map<string, Seen>[] = [];

/** retention.ms: Kafka deletes after 7 days by default, this broker never (it says -1). */
const VALUE_DIFFERS = new Set(['retention.ms']);
/** The test Kafka sets min.insync.replicas at start and dynamically: its sources differ from a default. */
const SOURCE_DIFFERS = new Set(['min.insync.replicas']);

forEachBroker('test/broker/describe-configs.kafka.test.ts', (suite, brokers) => {
  suite('a topic reports the honoured configs with sources and synonyms', async () => {
    const kafka = new kafkajs.Kafka({ brokers: brokers(), logLevel: kafkajs.logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const topic = uniqueName('dc');
      await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }], waitForLeaders: true });
      const { resources } = await admin.describeConfigs({ includeSynonyms: true, resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: topic }] });
      const entries = new Map(resources[0]!.configEntries.map((e) => [e.configName, {
        value: e.configValue, source: e.configSource, synonyms: e.configSynonyms.map((s) => `${s.configSource}:${s.configName}`),
      }]));
      for (const name of HONOURED_TOPIC_CONFIGS) assert.ok(entries.has(name), `${name} listed`);
      const policy = entries.get('cleanup.policy')!;
      assert.is(policy.value, 'compact');
      assert.is(policy.source, 1, 'DYNAMIC_TOPIC_CONFIG');
      assert.equal(policy.synonyms, ['1:cleanup.policy', '5:log.cleanup.policy']);
      answers.push(entries);
    } finally {
      await admin.disconnect();
    }
  });

  // Runs in each suite; it compares once both have answered (in the embedded suite, after Kafka's).
  suite('both brokers answer alike for the honoured configs', () => {
    if (answers.length < 2) return;
    const [kafka, embedded] = answers as [Map<string, Seen>, Map<string, Seen>];
    for (const name of HONOURED_TOPIC_CONFIGS) {
      const k = kafka.get(name)!, e = embedded.get(name)!;
      if (!VALUE_DIFFERS.has(name)) assert.is(e.value, k.value, `${name} value`);
      if (SOURCE_DIFFERS.has(name)) continue;
      assert.is(e.source, k.source, `${name} source`);
      assert.equal(e.synonyms, k.synonyms, `${name} synonyms`);
    }
  });
});
