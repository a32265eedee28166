import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Record, Serdes, Topology, StreamsError, type ProcessorContext, type ExceptionHandler } from '../../lib/index.ts';
import { TopologyTestDriver } from '../../lib/testing/index.ts';

const S = Serdes.String();
const I = Serdes.Int32();

/** Forwards each record's value to the child named after the value's first letter. */
function router() {
  let ctx: ProcessorContext<string, string>;
  return {
    init(c: ProcessorContext<string, string>) { ctx = c; },
    process(r: Record<string, string>) { ctx.forward(r, r.value.startsWith('a') ? 'to-a' : 'to-b'); },
  };
}

test('forward with a child name reaches only that child', async () => {
  const t = new Topology()
    .addSource('in', { topics: ['in'], keySerde: S, valueSerde: S })
    .addProcessor('route', router, 'in')
    .addSink('to-a', { topic: 'a', keySerde: S, valueSerde: S }, 'route')
    .addSink('to-b', { topic: 'b', keySerde: S, valueSerde: S }, 'route');
  const driver = new TopologyTestDriver(t);
  await driver.createInputTopic('in', S, S).pipeKeyValueList([{ key: '1', value: 'ant' }, { key: '2', value: 'bee' }]);
  assert.equal(driver.createOutputTopic('a', S, S).readKeyValuesToList(), [{ key: '1', value: 'ant' }]);
  assert.equal(driver.createOutputTopic('b', S, S).readKeyValuesToList(), [{ key: '2', value: 'bee' }]);
  await driver.close();
});

test('forward to an unknown child name is a processing error that is skipped and counted', async () => {
  const t = new Topology()
    .addSource('in', { topics: ['in'], keySerde: S, valueSerde: S })
    .addProcessor('route', router, 'in')
    .addSink('to-a', { topic: 'a', keySerde: S, valueSerde: S }, 'route');
  const errors: string[] = [];
  const driver = new TopologyTestDriver(t, { onProcessingError: (e) => { errors.push(e.message); return 'continue'; } });
  await driver.createInputTopic('in', S, S).pipeInput('1', 'bee');
  assert.match(errors[0]!, /no child named "to-b"/);
  assert.is(driver.metrics().skippedProcessing, 1);
  await driver.close();
});

function punctuating(type: 'stream-time' | 'wall-clock', interval: number) {
  return () => {
    let ctx: ProcessorContext<string, number>;
    return {
      init(c: ProcessorContext<string, number>) {
        ctx = c;
        ctx.schedule(interval, type, (ts) => ctx.forward(new Record('tick', ts, ts)));
      },
      process() {},
    };
  };
}

test('stream-time punctuators fire as record timestamps cross each interval, once per missed interval', async () => {
  const t = new Topology()
    .addSource('in', { topics: ['in'], keySerde: S, valueSerde: S })
    .addProcessor('p', punctuating('stream-time', 1000), 'in')
    .addSink('out', { topic: 'out', keySerde: S, valueSerde: I }, 'p');
  const driver = new TopologyTestDriver(t);
  const input = driver.createInputTopic('in', S, S);
  for (const ts of [1500, 1700, 2100, 5600, 5000]) await input.pipeInput('k', 'v', ts);
  assert.equal(driver.createOutputTopic('out', S, I).readKeyValuesToList().map((kv) => kv.value), [1500, 2100, 5600]);
  await driver.close();
});

test('wall-clock punctuators fire only when the driver clock advances past the interval', async () => {
  const t = new Topology()
    .addSource('in', { topics: ['in'], keySerde: S, valueSerde: S })
    .addProcessor('p', punctuating('wall-clock', 100), 'in')
    .addSink('out', { topic: 'out', keySerde: S, valueSerde: I }, 'p');
  const driver = new TopologyTestDriver(t, { initialWallClockTimeMs: 0 });
  const out = driver.createOutputTopic('out', S, I);
  await driver.advanceWallClockTime(99);
  assert.ok(out.isEmpty());
  await driver.advanceWallClockTime(1);
  await driver.advanceWallClockTime(250);
  assert.equal(out.readKeyValuesToList().map((kv) => kv.value), [100, 350]);
  await driver.close();
});

