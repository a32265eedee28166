// Reads over stream threads, as the query layer makes them through ThreadedStreams: a thread that
// exits during the read has no open share (as a closed store), so the others' shares answer and
// only when none does the read fail retriably (503), never as a server error.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { StreamThreadUnavailableError } from '../../lib/index.ts';
import { storeQuery } from '../../lib/runtime/threads/thread-reads.ts';
import type { ThreadHandle } from '../../lib/runtime/threads/thread-handle.ts';
import { isStoreNotOpen } from '../../lib/query/errors.ts';

// Only `request` is used by the reads; a real handle needs a worker thread.
const answering = (value: unknown) => ({ request: async () => value }) as unknown as ThreadHandle;
const exited = (index: number) => ({ request: async () => { throw new StreamThreadUnavailableError(`stream thread ${index} has exited`); } }) as unknown as ThreadHandle;

test('a thread that exits during a read counts as no share: the other threads\' entries are served', async () => {
  const entries = await storeQuery([exited(0), answering([{ key: 'a', value: 1 }])], 'counts', { kind: 'all' });
  assert.equal(entries, [{ key: 'a', value: 1 }]);
});

test('when every thread has exited, the read fails with an error the query layer answers 503', async () => {
  try {
    await storeQuery([exited(0), exited(1)], 'counts', { kind: 'all' });
    assert.unreachable();
  } catch (err) {
    assert.instance(err, StreamThreadUnavailableError);
    assert.ok(isStoreNotOpen(err));
  }
});

test.run();
