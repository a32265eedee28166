// A stream-stream outer join restarted on its persistent stores: records put after the restart
// with the same key and time as ones put before keep both (sequence numbers continue after
// the highest restored), in the outer store of waiting records and in the join window stores.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JoinWindows, Serdes, StreamsBuilder } from '../../../lib/index.ts';
import { TopologyTestDriver } from '../../../lib/testing/index.ts';

const S = Serdes.String();

function outerJoin() {
  const b = new StreamsBuilder();
  const left = b.stream<string, string>('left', { keySerde: S, valueSerde: S });
  const right = b.stream<string, string>('right', { keySerde: S, valueSerde: S });
  left.outerJoin(right, (x: string | null, y: string | null) => `${x}/${y}`, JoinWindows.ofTimeDifferenceAndGrace(5, 0), { storeName: 'j' })
    .to('out', { valueSerde: S });
  return b.build();
}

async function run(stateDir: string, steps: (d: TopologyTestDriver) => Promise<void>): Promise<string[]> {
  const driver = new TopologyTestDriver(outerJoin(), { applicationId: 'j', stateDir, initialWallClockTimeMs: 0 });
  try {
    await steps(driver);
    return driver.createOutputTopic('out', S, S).readRecordsToList().map((r) => `${r.key}=${r.value}@${r.timestamp}`);
  } finally {
    await driver.close();
  }
}

test('records waiting for a partner before a restart and after it, same key and time, are all emitted when their window closes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'join-restart-'));
  try {
    const before = await run(dir, async (d) => { await d.createInputTopic('left', S, S).pipeInput('k', 'a1', 100); });
    assert.equal(before, []);
    const after = await run(dir, async (d) => {
      const left = d.createInputTopic('left', S, S);
      await left.pipeInput('k', 'a2', 100);
      await d.advanceWallClockTime(2000);
      // Stream time past 100 + 5 + grace 0: both waiting records are joined with null.
      await left.pipeInput('other', 'x', 200);
    });
    assert.equal(after, ['k=a1/null@100', 'k=a2/null@100']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a right record after a restart joins both left records of its key and time, the restored one and the new one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'join-restart-'));
  try {
    await run(dir, async (d) => { await d.createInputTopic('left', S, S).pipeInput('k', 'a1', 100); });
    const after = await run(dir, async (d) => {
      await d.createInputTopic('left', S, S).pipeInput('k', 'a2', 100);
      await d.createInputTopic('right', S, S).pipeInput('k', 'b', 101);
    });
    assert.equal(after.sort(), ['k=a1/b@101', 'k=a2/b@101']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
