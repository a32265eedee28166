// The serving application's series on the query server's `GET /metrics`: each dataType's current
// model, read from the serving topology at scrape time.
import { Counter, type Registry } from 'prom-client';
import { readerOf, type ServingTarget } from './api.ts';
import type { ModelServingStats } from '../api.ts';

export function registerServingMetrics(register: Registry, target: () => ServingTarget | undefined): void {
  // Serving statistics of the current model per dataType; they restart with each new model.
  // A store that is closed mid-rebalance must not fail the whole scrape: no series this time.
  const serving = async (): Promise<ModelServingStats[]> => {
    const t = target();
    if (!t) return [];
    try {
      const reader = readerOf(t);
      const all = await Promise.all((await reader.dataTypes()).map((dataType) => reader.stats(dataType)));
      return all.flatMap((stats) => (stats ? [stats] : []));
    } catch {
      return [];
    }
  };
  new Counter({
    name: 'modelstream_model_invocations_total', help: 'Records scored by the current model of each dataType',
    labelNames: ['dataType', 'model', 'modelType'], registers: [register],
    async collect() {
      const all = await serving();
      this.reset();
      for (const s of all) this.inc({ dataType: s.dataType, model: s.name, modelType: s.modelType }, s.invocations);
    },
  });
  new Counter({
    name: 'modelstream_model_scoring_seconds_total', help: 'Time spent scoring by the current model of each dataType',
    labelNames: ['dataType', 'model', 'modelType'], registers: [register],
    async collect() {
      const all = await serving();
      this.reset();
      for (const s of all) this.inc({ dataType: s.dataType, model: s.name, modelType: s.modelType }, s.duration / 1000);
    },
  });
  new Counter({
    name: 'modelstream_model_skipped_total', help: 'Records of each dataType skipped because no model could serve them',
    labelNames: ['dataType'], registers: [register],
    async collect() {
      const all = await serving();
      this.reset();
      for (const s of all) this.inc({ dataType: s.dataType }, s.skipped ?? 0);
    },
  });
}
