// Runs an oracle scenario through modelstream's TopologyTestDriver, in the shape the Java oracle prints.
import { Serdes, type SessionStore, type WindowStore, type Windowed } from '../../../lib/index.ts';
import { TopologyTestDriver } from '../../../lib/testing/index.ts';
import type { Scenario, ScenarioResult } from '../../dsl-oracle/oracle.ts';
import { oracleTopology } from './oracle-topologies.ts';

const S = Serdes.String();

function windowed(w: Windowed<unknown>): string {
  return `${String(w.key)}@${w.window.start}/${w.window.end}`;
}

export async function runOurs(scenario: Scenario): Promise<ScenarioResult> {
  const driver = new TopologyTestDriver(oracleTopology(scenario.topology), { applicationId: 'oracle', initialWallClockTimeMs: 0 });
  try {
    for (const step of scenario.steps) {
      if ('advance' in step) await driver.advanceWallClockTime(step.advance);
      else await driver.createInputTopic(step.topic, S, S).pipeInput(step.key, step.value, step.ts);
    }
    await driver.init();
    const outputs: ScenarioResult['outputs'] = {};
    for (const [topic, type] of Object.entries(scenario.outputs)) {
      const out = driver.createOutputTopic<string, string | number>(topic, S, type === 'long' ? Serdes.Int64() : S);
      outputs[topic] = out.readRecordsToList().map((r) => ({ key: r.key, value: r.value, ts: r.timestamp }));
    }
    const stores: ScenarioResult['stores'] = {};
    for (const { name, kind } of scenario.stores) {
      if (kind === 'kv') {
        stores[name] = [...driver.getKeyValueStore<string, string | number>(name).all()].map(({ key, value }) => ({ key, value }));
      } else {
        const store = driver.getStateStore<WindowStore<string, string | number> | SessionStore<string, string | number>>(name);
        stores[name] = store.all().map(({ key, value }) => ({ key: windowed(key), value }));
      }
    }
    return { name: scenario.name, outputs, stores, droppedRecords: driver.metrics().droppedRecords };
  } finally {
    await driver.close();
  }
}

/** Store scans are ordered by each store's own key layout: compare contents as sets. */
export function normalized(result: ScenarioResult): ScenarioResult {
  const stores: ScenarioResult['stores'] = {};
  for (const [name, entries] of Object.entries(result.stores)) {
    stores[name] = [...entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
  const outputs = Object.fromEntries(Object.entries(result.outputs).sort(([a], [b]) => (a < b ? -1 : 1)));
  return { ...result, outputs, stores };
}
