// The broker's only registry of API handlers: dispatch and ApiVersions both derive from it.
//
// Pattern: one file per API key, `NN-kebab-name.ts` (NN = the key), whose 1–3 line header
// gives the version range and what changes between versions, exporting a `defineHandler({
// apiKey, name, minVersion, maxVersion, decodeRequest(r, v), encodeResponse(w, v, res),
// handle(req, ctx) })` (see ./types.ts). Advertise only versions the file implements.
// `handle` returns the response (or NO_RESPONSE); Kafka errors are codes inside it, and a
// thrown error closes the client's connection. To add an API, import its file and add it
// to the list below (kept sorted by key).
import type { AnyHandler } from './types.ts';
import { DEFAULT_TRANSACTION_VERSION, TV1_MAX_VERSIONS, type TransactionVersion } from './transaction-version.ts';
import { produce } from './00-produce.ts';
import { fetch } from './01-fetch.ts';
import { listOffsets } from './02-list-offsets.ts';
import { metadata } from './03-metadata.ts';
import { offsetCommit } from './08-offset-commit.ts';
import { offsetFetch } from './09-offset-fetch.ts';
import { findCoordinator } from './10-find-coordinator.ts';
import { joinGroup } from './11-join-group.ts';
import { heartbeat } from './12-heartbeat.ts';
import { leaveGroup } from './13-leave-group.ts';
import { syncGroup } from './14-sync-group.ts';
import { describeGroups } from './15-describe-groups.ts';
import { listGroups } from './16-list-groups.ts';
import { apiVersions } from './18-api-versions.ts';
import { createTopics } from './19-create-topics.ts';
import { deleteTopics } from './20-delete-topics.ts';
import { deleteRecords } from './21-delete-records.ts';
import { initProducerId } from './22-init-producer-id.ts';
import { addPartitionsToTxn } from './24-add-partitions-to-txn.ts';
import { addOffsetsToTxn } from './25-add-offsets-to-txn.ts';
import { endTxn } from './26-end-txn.ts';
import { txnOffsetCommit } from './28-txn-offset-commit.ts';
import { describeConfigs } from './32-describe-configs.ts';
import { alterConfigs } from './33-alter-configs.ts';
import { createPartitions } from './37-create-partitions.ts';
import { deleteGroups } from './42-delete-groups.ts';
import { incrementalAlterConfigs } from './44-incremental-alter-configs.ts';
import { offsetDelete } from './47-offset-delete.ts';
import { describeCluster } from './60-describe-cluster.ts';
import { consumerGroupHeartbeat } from './68-consumer-group-heartbeat.ts';
import { consumerGroupDescribe } from './69-consumer-group-describe.ts';

const allHandlers: readonly AnyHandler[] = [
  produce,
  fetch,
  listOffsets,
  metadata,
  offsetCommit,
  offsetFetch,
  findCoordinator,
  joinGroup,
  heartbeat,
  leaveGroup,
  syncGroup,
  describeGroups,
  listGroups,
  apiVersions,
  createTopics,
  deleteTopics,
  deleteRecords,
  initProducerId,
  addPartitionsToTxn,
  addOffsetsToTxn,
  endTxn,
  txnOffsetCommit,
  describeConfigs,
  alterConfigs,
  createPartitions,
  deleteGroups,
  incrementalAlterConfigs,
  offsetDelete,
  describeCluster,
  consumerGroupHeartbeat,
  consumerGroupDescribe,
];

export interface Registry {
  readonly apis: readonly AnyHandler[];
  readonly handlerFor: (apiKey: number) => AnyHandler | undefined;
}

export function registryFor(transactionVersion: TransactionVersion): Registry {
  const apis = transactionVersion >= 2 ? allHandlers : allHandlers.map((h) => {
    const cap = TV1_MAX_VERSIONS.get(h.apiKey);
    return cap === undefined ? h : { ...h, maxVersion: cap };
  });
  const byKey = new Map<number, AnyHandler>(apis.map((h) => [h.apiKey, h]));
  return { apis, handlerFor: (apiKey) => byKey.get(apiKey) };
}

/** The APIs a broker started with default options advertises. */
export const handlers: readonly AnyHandler[] = registryFor(DEFAULT_TRANSACTION_VERSION).apis;
