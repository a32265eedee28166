// The serving application's series on the query server's `GET /metrics`: each dataType's current
// model, and the split and shadow models beside it, read from the serving topology at scrape time.
import { Counter, Gauge, type Registry } from 'prom-client';
import { readerOf, type ServingTarget } from './api.ts';
import type { ModelServingStats, RoleServingStats } from '../api.ts';

type Stats = readonly ModelServingStats[];

/** How long one read of the statistics serves the series of a scrape. */
const SCRAPE_REUSE_MS = 200;

export function registerServingMetrics(register: Registry, target: () => ServingTarget | undefined): void {
  // Serving statistics of the current model per dataType; they restart with each new model.
  // A store that is closed mid-rebalance must not fail the whole scrape: no series this time.
  const read = async (): Promise<ModelServingStats[]> => {
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
  // Every series of one scrape reads the same statistics: read once per scrape, not per series.
  let last: { at: number; stats: Promise<ModelServingStats[]> } | undefined;
  const serving = (): Promise<ModelServingStats[]> => {
    if (!last || performance.now() - last.at > SCRAPE_REUSE_MS) last = { at: performance.now(), stats: read() };
    return last.stats;
  };
  const counter = (name: string, help: string, labelNames: string[], fill: (c: Counter, all: Stats) => void) =>
    new Counter({ name, help, labelNames, registers: [register], async collect() { const all = await serving(); this.reset(); fill(this, all); } });
  const gauge = (name: string, help: string, labelNames: string[], fill: (g: Gauge, all: Stats) => void) =>
    new Gauge({ name, help, labelNames, registers: [register], async collect() { const all = await serving(); this.reset(); fill(this, all); } });
  const champion = (s: ModelServingStats) => ({ dataType: s.dataType, model: s.name, modelType: s.modelType });

  counter('modelstream_model_invocations_total', 'Records scored by the current model of each dataType', ['dataType', 'model', 'modelType'],
    (c, all) => { for (const s of all) c.inc(champion(s), s.invocations); });
  counter('modelstream_model_scoring_seconds_total', 'Time spent scoring by the current model of each dataType', ['dataType', 'model', 'modelType'],
    (c, all) => { for (const s of all) c.inc(champion(s), s.duration / 1000); });
  counter('modelstream_model_skipped_total', 'Records of each dataType skipped because no model could serve them', ['dataType'],
    (c, all) => { for (const s of all) c.inc({ dataType: s.dataType }, s.skipped ?? 0); });

  // Every model by role (the champion too), so that a dashboard compares them on one series.
  const everyModel = function* (all: Stats): Generator<{ labels: { dataType: string; model: string; role: string }; s: ModelServingStats | RoleServingStats }> {
    for (const s of all) {
      if (s.modelType === 'NONE') continue;
      yield { labels: { dataType: s.dataType, model: s.name, role: 'champion' }, s };
      for (const r of s.roles ?? []) yield { labels: { dataType: s.dataType, model: r.name, role: r.role }, s: r };
    }
  };
  gauge('modelstream_model_latency_seconds', 'Per-record scoring time of each model by role: median and 99th percentile since it started serving',
    ['dataType', 'model', 'role', 'quantile'], (g, all) => {
      for (const { labels, s } of everyModel(all)) {
        if (s.p50 != null) g.set({ ...labels, quantile: '0.5' }, s.p50 / 1000);
        if (s.p99 != null) g.set({ ...labels, quantile: '0.99' }, s.p99 / 1000);
      }
    });
  const roles = function* (all: Stats, only?: 'shadow') {
    for (const { labels, s } of everyModel(all)) if (labels.role !== 'champion' && (!only || labels.role === only)) yield { labels, r: s as RoleServingStats };
  };
  counter('modelstream_role_invocations_total', 'Records scored by each split and shadow model', ['dataType', 'model', 'role'],
    (c, all) => { for (const { labels, r } of roles(all)) c.inc(labels, r.invocations); });
  counter('modelstream_role_scoring_seconds_total', 'Time spent scoring by each split and shadow model', ['dataType', 'model', 'role'],
    (c, all) => { for (const { labels, r } of roles(all)) c.inc(labels, r.duration / 1000); });
  counter('modelstream_shadow_compared_total', 'Records a shadow model scored and compared with the answer sent', ['dataType', 'model', 'role'],
    (c, all) => { for (const { labels, r } of roles(all, 'shadow')) c.inc(labels, r.compared ?? 0); });
  counter('modelstream_shadow_agreed_total', 'Records on which a shadow model gave the answer sent', ['dataType', 'model', 'role'],
    (c, all) => { for (const { labels, r } of roles(all, 'shadow')) c.inc(labels, r.agreed ?? 0); });
  gauge('modelstream_shadow_agreement_ratio', 'Agreed over compared, per shadow model (absent before any comparison)', ['dataType', 'model', 'role'],
    (g, all) => { for (const { labels, r } of roles(all, 'shadow')) if (r.agreement != null) g.set(labels, r.agreement); });
  counter('modelstream_shadow_skipped_total', 'Records a shadow model did not score (not loaded, paused for being slow, or its queue full)', ['dataType', 'model', 'role'],
    (c, all) => { for (const { labels, r } of roles(all, 'shadow')) c.inc(labels, r.skipped ?? 0); });
  counter('modelstream_shadow_errors_total', 'Records of batches on which a shadow model threw', ['dataType', 'model', 'role'],
    (c, all) => { for (const { labels, r } of roles(all, 'shadow')) c.inc(labels, r.errors ?? 0); });
}
