import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Topology, TopologyError, type StoreBuilder, type StateStore } from '../../lib/index.ts';

const noop = () => ({ process() {} });

/** A builder whose stores are never opened: validation must not need real stores. */
function fakeBuilder(name: string, loggingEnabled = false): StoreBuilder {
  const builder: StoreBuilder = {
    name, loggingEnabled, logConfig: {},
    withLoggingEnabled: () => fakeBuilder(name, true),
    withLoggingDisabled: () => fakeBuilder(name, false),
    build: () => ({ name }) as unknown as StateStore,
  };
  return builder;
}

function throwsTopologyError(fn: () => unknown, pattern: RegExp) {
  try {
    fn();
  } catch (err) {
    assert.instance(err, TopologyError);
    assert.match((err as Error).message, pattern);
    return;
  }
  assert.unreachable('expected a TopologyError');
}

test('a duplicate node name is rejected when added', () => {
  const t = new Topology().addSource('in', { topics: ['a'] });
  throwsTopologyError(() => t.addProcessor('in', noop, 'in'), /"in" is already added/);
});

test('an unknown parent is named when the topology is checked', () => {
  const t = new Topology().addSource('in', { topics: ['a'] }).addProcessor('p', noop, 'nope');
  throwsTopologyError(() => t.describe(), /"p" names an unknown parent "nope"/);
});

test('a cycle through forward references is reported with its path', () => {
  const t = new Topology()
    .addSource('in', { topics: ['a'] })
    .addProcessor('p1', noop, 'in', 'p2')
    .addProcessor('p2', noop, 'p1');
  throwsTopologyError(() => t.describe(), /cycle: .*p1 -> p2 -> p1/);
});

test('a node cannot be its own parent', () => {
  const t = new Topology().addSource('in', { topics: ['a'] });
  throwsTopologyError(() => t.addProcessor('p', noop, 'p'), /own parent/);
});

test('a state store connected to no processor is rejected', () => {
  const t = new Topology().addSource('in', { topics: ['a'] }).addProcessor('p', noop, 'in').addStateStore(fakeBuilder('s'));
  throwsTopologyError(() => t.describe(), /"s" is not connected to any processor/);
});

test('a state store connected to an unknown processor is rejected', () => {
  const t = new Topology().addSource('in', { topics: ['a'] }).addStateStore(fakeBuilder('s'), 'ghost');
  throwsTopologyError(() => t.describe(), /unknown processor "ghost"/);
});

test('a sink cannot have children', () => {
  const t = new Topology().addSource('in', { topics: ['a'] }).addSink('out', { topic: 'b' }, 'in').addProcessor('p', noop, 'out');
  throwsTopologyError(() => t.describe(), /sinks have no children/);
});

test('two sources cannot read the same topic', () => {
  const t = new Topology().addSource('in1', { topics: ['a'] }).addSource('in2', { topics: ['a'] });
  throwsTopologyError(() => t.describe(), /"a" is read by both "in1" and "in2"/);
});

test('a global store must have logging disabled', () => {
  throwsTopologyError(() => new Topology().addGlobalStore(fakeBuilder('g', true), { topic: 'g', processor: noop }), /logging disabled/);
});

test('describe() lists sub-topologies split where the graph is disconnected', () => {
  const t = new Topology()
    .addSource('in1', { topics: ['a'] }).addProcessor('p1', noop, 'in1').addSink('out1', { topic: 'x' }, 'p1')
    .addSource('in2', { topics: ['b'] }).addProcessor('p2', noop, 'in2')
    .addStateStore(fakeBuilder('s'), 'p2');
  const text = t.describe();
  assert.match(text, /Sub-topology: 0\n    Source: in1 \(topics: \[a\]\)\n      --> p1/);
  assert.match(text, /Sub-topology: 1/);
  assert.match(text, /Processor: p2 \(stores: \[s\]\)/);
  assert.match(text, /Sink: out1 \(topic: x\)\n      --> none\n      <-- p1/);
});

test('processors sharing a store join one sub-topology', () => {
  const t = new Topology()
    .addSource('in1', { topics: ['a'] }).addProcessor('p1', noop, 'in1')
    .addSource('in2', { topics: ['b'] }).addProcessor('p2', noop, 'in2')
    .addStateStore(fakeBuilder('shared'), 'p1', 'p2');
  const text = t.describe();
  assert.not.match(text, /Sub-topology: 1/);
});

test.run();
