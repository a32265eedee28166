// Changelogs and the broker: a store value too large for its changelog (dropped, the task rebuilt
// from the changelog), and the configs and replication factor changelogs are created with.
import * as assert from 'uvu/assert';
import kafkajs from 'kafkajs';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from './targets.ts';
import { newInstance, waitFor } from './fixtures.ts';
import { attempt, count, createTopic, keyed, putting, send, withAdmin } from './produce-fixtures.ts';
import type { ProductionErrorSite } from '../../lib/index.ts';
import { resolveReplicationFactor } from '../../lib/runtime/internal-topics.ts';

const { ConfigResourceTypes } = kafkajs;

forEachBroker('test/runtime/changelog-limits.test.ts', (test, brokerList) => {
  test('a store value too large for its changelog is dropped by the handler and the task rebuilt from the changelog: live and restored state agree', async () => {
    const brokers = brokerList();
    const [input, applicationId] = [uniqueName('bigstore-in'), uniqueName('bigstore')];
    await createTopic(brokers, input);
    const sites: ProductionErrorSite[] = [];
    const app = newInstance(putting(input), ({ applicationId, brokers,  onProductionError: (_e, site) => { sites.push(site); return 'continue'; } }));
    const kv = () => app.store<string, string>('kv');
    try {
      await app.start();
      await send(brokers, input, keyed(['v0', 'v1', 'v2', 'big', 'v4']));
      await waitFor('the batch processed and the record dropped', () => app.metrics().processed === 5 && app.metrics().skippedProduction === 1);
      assert.equal(sites.map((s) => [s.outputTopic, s.changelog, s.reason, s.offset]), [[`${applicationId}-kv-changelog`, true, 'MESSAGE_TOO_LARGE', -1]]);
      await send(brokers, input, [{ key: 'k5', value: 'v5' }]);
      await waitFor('the next record in the rebuilt task', () => attempt(() => kv().get('k5') === 'v5'));
      assert.is(kv().get('k3'), undefined, 'the live store dropped what its changelog lacks');
      assert.equal(['k0', 'k1', 'k2', 'k4'].map((k) => kv().get(k)), ['v0', 'v1', 'v2', 'v4']);
      assert.is(app.state, 'RUNNING');
    } finally {
      await app.close();
    }
    const restored = newInstance(putting(input), { applicationId, brokers });
    try {
      await restored.start();
      await waitFor('the task restored', () => attempt(() => restored.store<string, string>('kv').get('k5') === 'v5'));
      assert.is(count(restored.store<string, string>('kv')), 5);
      assert.is(restored.store<string, string>('kv').get('k3'), undefined);
    } finally {
      await restored.close();
    }
  });

  test("changelogs are created compacted, CreateTime, with max.message.bytes, topicConfig and the store's config, and the broker's default replication factor", async () => {
    const brokers = brokerList();
    const [input, applicationId] = [uniqueName('cfg-in'), uniqueName('cfg')];
    await createTopic(brokers, input);
    // Configs both brokers honour (the embedded one refuses the others): the store's wins over topicConfig.
    const app = newInstance(putting(input, { 'segment.bytes': '52428800' }), ({ applicationId, brokers,
      topicConfig: { 'segment.bytes': '104857600', 'segment.ms': '3600000' },
    }));
    const changelog = `${applicationId}-kv-changelog`;
    try {
      await app.start();
    } finally {
      await app.close();
    }
    const names = ['cleanup.policy', 'message.timestamp.type', 'max.message.bytes', 'segment.bytes', 'segment.ms'];
    await withAdmin(brokers, async (admin) => {
      const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: changelog, configNames: names }] });
      const got = Object.fromEntries(resources[0]!.configEntries.filter((e) => names.includes(e.configName)).map((e) => [e.configName, e.configValue]));
      assert.equal(got, {
        'cleanup.policy': 'compact', 'message.timestamp.type': 'CreateTime', 'max.message.bytes': '1048588',
        'segment.bytes': '52428800', 'segment.ms': '3600000',
      });
      const { topics } = await admin.fetchTopicMetadata({ topics: [changelog] });
      assert.is(topics[0]!.partitions[0]!.replicas.length, 1, 'the broker default (1 on the test brokers)');
      const logged: string[] = [];
      assert.is(await resolveReplicationFactor(admin, -1, (m) => logged.push(m)), 1);
      assert.equal(logged, [], 'read from the broker, not the fallback');
      assert.is(await resolveReplicationFactor(admin, 2, (m) => logged.push(m)), 2, 'an explicit factor is kept');
    });
  });
});
