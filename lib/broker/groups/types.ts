// What the group coordinator takes and returns, independent of any wire version. Handlers
// map request versions onto these and back; missing fields of old versions get the
// defaults Kafka uses (v0 JoinGroup: rebalance timeout = session timeout, and so on).

export interface GroupProtocol {
  readonly name: string;
  readonly metadata: Uint8Array;
}

export interface JoinGroupRequest {
  readonly groupId: string;
  /** '' on a member's first join. */
  readonly memberId: string;
  /** KIP-345 static membership; null for dynamic members. */
  readonly groupInstanceId: string | null;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly protocolType: string;
  readonly protocols: readonly GroupProtocol[];
  readonly clientId: string;
  readonly clientHost: string;
  /** JoinGroup v4+ (KIP-394): a first join is answered MEMBER_ID_REQUIRED with a generated id. */
  readonly requireKnownMemberId: boolean;
}

export interface JoinedMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly metadata: Uint8Array;
}

export type JoinGroupResult =
  | {
      readonly kind: 'joined';
      readonly memberId: string;
      readonly generationId: number;
      readonly protocolType: string | null;
      readonly protocolName: string | null;
      readonly leaderId: string;
      /** Every member with its metadata for the chosen protocol; only the leader gets them. */
      readonly members: readonly JoinedMember[];
    }
  | { readonly kind: 'error'; readonly errorCode: number; readonly memberId: string };

export interface SyncGroupRequest {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  /** SyncGroup v5+ repeats these; null when the version lacks them. */
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  /** Only the leader sends assignments; followers send none. */
  readonly assignments: readonly { readonly memberId: string; readonly assignment: Uint8Array }[];
}

export type SyncGroupResult =
  | {
      readonly kind: 'synced';
      readonly protocolType: string | null;
      readonly protocolName: string | null;
      readonly assignment: Uint8Array;
    }
  | { readonly kind: 'error'; readonly errorCode: number };

export interface HeartbeatRequest {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

export interface MemberIdentity {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

export interface LeaveGroupResult {
  /** Group-level error; per-member errors are in `members`. */
  readonly errorCode: number;
  readonly members: readonly (MemberIdentity & { readonly errorCode: number })[];
}

export interface OffsetCommitRequest {
  readonly groupId: string;
  /** -1 (with memberId '') when the committer does not use group management. */
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly partitions: readonly PartitionOffsetCommit[];
}

export interface PartitionOffsetCommit {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly leaderEpoch: number;
  readonly metadata: string | null;
}

export interface PartitionError {
  readonly topic: string;
  readonly partition: number;
  readonly errorCode: number;
}

export interface CommittedOffset {
  readonly offset: number;
  /** -1 when the committer did not say. */
  readonly leaderEpoch: number;
  readonly metadata: string;
  readonly commitTimestamp: number;
}

export interface OffsetFetchResult {
  readonly errorCode: number;
  /** Unknown partitions answer offset -1 and metadata '' with no error, as Kafka does. */
  readonly partitions: readonly (PartitionError & Omit<CommittedOffset, 'commitTimestamp'>)[];
}

/** Kafka's state names, as DescribeGroups and ListGroups report them. */
export type GroupStateName = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface GroupDescription {
  readonly errorCode: number;
  readonly groupId: string;
  readonly state: GroupStateName;
  readonly protocolType: string;
  /** The chosen protocol; '' unless the group is Stable. */
  readonly protocol: string;
  readonly members: readonly DescribedMember[];
}

export interface DescribedMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  /** Empty unless the group is Stable (Kafka describes metadata only for a settled generation). */
  readonly metadata: Uint8Array;
  readonly assignment: Uint8Array;
}

export interface GroupListing {
  readonly groupId: string;
  readonly protocolType: string;
  readonly state: GroupStateName;
}
