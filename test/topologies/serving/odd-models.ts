// A model loader for the role tests, as a module so that the shadow thread can load it too:
// models named 'throws…' throw on every batch, 'slow…' busy-wait 30 ms per batch, 'busy…' busy-wait
// 2 s per batch; any other loads as usual.
import type { Model } from '../../../lib/models/index.ts';
import type { ModelDescriptor } from '../../../topologies/codecs/messages.ts';
import { defaultModelLoader } from '../../../topologies/serving/loader.ts';

const busyWait = (ms: number) => { const until = performance.now() + ms; while (performance.now() < until); };

export async function loadModel(descriptor: ModelDescriptor): Promise<Model> {
  const real = await defaultModelLoader({ ...descriptor, name: 'real' });
  if (descriptor.name.startsWith('throws')) {
    return { kind: real.kind, score: () => { throw new Error('shadow bug'); }, scoreBatch: () => { throw new Error('shadow bug'); }, close: () => real.close() };
  }
  const wait = descriptor.name.startsWith('slow') ? 30 : descriptor.name.startsWith('busy') ? 2000 : 0;
  if (wait === 0) return real;
  return {
    kind: real.kind,
    score: (r) => { busyWait(wait); return real.score(r); },
    scoreBatch: (rs) => { busyWait(wait); return real.scoreBatch(rs); },
    close: () => real.close(),
  };
}

export const ODD_MODELS = new URL(import.meta.url).href;
