import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ModelLoadError } from '../../../../lib/models/api/model.ts';
import { compileDenormalize } from '../../../../lib/models/pmml/neural-network/denormalize.ts';
import { compileNetwork } from '../../../../lib/models/pmml/neural-network/network.ts';
import type { NetworkSpec } from '../../../../lib/models/pmml/neural-network/network.ts';

const close = (actual: number | undefined, expected: number, rel = 1e-13) =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) <= rel * Math.max(1, Math.abs(expected)), `${actual} vs ${expected}`);

function run(spec: NetworkSpec, inputs: number[]): (id: string) => number {
  const net = compileNetwork(spec);
  const buf = new Float64Array(net.size);
  buf.set(inputs);
  net.run(buf);
  return (id) => buf[net.slotOf(id) as number] as number;
}

const twoLayer = (over: Partial<NetworkSpec> = {}): NetworkSpec => ({
  activationFunction: 'tanh',
  inputIds: ['i1', 'i2'],
  layers: [
    { neurons: [
      { id: 'h1', bias: 0.1, connections: [{ from: 'i1', weight: 0.5 }, { from: 'i2', weight: -1 }] },
      { id: 'h2', connections: [{ from: 'i1', weight: 2 }] },
    ] },
    { activationFunction: 'identity', neurons: [{ id: 'o', bias: -0.2, connections: [{ from: 'h1', weight: 1.5 }, { from: 'h2', weight: 0.25 }] }] },
  ],
  ...over,
});

test('a two-layer network computes activation(Σ w·x + bias) layer by layer; the layer overrides the network activation', () => {
  const out = run(twoLayer(), [0.8, 0.3]);
  const h1 = Math.tanh(0.5 * 0.8 - 0.3 + 0.1);
  const h2 = Math.tanh(2 * 0.8);
  close(out('h1'), h1);
  close(out('h2'), h2);
  close(out('o'), 1.5 * h1 + 0.25 * h2 - 0.2);
});

test('the layer threshold overrides the network threshold', () => {
  const spec = twoLayer({ activationFunction: 'threshold', threshold: 5 });
  const out = run({ ...spec, layers: [{ ...spec.layers[0]!, threshold: 0 }, spec.layers[1]!] }, [1, 0]);
  assert.is(out('h1'), 1);
  assert.is(out('h2'), 1);
});

test('a radialBasis layer computes exp(fan-in·ln(altitude) − Σ(x − w)²/(2·width²)), the neuron width overriding', () => {
  const spec: NetworkSpec = {
    activationFunction: 'radialBasis', width: 2, altitude: 1.5, inputIds: ['a', 'b'],
    layers: [{ neurons: [
      { id: 'r1', connections: [{ from: 'a', weight: 1 }, { from: 'b', weight: 0.5 }] },
      { id: 'r2', width: 0.5, connections: [{ from: 'a', weight: 0 }] },
    ] }],
  };
  const out = run(spec, [2, 1]);
  close(out('r1'), Math.exp(2 * Math.log(1.5) - (1 + 0.25) / (2 * 4)));
  close(out('r2'), Math.exp(Math.log(1.5) - 4 / (2 * 0.25)));
});

test('radialBasis without any width fails at load', () => {
  const spec: NetworkSpec = { activationFunction: 'radialBasis', inputIds: ['a'], layers: [{ neurons: [{ id: 'r', connections: [{ from: 'a', weight: 1 }] }] }] };
  assert.throws(() => compileNetwork(spec), (e: unknown) => e instanceof ModelLoadError && /width/.test((e as Error).message));
});

test('a connection from the same or a later layer fails at load, naming the Con', () => {
  const spec = twoLayer();
  const bad: NetworkSpec = { ...spec, layers: [{ neurons: [{ id: 'h1', connections: [{ from: 'o', weight: 1 }] }] }, spec.layers[1]!] };
  assert.throws(() => compileNetwork(bad), (e: unknown) => e instanceof ModelLoadError && /<Con> from="o"/.test((e as Error).message));
});

test('duplicate neuron ids fail at load', () => {
  const spec = twoLayer();
  const dup: NetworkSpec = { ...spec, layers: [spec.layers[0]!, { neurons: [{ id: 'h1', connections: [{ from: 'i1', weight: 1 }] }] }] };
  assert.throws(() => compileNetwork(dup), (e: unknown) => e instanceof ModelLoadError && /not unique/.test((e as Error).message));
});

test('softmax on the output layer makes the outputs sum to one', () => {
  const spec = twoLayer();
  const out = run({ ...spec, layers: [spec.layers[0]!, { activationFunction: 'identity', normalizationMethod: 'softmax', neurons: [
    { id: 'o1', connections: [{ from: 'h1', weight: 1 }] }, { id: 'o2', connections: [{ from: 'h2', weight: 1 }] },
  ] }] }, [0.8, 0.3]);
  const h1 = Math.tanh(0.5 * 0.8 - 0.3 + 0.1), h2 = Math.tanh(1.6);
  close(out('o1'), Math.exp(h1) / (Math.exp(h1) + Math.exp(h2)));
  close(out('o1') + out('o2'), 1);
});

test('denormalize inverts a piecewise-linear NormContinuous within its norm range', () => {
  const norms = [{ orig: 0, norm: -1 }, { orig: 10, norm: 0 }, { orig: 30, norm: 1 }];
  const inv = compileDenormalize(norms);
  close(inv(-1), 0);
  close(inv(-0.5), 5);
  close(inv(0.5), 20);
  close(inv(1), 30);
});

test('denormalize beyond the norm range is NaN (no inverse there, as in JPMML)', () => {
  const inv = compileDenormalize([{ orig: 0, norm: -1 }, { orig: 10, norm: 1 }]);
  assert.ok(Number.isNaN(inv(1.5)));
  assert.ok(Number.isNaN(inv(-1.01)));
  assert.ok(Number.isNaN(inv(NaN)));
});

test('denormalize of a non-monotonic NormContinuous fails at load', () => {
  assert.throws(() => compileDenormalize([{ orig: 0, norm: 0 }, { orig: 1, norm: 1 }, { orig: 2, norm: 0.5 }]), (e: unknown) => e instanceof ModelLoadError);
});

test.run();
