import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Record, Serdes, Topology, type ProcessorContext } from '../../lib/index.ts';
import { TopologyTestDriver } from '../../lib/testing/index.ts';

const S = Serdes.String();

/** Buffers records and forwards them as one joined record when flushed (a batch). */
function batcher(flushes: number[]) {
  return () => {
    let ctx: ProcessorContext<string, string>;
    const buffer: Record<string, string>[] = [];
    return {
      init(c: ProcessorContext<string, string>) { ctx = c; },
      process(r: Record<string, string>) { buffer.push(r); },
      async flush() {
        flushes.push(buffer.length);
        if (buffer.length === 0) return;
        await new Promise((res) => setTimeout(res, 1));
        ctx.forward(new Record('batch', buffer.map((r) => r.value).join(','), buffer[buffer.length - 1]!.timestamp));
        buffer.length = 0;
      },
    };
  };
}

test('a processor that buffers emits its batch at flush, before the commit, and its children see it', async () => {
  const flushes: number[] = [];
  const upper = () => {
    let ctx: ProcessorContext<string, string>;
    return { init(c: ProcessorContext<string, string>) { ctx = c; }, process(r: Record<string, string>) { ctx.forward(r.withValue(r.value.toUpperCase())); } };
  };
  const t = new Topology()
    .addSource('in', { topics: ['in'], keySerde: S, valueSerde: S })
    .addProcessor('batch', batcher(flushes), 'in')
    .addProcessor('upper', upper, 'batch')
    .addSink('out', { topic: 'out', keySerde: S, valueSerde: S }, 'upper');
  const driver = new TopologyTestDriver(t);
  const out = driver.createOutputTopic('out', S, S);
  await driver.createInputTopic('in', S, S).pipeInput('k', 'a');
  assert.equal(out.readKeyValuesToList(), [{ key: 'batch', value: 'A' }], 'the driver commits after each pipe');
  await driver.close();
  assert.equal(flushes.slice(0, 1), [1]);
});

test('a processor flush that throws is a processing error: skipped and counted, the task goes on', async () => {
  const t = new Topology()
    .addSource('in', { topics: ['in'], keySerde: S, valueSerde: S })
    .addProcessor('bad', () => ({ process() {}, flush() { throw new Error('flush broke'); } }), 'in');
  const errors: string[] = [];
  const driver = new TopologyTestDriver(t, { onProcessingError: (e) => { errors.push(e.message); return 'continue'; } });
  await driver.createInputTopic('in', S, S).pipeInput('k', 'v');
  assert.match(errors[0]!, /flush broke/);
  assert.is(driver.metrics().skippedProcessing, 1);
  await driver.close();
});

test('what a flush writes to one of the topology\'s own source topics is processed within the same pipe', async () => {
  const t = new Topology()
    .addSource('in', { topics: ['in'], keySerde: S, valueSerde: S })
    .addProcessor('batch', batcher([]), 'in')
    .addSink('to-mid', { topic: 'mid', keySerde: S, valueSerde: S }, 'batch')
    .addSource('mid-in', { topics: ['mid'], keySerde: S, valueSerde: S })
    .addSink('out', { topic: 'out', keySerde: S, valueSerde: S }, 'mid-in');
  const driver = new TopologyTestDriver(t);
  await driver.createInputTopic('in', S, S).pipeInput('k', 'x');
  assert.equal(driver.createOutputTopic('out', S, S).readKeyValuesToList(), [{ key: 'batch', value: 'x' }]);
  await driver.close();
});

test.run();