test('an async processor finishes each record before the next one starts', async () => {
  const order: string[] = [];
  const t = new Topology()
    .addSource('in', { topics: ['in'], keySerde: S, valueSerde: S })
    .addProcessor('slow', () => {
      let ctx: ProcessorContext;
      return {
        init(c: ProcessorContext) { ctx = c; },
        async process(r: Record<string, string>) {
          order.push(`start ${r.value}`);
          await new Promise((res) => setTimeout(res, r.value === '1' ? 20 : 1));
          order.push(`end ${r.value}`);
          ctx.forward(r);
        },
      };
    }, 'in')
    .addSink('out', { topic: 'out', keySerde: S, valueSerde: S }, 'slow');
  const driver = new TopologyTestDriver(t);
  const input = driver.createInputTopic('in', S, S);
  await Promise.all([input.pipeInput('k', '1'), input.pipeInput('k', '2')]);
  assert.equal(order, ['start 1', 'end 1', 'start 2', 'end 2']);
  assert.equal(driver.createOutputTopic('out', S, S).readKeyValuesToList().map((kv) => kv.value), ['1', '2']);
  await driver.close();
});

test('a record a sink writes to one of the topology\'s own source topics is processed again', async () => {
  const t = new Topology()
    .addSource('in', { topics: ['in'], keySerde: S, valueSerde: S })
    .addSink('to-mid', { topic: 'mid', keySerde: S, valueSerde: S }, 'in')
    .addSource('mid-in', { topics: ['mid'], keySerde: S, valueSerde: S })
    .addSink('out', { topic: 'out', keySerde: S, valueSerde: S }, 'mid-in');
  const driver = new TopologyTestDriver(t);
  await driver.createInputTopic('in', S, S).pipeInput('k', 'v');
  assert.equal(driver.createOutputTopic('out', S, S).readKeyValue(), { key: 'k', value: 'v' });
  await driver.close();
});

test('a record that cannot be deserialized is skipped and counted while the next one flows', async () => {
  const t = new Topology()
    .addSource('in', { topics: ['in'], keySerde: S, valueSerde: I })
    .addSink('out', { topic: 'out', keySerde: S, valueSerde: I }, 'in');
  const sites: string[] = [];
  const handler: ExceptionHandler = (_e, site) => { sites.push(`${site.topic}@${site.offset}`); return 'continue'; };
  const driver = new TopologyTestDriver(t, { onDeserializationError: handler });
  const raw = driver.createInputTopic<string, Uint8Array>('in', S);
  await raw.pipeInput('k', new Uint8Array([1, 2, 3]));
  await raw.pipeInput('k', I.serialize(42));
  assert.equal(sites, ['in@0']);
  assert.equal(driver.createOutputTopic('out', S, I).readKeyValuesToList(), [{ key: 'k', value: 42 }]);
  assert.is(driver.metrics().skippedDeserialization, 1);
  await driver.close();
});

test('a handler that answers fail stops processing with a StreamsError carrying the cause', async () => {
  const t = new Topology()
    .addSource('in', { topics: ['in'], keySerde: S, valueSerde: S })
    .addProcessor('boom', () => ({ process() { throw new Error('kaput'); } }), 'in');
  const driver = new TopologyTestDriver(t, { onProcessingError: () => 'fail' });
  try {
    await driver.createInputTopic('in', S, S).pipeInput('k', 'v');
    assert.unreachable('should have failed');
  } catch (err) {
    assert.instance(err, StreamsError);
    assert.match((err as Error).message, /kaput/);
  }
  await driver.close();
});

test.run();
