import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assignTasks } from '../../lib/runtime/assignment.ts';
import { decodeAssignment, streamsAssigner } from '../../lib/runtime/assignor.ts';
import { compileTopology } from '../../lib/streams/internal/compile.ts';
import { topologyDefinition } from '../../lib/streams/topology.ts';
import { Topology } from '../../lib/index.ts';

const member = (memberId: string, previousTasks: string[] = [], localTasks: string[] = []) => ({ memberId, previousTasks, localTasks });

test('tasks are spread evenly: no member has more than one task over another', () => {
  const plan = assignTasks([member('a'), member('b'), member('c')], ['0_0', '0_1', '0_2', '0_3', '0_4', '0_5', '0_6']);
  const sizes = [...plan.values()].map((t) => t.length).sort();
  assert.equal(sizes, [2, 2, 3]);
  assert.is(new Set([...plan.values()].flat()).size, 7);
});

test('a task stays with its previous owner when the group grows', () => {
  const tasks = ['0_0', '0_1', '0_2', '0_3'];
  const plan = assignTasks([member('a', tasks), member('b')], tasks);
  assert.is(plan.get('a')!.length, 2);
  assert.ok(plan.get('a')!.every((t) => tasks.includes(t)));
  assert.is(plan.get('b')!.length, 2);
});

test('a task without a previous owner goes to a member that has its state on disk', () => {
  const plan = assignTasks([member('a'), member('b', [], ['0_3'])], ['0_0', '0_1', '0_2', '0_3']);
  assert.ok(plan.get('b')!.includes('0_3'));
});

test('co-partitioned topics of one sub-topology are assigned together: partition p of each to the same member', async () => {
  const topology = new Topology()
    .addSource('orders', { topics: ['orders', 'payments'] })
    .addProcessor('join', () => ({ process() {} }), 'orders');
  const { subtopologies } = compileTopology(topologyDefinition(topology));
  const cluster = { findTopicPartitionMetadata: () => [{ partitionId: 0 }, { partitionId: 1 }, { partitionId: 2 }] };
  const hooks = { applicationServer: undefined, ownedTasks: () => [], localTasks: () => [] };
  const assigner = streamsAssigner(subtopologies, hooks)({ cluster } as never);
  const metadata = (assigner.protocol({ topics: ['orders', 'payments'] }) as { metadata: Buffer }).metadata;
  const result = await assigner.assign({ members: [{ memberId: 'm1', memberMetadata: metadata }, { memberId: 'm2', memberMetadata: metadata }], topics: ['orders', 'payments'] } as never);
  for (const { memberAssignment } of result) {
    const { assignment, tasks } = decodeAssignment(memberAssignment as Buffer);
    assert.equal(assignment.orders, assignment.payments, 'the same partitions of both topics');
    assert.equal(tasks.map((t) => Number(t.split('_')[1])), assignment.orders);
  }
  const all = result.flatMap(({ memberAssignment }) => decodeAssignment(memberAssignment as Buffer).assignment.orders ?? []).sort();
  assert.equal(all, [0, 1, 2]);
});

test.run();
