// The shadow models' thread: compiles each shadow model it is sent (with the loader module it was
// started with) and scores the batches the stream thread hands it, replying per job. Nothing it
// does (a model that throws, busy-loops or never loads) can hold up a stream thread.
import { parentPort, workerData } from 'node:worker_threads';
import type { Model } from '../../lib/models/index.ts';
import { decodeModelDescriptor } from '../codecs/messages.ts';
import type { ModelLoader } from './model-cache.ts';
import { unpackRecords } from './packed-records.ts';
import type { ShadowJob, ShadowMessage, ShadowReply, ShadowWorkerData } from './shadow-scorer.ts';

const { loaderModule } = workerData as ShadowWorkerData;
const loaded = await import(loaderModule) as { loadModel?: ModelLoader; defaultModelLoader?: ModelLoader };
const load = loaded.loadModel ?? loaded.defaultModelLoader;
if (!load) throw new Error(`${loaderModule} exports no loadModel function`);

/** One model per lane (a new identity replaces the old), compiled once. */
const lanes = new Map<string, { readonly id: string; readonly model: Promise<Model> }>();

function modelFor(job: ShadowJob): Promise<Model> {
  const known = lanes.get(job.lane);
  if (known?.id === job.modelId) return known.model;
  if (!job.descriptor) return Promise.reject(new Error(`model ${job.modelId} was never sent to the shadow thread`));
  known?.model.then((m) => m.close(), () => {});
  const model = (async () => load!(decodeModelDescriptor(job.descriptor!)))();
  lanes.set(job.lane, { id: job.modelId, model });
  return model;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

parentPort!.on('message', (message: ShadowMessage) => {
  if (message.kind === 'clear') {
    for (const { model } of lanes.values()) model.then((m) => m.close(), () => {});
    lanes.clear();
    return;
  }
  const job = message;
  modelFor(job).then(
    (model) => {
      let reply: ShadowReply;
      const records = unpackRecords(job.records);
      const started = performance.now();
      try {
        const scored = model.scoreBatch(records);
        const batchMs = performance.now() - started;
        const numbers = scored.every((o) => o.kind === 'scored' && typeof o.prediction.value === 'number');
        const outcomes = numbers
          ? Float64Array.from(scored, (o) => (o.kind === 'scored' ? o.prediction.value as number : NaN))
          : scored.map((o) => (o.kind === 'scored' ? { kind: 'scored' as const, value: o.prediction.value } : { kind: 'failed' as const, error: o.error.message }));
        reply = { job: job.job, kind: 'scored', outcomes, batchMs };
      } catch (err) {
        reply = { job: job.job, kind: 'threw', message: errorText(err) };
      }
      parentPort!.postMessage(reply);
    },
    (err: unknown) => parentPort!.postMessage({ job: job.job, kind: 'unavailable', message: errorText(err) } satisfies ShadowReply),
  );
});
