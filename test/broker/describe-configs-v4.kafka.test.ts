// DescribeConfigs v4 (flexible; v3's config_type and documentation) on the wire, against real
// Kafka 4.4 and the embedded broker: for every topic config the embedded broker honours and
// every broker config it lists, both answer the same config_type; documentation comes only when
// asked. The request is written byte by byte and the answer read field by field, so neither
// broker's own codec is trusted.
import * as assert from 'uvu/assert';
import kafkajs from 'kafkajs';
import { HONOURED_TOPIC_CONFIGS } from '../../lib/broker/storage/topic-config.ts';
import { Reader } from '../../lib/broker/protocol/reader.ts';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from '../runtime/targets.ts';
import { bool, carr, cat, cstr, i8, tags } from './handlers/golden.ts';
import { flexibleRequestFrame, rawClient } from './raw-client.ts';

interface Entry { type: number; source: number; documented: boolean; synonyms: number }
const TOPIC = 2, BROKER = 4;

async function describeV4(address: string, type: number, name: string, includeDocumentation: boolean): Promise<Map<string, Entry>> {
  const [host, port] = address.split(':') as [string, string];
  const c = await rawClient(Number(port), host);
  try {
    const body = cat(carr([cat(i8(type), cstr(name), carr(null), tags())]), bool(true), bool(includeDocumentation), tags());
    c.send(flexibleRequestFrame(32, 4, 11, body));
    const r = new Reader(await c.nextFrame());
    assert.is(r.int32(), 11, 'correlation id');
    r.taggedFields(); // response header v1
    r.int32(); // throttle
    const [result] = r.compactArray((r) => {
      const head = { errorCode: r.int16(), errorMessage: r.nullableString(true), type: r.int8(), name: r.string(true) };
      const configs = r.compactArray((r) => {
        const e = { name: r.string(true), value: r.nullableString(true), readOnly: r.boolean(), source: r.int8(), sensitive: r.boolean() };
        const synonyms = r.compactArray((r) => { const s = [r.string(true), r.nullableString(true), r.int8()]; r.taggedFields(); return s; });
        const configType = r.int8(), doc = r.nullableString(true);
        r.taggedFields();
        return { ...e, synonyms: synonyms.length, configType, doc };
      });
      r.taggedFields();
      return { ...head, configs };
    });
    r.taggedFields();
    assert.is(r.remaining, 0, 'the whole answer read');
    assert.is(result!.errorCode, 0, String(result!.errorMessage));
    return new Map(result!.configs.map((e) => [e.name, { type: e.configType, source: e.source, documented: e.doc !== null, synonyms: e.synonyms }]));
  } finally {
    c.close();
  }
}

/** What each broker answered, in suite order (real Kafka first, when there is one). */
const answers: { topic: Map<string, Entry>; broker: Map<string, Entry> }[] = [];

forEachBroker('test/broker/describe-configs-v4.kafka.test.ts', (suite, brokers) => {
  suite('v4 lists each config with its type, and documentation only when asked', async () => {
    const kafka = new kafkajs.Kafka({ brokers: brokers(), logLevel: kafkajs.logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    let nodeId: number;
    const topic = uniqueName('dc4');
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }], waitForLeaders: true });
      nodeId = (await admin.describeCluster()).brokers[0]!.nodeId;
    } finally {
      await admin.disconnect();
    }
    const address = brokers()[0]!;
    const documented = await describeV4(address, TOPIC, topic, true);
    const bare = await describeV4(address, TOPIC, topic, false);
    for (const name of HONOURED_TOPIC_CONFIGS) {
      assert.ok(documented.get(name)?.documented, `${name} documented when asked`);
      assert.is(bare.get(name)?.documented, false, `${name} without documentation when not asked`);
      assert.ok(documented.get(name)!.type > 0, `${name} has a type`);
    }
    assert.is(documented.get('cleanup.policy')!.source, 1, 'DYNAMIC_TOPIC_CONFIG');
    assert.ok(documented.get('cleanup.policy')!.synonyms >= 2, 'synonyms in v4 too');
    answers.push({ topic: documented, broker: await describeV4(address, BROKER, String(nodeId), false) });
  });

  // Runs in each suite; it compares once both have answered (in the embedded suite, after Kafka's).
  suite('both brokers give every honoured topic config and every listed broker config the same type', () => {
    if (answers.length < 2) return;
    const [kafka, embedded] = answers as [(typeof answers)[0], (typeof answers)[0]];
    for (const name of HONOURED_TOPIC_CONFIGS) assert.is(embedded.topic.get(name)!.type, kafka.topic.get(name)!.type, `topic ${name}`);
    for (const [name, e] of embedded.broker) {
      assert.ok(kafka.broker.has(name), `Kafka lists broker config ${name}`);
      assert.is(e.type, kafka.broker.get(name)!.type, `broker ${name}`);
    }
  });
});
