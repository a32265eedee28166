import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ModelLoadError, type Model } from '../../../lib/models/index.ts';
import { ModelType, type ModelDescriptor } from '../../../topologies/codecs/messages.ts';
import { ModelCache } from '../../../topologies/serving/model-cache.ts';

function fakeModel(closed: string[], name: string): Model {
  return { kind: 'pmml', score: () => ({ value: name }), scoreBatch: () => [], close: () => { closed.push(name); } };
}

const descriptor = (name: string): ModelDescriptor => ({ name, description: '', dataType: 'wine', modelType: ModelType.PMML, data: new Uint8Array() });

test('concurrent loads of one identity compile once and share the model', async () => {
  let compiles = 0;
  const cache = new ModelCache({ load: async (d) => { compiles++; await new Promise((r) => setTimeout(r, 5)); return fakeModel([], d.name); } });
  const [a, b] = await Promise.all([cache.load('wine', 'm1', () => descriptor('m1')), cache.load('wine', 'm1', () => descriptor('m1'))]);
  assert.is(compiles, 1);
  assert.is(a, b);
  assert.is(cache.peek('wine', 'm1')?.kind, 'ready');
});

test('a failed compile is remembered and not retried for the same identity', async () => {
  let compiles = 0;
  const cache = new ModelCache({ load: async () => { compiles++; throw new ModelLoadError('bad model'); } });
  await cache.load('wine', 'bad', () => descriptor('bad')).then(() => assert.unreachable(), () => {});
  await cache.load('wine', 'bad', () => descriptor('bad')).then(() => assert.unreachable(), (err: Error) => assert.is(err.name, 'ModelLoadError'));
  assert.is(compiles, 1);
  assert.is(cache.peek('wine', 'bad')?.kind, 'failed');
});

test('only the newest identities per dataType are kept; evicted models are closed', async () => {
  const closed: string[] = [];
  const cache = new ModelCache({ load: async (d) => fakeModel(closed, d.name), keepPerDataType: 2 });
  for (const id of ['m1', 'm2', 'm3']) await cache.load('wine', id, () => descriptor(id));
  await cache.load('red', 'r1', () => descriptor('r1'));
  assert.equal(closed, ['m1']);
  assert.is(cache.peek('wine', 'm1'), undefined);
  assert.is(cache.peek('wine', 'm3')?.kind, 'ready');
  assert.is(cache.peek('red', 'r1')?.kind, 'ready', 'another dataType is not evicted');
});

test.run();
