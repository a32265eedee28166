// Output records the broker refuses (too large for the topic) go to onProductionError: counted,
// skipped and never met again, or 'fail' stops the application. A commit never fails forever.
import * as assert from 'uvu/assert';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from './targets.ts';
import { newInstance, waitFor, S } from './fixtures.ts';
import { BIG, createTopic, keyed, readAll, send } from './produce-fixtures.ts';
import {
  ProductionError, Topology, StreamsError,
  type ProcessorContext, type ProductionErrorSite, type ProductionExceptionHandler, type Record,
} from '../../lib/index.ts';

/** Echoes each value; the value 'big' becomes 2 MiB, over the default max.message.bytes. */
function inflating(input: string, output: string): Topology {
  return new Topology()
    .addSource('in', { topics: [input], keySerde: S, valueSerde: S })
    .addProcessor('inflate', () => {
      let ctx: ProcessorContext<string, string>;
      return {
        init(c: ProcessorContext<string, string>) { ctx = c; },
        process(r: Record<string, string>) { ctx.forward(r.value === 'big' ? r.withValue('x'.repeat(BIG)) : r); },
      };
    }, 'in')
    .addSink('out', { topic: output, keySerde: S, valueSerde: S }, 'inflate');
}

function recording(answer: 'continue' | 'fail'): { handler: ProductionExceptionHandler; calls: { error: Error; site: ProductionErrorSite }[] } {
  const calls: { error: Error; site: ProductionErrorSite }[] = [];
  return { calls, handler: (error, site) => { calls.push({ error, site }); return answer; } };
}

const values = ['v0', 'v1', 'v2', 'big', 'v4', 'v5', 'v6'];

forEachBroker('test/runtime/production-errors.test.ts', (test, brokerList) => {
  test('a sink record over max.message.bytes goes to the handler with its input, is counted and skipped; later records are sent and a restart does not meet it again', async () => {
    const brokers = brokerList();
    const [input, output, applicationId] = [uniqueName('big-in'), uniqueName('big-out'), uniqueName('big')];
    await createTopic(brokers, input);
    await createTopic(brokers, output);
    const first = recording('continue');
    const app = newInstance(inflating(input, output), { applicationId, brokers, onProductionError: first.handler });
    try {
      await app.start();
      await send(brokers, input, keyed(values));
      await waitFor('all records processed', () => app.metrics().processed === values.length && app.metrics().skippedProduction === 1);
      const sent = await readAll(brokers, output, values.length - 1);
      assert.equal(sent.map((r) => r.value), values.filter((v) => v !== 'big'), 'every normal record, in order');
      assert.is(first.calls.length, 1);
      const { error, site } = first.calls[0]!;
      assert.instance(error, ProductionError);
      assert.equal({ topic: site.topic, partition: site.partition, offset: site.offset }, { topic: input, partition: 0, offset: 3 });
      assert.equal({ outputTopic: site.outputTopic, reason: site.reason, changelog: site.changelog }, { outputTopic: output, reason: 'MESSAGE_TOO_LARGE', changelog: false });
      assert.equal(app.metrics().skippedProductionByReason, { MESSAGE_TOO_LARGE: 1 });
      assert.is(app.state, 'RUNNING');
    } finally {
      await app.close();
    }
    const second = recording('continue');
    const again = newInstance(inflating(input, output), { applicationId, brokers, onProductionError: second.handler });
    try {
      await again.start();
      await send(brokers, input, keyed(['after']));
      await waitFor('the new record', () => again.metrics().processed === 1);
      assert.is(second.calls.length, 0, 'the refused record was not processed again');
    } finally {
      await again.close();
    }
  });

  test('a handler answering fail moves the application to ERROR with the refusal as the cause', async () => {
    const brokers = brokerList();
    const [input, output] = [uniqueName('bigfail-in'), uniqueName('bigfail-out')];
    await createTopic(brokers, input);
    await createTopic(brokers, output);
    const { handler, calls } = recording('fail');
    const app = newInstance(inflating(input, output), { applicationId: uniqueName('bigfail'), brokers, onProductionError: handler });
    try {
      await app.start();
      await send(brokers, input, keyed(values));
      await waitFor('ERROR state', () => app.state === 'ERROR');
      assert.instance(app.error, StreamsError);
      assert.instance(app.error!.cause, ProductionError);
      assert.is((app.error!.cause as ProductionError).reason, 'MESSAGE_TOO_LARGE');
      assert.is(calls.length, 1);
      assert.is(app.metrics().skippedProduction, 0, 'a failed record is not counted as skipped');
    } finally {
      await app.close();
    }
  });
});
