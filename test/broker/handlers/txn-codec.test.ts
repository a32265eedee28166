// Golden bytes for the transaction APIs at every advertised version, flexible ones included
// (compact strings and arrays, a tag buffer closing every struct). Bytes built from the
// spec's field layout (./golden.ts).
import { test } from 'uvu';
import { check } from './golden-check.ts';
import { initProducerId } from '../../../lib/broker/handlers/22-init-producer-id.ts';
import { addPartitionsToTxn } from '../../../lib/broker/handlers/24-add-partitions-to-txn.ts';
import { addOffsetsToTxn } from '../../../lib/broker/handlers/25-add-offsets-to-txn.ts';
import { endTxn } from '../../../lib/broker/handlers/26-end-txn.ts';
import { txnOffsetCommit } from '../../../lib/broker/handlers/28-txn-offset-commit.ts';
import { arr, bool, carr, cat, cstr, i16, i32, i64, str, tags, when } from './golden.ts';

const strFor = (flex: boolean) => (flex ? cstr : str);
const arrFor = (flex: boolean) => (flex ? carr : arr);
const tagsIf = (flex: boolean) => when(flex, tags());

check(initProducerId, (v) => {
  const flex = v >= 2;
  return {
    request: cat(strFor(flex)('tx'), i32(60000), when(v >= 3, i64(77), i16(4)), tagsIf(flex)),
    decoded: { transactionalId: 'tx', transactionTimeoutMs: 60000, producerId: v >= 3 ? 77 : -1, producerEpoch: v >= 3 ? 4 : -1 },
    response: { throttleTimeMs: 0, errorCode: 0, producerId: 1234567890123, producerEpoch: 5 },
    encoded: cat(i32(0), i16(0), i64(1234567890123), i16(5), tagsIf(flex)),
  };
});

check(addPartitionsToTxn, (v) => {
  const flex = v >= 3, s = strFor(flex), a = arrFor(flex);
  const topics = a([cat(s('t'), a([i32(0), i32(2)]), tagsIf(flex))]);
  const partitionErrors = a([cat(s('t'), a([cat(i32(0), i16(0), tagsIf(flex)), cat(i32(2), i16(3), tagsIf(flex))]), tagsIf(flex))]);
  const results = [{ transactionalId: 'tx', topics: [{ name: 't', partitions: [{ partition: 0, errorCode: 0 }, { partition: 2, errorCode: 3 }] }] }];
  // v4+ (between brokers): a batch of transactions, each with verify_only; results by transaction under a top-level error.
  return {
    request: v >= 4
      ? cat(carr([cat(cstr('tx'), i64(9), i16(1), bool(true), topics, tags())]), tags())
      : cat(s('tx'), i64(9), i16(1), topics, tagsIf(flex)),
    decoded: { transactions: [{ transactionalId: 'tx', producerId: 9, producerEpoch: 1, verifyOnly: v >= 4, topics: [{ name: 't', partitions: [0, 2] }] }] },
    response: { throttleTimeMs: 3, errorCode: 0, results },
    encoded: v >= 4
      ? cat(i32(3), i16(0), carr([cat(cstr('tx'), partitionErrors, tags())]), tags())
      : cat(i32(3), partitionErrors, tagsIf(flex)),
  };
});

check(addOffsetsToTxn, (v) => {
  const flex = v >= 3, s = strFor(flex);
  return {
    request: cat(s('tx'), i64(9), i16(1), s('g'), tagsIf(flex)),
    decoded: { transactionalId: 'tx', producerId: 9, producerEpoch: 1, groupId: 'g' },
    response: { throttleTimeMs: 0, errorCode: 90 },
    encoded: cat(i32(0), i16(90), tagsIf(flex)),
  };
});

check(endTxn, (v) => {
  const flex = v >= 3, s = strFor(flex);
  return {
    request: cat(s('tx'), i64(9), i16(1), bool(true), tagsIf(flex)),
    decoded: { transactionalId: 'tx', producerId: 9, producerEpoch: 1, committed: true },
    // v5 (KIP-890 part 2) answers the producer id and epoch to go on with.
    response: { throttleTimeMs: 0, errorCode: 0, producerId: 9, producerEpoch: 2 },
    encoded: cat(i32(0), i16(0), when(v >= 5, i64(9), i16(2)), tagsIf(flex)),
  };
});

check(txnOffsetCommit, (v) => {
  const flex = v >= 3, s = strFor(flex), a = arrFor(flex);
  return {
    request: cat(
      s('tx'), s('g'), i64(9), i16(1),
      when(flex, i32(4), cstr('m-1'), cstr('inst')),
      a([cat(s('t'), a([cat(i32(0), i64(42), when(v >= 2, i32(6)), s(null), tagsIf(flex))]), tagsIf(flex))]),
      tagsIf(flex),
    ),
    decoded: {
      transactionalId: 'tx', groupId: 'g', producerId: 9, producerEpoch: 1,
      generationId: flex ? 4 : -1, memberId: flex ? 'm-1' : '', groupInstanceId: flex ? 'inst' : null,
      offsets: [{ topic: 't', partition: 0, offset: 42, leaderEpoch: v >= 2 ? 6 : -1, metadata: null }],
    },
    response: { throttleTimeMs: 0, topics: [{ name: 't', partitions: [{ partition: 0, errorCode: 22 }] }] },
    encoded: cat(i32(0), a([cat(s('t'), a([cat(i32(0), i16(22), tagsIf(flex))]), tagsIf(flex))]), tagsIf(flex)),
  };
});

test.run();
