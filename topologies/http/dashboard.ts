// The live dashboard at GET /: a page, its script, uPlot's files (from the npm package, read once)
// and GET /dashboard.json, what the page polls: this instance, its peers, records processed, bad
// input and every dataType's models with their roles and history.
import { Hono } from 'hono';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { NotAttachedError } from '../../lib/query/index.ts';
import type { HostInfo } from '../../lib/index.ts';
import { readerOf, type ServingTarget } from './api.ts';
import { DASHBOARD_HTML, DASHBOARD_SCRIPT } from './dashboard-page.ts';

export interface DashboardOptions {
  readonly target: () => ServingTarget | undefined;
  readonly self: () => HostInfo;
}

let uplot: { js: string; css: string } | undefined;
function uplotFiles(): { js: string; css: string } {
  if (!uplot) {
    const dist = join(dirname(createRequire(import.meta.url).resolve('uplot/package.json')), 'dist');
    uplot = { js: readFileSync(join(dist, 'uPlot.iife.min.js'), 'utf8'), css: readFileSync(join(dist, 'uPlot.min.css'), 'utf8') };
  }
  return uplot;
}

export function dashboardRoutes(options: DashboardOptions): Hono {
  const app = new Hono();
  app.get('/', (c) => c.html(DASHBOARD_HTML));
  // Browsers ask for it; an error in their console otherwise.
  app.get('/favicon.ico', (c) => c.body(null, 204));
  app.get('/dashboard/app.js', (c) => c.body(DASHBOARD_SCRIPT, 200, { 'content-type': 'text/javascript; charset=utf-8' }));
  app.get('/dashboard/uPlot.iife.min.js', (c) => c.body(uplotFiles().js, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'max-age=3600' }));
  app.get('/dashboard/uPlot.min.css', (c) => c.body(uplotFiles().css, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'max-age=3600' }));
  app.get('/dashboard.json', async (c) => {
    const t = options.target();
    if (!t) throw new NotAttachedError();
    const me = options.self();
    const metrics = t.streams.metrics();
    const reader = readerOf(t);
    return c.json({
      host: me.host, port: me.port, topology: reader.kind, state: metrics.state, processed: metrics.processed,
      instances: t.streams.allMetadata().map((m) => ({ host: m.host, port: m.port })),
      badInput: await reader.badInput(),
      dataTypes: await reader.models(),
    });
  });
  return app;
}
