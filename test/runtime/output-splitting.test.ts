// Sends split by bytes: a sink batch over the topic's limit, and a commit's changelog over its
// topic's limit (pending pieces confirmed by the last; a torn, unconfirmed tail is not restored).
import * as assert from 'uvu/assert';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from './targets.ts';
import { newInstance, waitFor, S } from './fixtures.ts';
import { count, createTopic, keyed, putting, readAll, send } from './produce-fixtures.ts';
import { Record, Topology, type ProcessorContext } from '../../lib/index.ts';

forEachBroker('test/runtime/output-splitting.test.ts', (test, brokerList) => {
  test('1,500 records of 1 KiB for one partition in one commit are sent in pieces under the topic limit', async () => {
    const brokers = brokerList();
    const [input, output] = [uniqueName('many-in'), uniqueName('many-out')];
    await createTopic(brokers, input);
    // 64 KiB: one batch of all 1,500 (1.5 MB) or of 1,000 would be refused by Kafka.
    await createTopic(brokers, output, { 'max.message.bytes': '65536' });
    const topology = new Topology()
      .addSource('in', { topics: [input], keySerde: S, valueSerde: S })
      .addProcessor('fan-out', () => {
        let ctx: ProcessorContext<string, string>;
        return {
          init(c: ProcessorContext<string, string>) { ctx = c; },
          process(r: Record<string, string>) { for (let i = 0; i < 1500; i++) ctx.forward(new Record(`k${i}`, `${i}:`.padEnd(1024, '.'), r.timestamp)); },
        };
      }, 'in')
      .addSink('out', { topic: output, keySerde: S, valueSerde: S }, 'fan-out');
    const app = newInstance(topology, { applicationId: uniqueName('many'), brokers });
    try {
      await app.start();
      await send(brokers, input, keyed(['go']));
      const sent = await readAll(brokers, output, 1500);
      assert.is(sent.length, 1500);
      assert.ok(sent.every((r) => r.size === 1024));
      assert.equal(sent.map((r) => Number(r.value.split(':')[0])), Array.from({ length: 1500 }, (_, i) => i), 'in order');
      assert.is(app.metrics().skippedProduction, 0);
      assert.is(app.state, 'RUNNING');
    } finally {
      await app.close();
    }
  });

  test('a commit whose changelog exceeds the topic limit is sent in pieces confirmed by the last, and restored whole', async () => {
    const brokers = brokerList();
    const [input, applicationId] = [uniqueName('split-in'), uniqueName('split')];
    await createTopic(brokers, input);
    const topology = () => putting(input, { 'max.message.bytes': '65536' });
    const app = newInstance(topology(), { applicationId, brokers });
    try {
      await app.start();
      await send(brokers, input, [{ key: 'go', value: 'many' }]);
      await waitFor('300 keys', () => count(app.store('kv')) === 300);
    } finally {
      await app.close();
    }
    const headers = (await readAll(brokers, `${applicationId}-kv-changelog`, 300)).map((r) => r.headers);
    assert.is(headers.length, 300, 'nothing dropped or sent twice');
    const pending = headers.filter((h) => h.includes('modelstream.pending')).length;
    assert.ok(pending > 0 && pending < 300, `earlier pieces pending (${pending})`);
    assert.equal(headers[299], ['modelstream.position'], 'the last record confirms the commit');
    assert.ok(headers.slice(pending).every((h) => h.includes('modelstream.position')), 'pending pieces come first');
    const restored = newInstance(topology(), { applicationId, brokers });
    try {
      await restored.start();
      await waitFor('the restore', () => count(restored.store('kv')) === 300, 20_000);
    } finally {
      await restored.close();
    }
  });

  test('changelog records of a commit that never got confirmed are not restored', async () => {
    const brokers = brokerList();
    const [input, applicationId] = [uniqueName('tail-in'), uniqueName('tail')];
    await createTopic(brokers, input);
    const app = newInstance(putting(input), { applicationId, brokers });
    try {
      await app.start();
      await send(brokers, input, [{ key: 'a', value: '1' }, { key: 'b', value: '2' }]);
      await waitFor('both keys', () => count(app.store('kv')) === 2);
    } finally {
      await app.close();
    }
    // What a crash between the requests of a split changelog leaves: pending records, no confirmation.
    const changelog = `${applicationId}-kv-changelog`;
    await send(brokers, changelog, [
      { key: 'a', value: 'torn', partition: 0, headers: { 'modelstream.pending': '' } },
      { key: 'ghost', value: 'torn', partition: 0, headers: { 'modelstream.pending': '' } },
    ]);
    const restored = newInstance(putting(input), { applicationId, brokers });
    const kv = () => restored.store<string, string>('kv');
    try {
      await restored.start();
      await waitFor('the restore', () => count(kv()) >= 2);
      assert.equal([kv().get('a'), kv().get('b'), kv().get('ghost')], ['1', '2', undefined]);
    } finally {
      await restored.close();
    }
  });
});
