// `modelstream demo` end to end in a child process: our own data/ (as on a machine without
// ../shared), a free query port; it must score records, answer queries, and stop cleanly on SIGTERM.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startCli } from './spawn.ts';
import type { ModelServingStats } from '../../../topologies/api.ts';

test('demo scores records with the provided model and the ONNX shadow, prints the dashboard, answers /state/value, and exits 0 on SIGTERM', async () => {
  const demo = startCli(['demo', '--port', '0', '--data', 'data', '--rate', '100', '--model-interval', '30']);
  try {
    const [, url] = await demo.waitFor(/query server on (http:\/\/127\.0\.0\.1:\d+)/, 30_000);
    let stats: ModelServingStats | undefined;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const res = await fetch(`${url}/state/value`).catch(() => undefined);
      if (res?.ok) {
        stats = (await res.json()) as ModelServingStats;
        if (stats.invocations > 0 && (stats.roles?.[0]?.compared ?? 0) > 0) break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(stats && stats.invocations > 0, `records scored: ${JSON.stringify(stats)}\n${demo.stdout()}${demo.stderr()}`);
    assert.is(stats.dataType, 'wine');
    assert.equal([stats.roles?.[0]?.name, stats.roles?.[0]?.role, stats.roles?.[0]?.modelType], ['onnx-shadow', 'shadow', 'ONNX'], 'the demo ONNX network in the shadow');
    assert.match(demo.stdout(), new RegExp(`dashboard: ${url}/`));
    // The first model of data/models, sorted by name, serves first.
    assert.match(demo.stdout(), new RegExp(`model ${stats.name} \\(`));
    assert.ok(stats.min > 0 && stats.min <= stats.max, `min ${stats.min} ≤ max ${stats.max}`);
    const health = await fetch(`${url}/health`);
    assert.is(health.status, 200);

    const started = Date.now();
    demo.child.kill('SIGTERM');
    const { code, stdout, stderr } = await demo.exited;
    assert.is(code, 0, stderr);
    assert.match(stdout, /SIGTERM: shutting down/);
    assert.match(stdout, /\[demo\] stopped/);
    assert.ok(Date.now() - started < 15_000, `shut down in ${Date.now() - started} ms`);
  } finally {
    if (demo.child.exitCode === null) demo.child.kill('SIGKILL');
  }
});

test('demo --guarantee exactly_once_v2 scores records with each commit a transaction', async () => {
  const demo = startCli(['demo', '--port', '0', '--data', 'data', '--rate', '100', '--model-interval', '30', '--guarantee', 'exactly_once_v2']);
  try {
    const [, url] = await demo.waitFor(/query server on (http:\/\/127\.0\.0\.1:\d+)/, 30_000);
    assert.match(demo.stdout(), /\(exactly_once_v2\)/);
    let invocations = 0;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && invocations === 0) {
      const res = await fetch(`${url}/state/value`).catch(() => undefined);
      if (res?.ok) invocations = ((await res.json()) as ModelServingStats).invocations;
      if (invocations === 0) await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(invocations > 0, `records scored\n${demo.stdout()}${demo.stderr()}`);
    demo.child.kill('SIGTERM');
    const { code, stderr } = await demo.exited;
    assert.is(code, 0, stderr);
  } finally {
    if (demo.child.exitCode === null) demo.child.kill('SIGKILL');
  }
});

test.run();
