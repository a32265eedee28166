// An instance is RUNNING only on the latest assignment it received. kafkajs rejoins the group on
// its own heartbeat while the runtime is still opening the tasks of an older assignment; finishing
// that older one must not report RUNNING with tasks the group has since given to another member
// (a stream thread's report of it let ThreadedStreams.start() resolve on a stale task list).
import * as assert from 'uvu/assert';
import { uniqueName } from '../kafka/brokers.ts';
import { forEachBroker } from './targets.ts';
import { countTopology, createTopics, newInstance, waitFor, I, S } from './fixtures.ts';
import { Stores, Topology, type ProcessorContext, type Record } from '../../lib/index.ts';

/** countTopology's shape, with a processor init that waits for `gate` (a task opening slowly). */
function gatedTopology(input: string, output: string, opening: () => Promise<void>): Topology {
  return new Topology()
    .addSource('in', { topics: [input], keySerde: S, valueSerde: S })
    .addProcessor('count', () => {
      let ctx: ProcessorContext<string, number>;
      return {
        init(c: ProcessorContext<string, number>) { ctx = c; return opening(); },
        process(r: Record<string, string>) { ctx.forward(r.withValue(1)); },
      };
    }, 'in')
    .addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore('counts'), S, I), 'count')
    .addSink('out', { topic: output, keySerde: S, valueSerde: I }, 'count');
}

forEachBroker('test/runtime/rejoin-running.test.ts', (test, brokerList) => {
  test('an instance that rejoined while opening its first assignment reports RUNNING only with the tasks of the latest one', async () => {
    const brokers = brokerList();
    const input = uniqueName('rejoin-in'), output = uniqueName('rejoin-out'), applicationId = uniqueName('rejoin-app');
    await createTopics(brokers, [{ topic: input, numPartitions: 4 }, { topic: output, numPartitions: 4 }]);
    let opening = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const a = newInstance(gatedTopology(input, output, () => { opening++; return gate; }), { applicationId, brokers });
    const b = newInstance(countTopology(input, output), { applicationId, brokers });
    const aRunningWith: string[][] = [];
    a.onStateChange((next) => { if (next === 'RUNNING') aRunningWith.push([...a.metrics().tasks]); });
    try {
      await a.start();
      await waitFor('a alone in the group, opening all 4 tasks', () => opening === 4);
      // b joins; a's consumer rejoins on its heartbeat while its tasks are still opening.
      await b.start();
      await waitFor('b running 2 tasks', () => b.state === 'RUNNING' && b.metrics().tasks.length === 2);
      release();
      await waitFor('a running', () => a.state === 'RUNNING');
      const bTasks = b.metrics().tasks;
      assert.ok(aRunningWith.length > 0);
      for (const tasks of aRunningWith) assert.ok(tasks.every((t) => !bTasks.includes(t)), `a reported RUNNING with ${tasks} while b runs ${bTasks}`);
      assert.equal([...a.metrics().tasks, ...bTasks].sort(), ['0_0', '0_1', '0_2', '0_3']);
    } finally {
      release();
      await Promise.all([a.close(), b.close()]);
    }
  });
});
