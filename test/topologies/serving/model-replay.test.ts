// The models processor after a crash: its global store resumes from the last checkpoint, so the
// same models record (same partition and offset) can arrive twice; applying it again must change
// nothing. Through MockProcessorContext, which sets the record's partition and offset.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Record, Serdes, Stores, type KeyValueStore } from '../../../lib/index.ts';
import { MockProcessorContext } from '../../../lib/testing/index.ts';
import type { Model } from '../../../lib/models/index.ts';
import { encodeModelCommand, encodeModelDescriptor, ModelType } from '../../../topologies/codecs/messages.ts';
import { ModelCache } from '../../../topologies/serving/model-cache.ts';
import { decodeModelSlot, encodeModelSlot, type ModelSlot } from '../../../topologies/serving/model-slot.ts';
import { modelUpdateProcessor } from '../../../topologies/serving/model-processor.ts';

const stub: Model = { kind: 'regression', score: () => { throw new Error('not scored here'); }, scoreBatch: () => [], close: () => {} } as unknown as Model;

async function setup() {
  const ctx = new MockProcessorContext<void, void>();
  const store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('models'), Serdes.String(), Serdes.Bytes()).withLoggingDisabled().build() as KeyValueStore<string, Uint8Array>;
  await ctx.addStateStore(store);
  const cache = new ModelCache({ load: async () => stub });
  const processor = modelUpdateProcessor({ storeName: 'models', cache, log: () => {}, refused: () => 0 })();
  processor.init?.(ctx);
  const at = async (offset: number, value: Uint8Array) => {
    ctx.setRecordMetadata('models', 1, offset);
    await processor.process(new Record<string | null, Uint8Array | null>('wine', value, 1000 + offset));
  };
  const model = (name: string) => encodeModelDescriptor({ name, description: '', dataType: 'wine', modelType: ModelType.PMML, data: new Uint8Array([1]) });
  const rollback = encodeModelCommand({ command: 'rollback', dataType: 'wine', name: '' });
  const slot = (): ModelSlot => decodeModelSlot(store.get('wine')!);
  return { at, model, rollback, slot, store, close: () => cache.close() };
}

const summary = (slot: ModelSlot) => [slot.current?.name, slot.history?.map((h) => [h.name, h.end])];

test('a models record applied twice at the same partition and offset leaves the champion and its history unchanged', async () => {
  const s = await setup();
  await s.at(0, s.model('v1'));
  await s.at(1, s.model('v2'));
  const once = summary(s.slot());
  await s.at(1, s.model('v2'));
  assert.equal(summary(s.slot()), once);
  assert.equal(once, ['v2', [['v1', 'replaced']]]);
  assert.equal(s.slot().applied, { partition: 1, offset: 1 });
  s.close();
});

test('a rollback replayed after a crash rolls back once', async () => {
  const s = await setup();
  await s.at(0, s.model('v1'));
  await s.at(1, s.model('v2'));
  await s.at(2, s.model('v3'));
  await s.at(3, s.rollback);
  await s.at(3, s.rollback);
  assert.equal(summary(s.slot()), ['v2', [['v3', 'rolled-back'], ['v1', 'replaced']]]);
  s.close();
});

test('a slot written before the applied offset was kept takes the next record as before', async () => {
  const s = await setup();
  await s.at(0, s.model('v1'));
  const { applied: _applied, ...old } = s.slot();
  s.store.put('wine', encodeModelSlot(old));
  assert.is(s.slot().applied, undefined);
  await s.at(0, s.model('v1'));
  assert.equal(summary(s.slot()), ['v1', [['v1', 'replaced']]], 'no offset to compare: applied, as older versions did');
  s.close();
});

test.run();
