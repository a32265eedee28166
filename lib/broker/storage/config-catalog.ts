// What DescribeConfigs v3+ tells about each config this broker lists: its type (the
// config_type enum of DescribeConfigsResponse, as Kafka's ConfigDef declares the config) and a
// one-line description of what it does here, sent only when the client asks for documentation.

/** config_type values of DescribeConfigsResponse v3+ (0 = unknown). */
export const ConfigType = { UNKNOWN: 0, BOOLEAN: 1, STRING: 2, INT: 3, SHORT: 4, LONG: 5, DOUBLE: 6, LIST: 7, CLASS: 8, PASSWORD: 9 } as const;
export type ConfigTypeCode = (typeof ConfigType)[keyof typeof ConfigType];

export interface ConfigInfo { readonly type: ConfigTypeCode; readonly doc: string }

const T = ConfigType;

/** The topic configs the broker honours (storage/topic-config.ts). */
const TOPIC: Readonly<Record<string, ConfigInfo>> = {
  'cleanup.policy': { type: T.LIST, doc: 'delete keeps every record; compact keeps the latest record per key; both may be listed.' },
  'compression.type': { type: T.STRING, doc: 'Only producer: batches are stored compressed as the producer sent them.' },
  'max.message.bytes': { type: T.INT, doc: 'The largest record batch a partition of the topic accepts, log overhead included.' },
  'message.timestamp.type': { type: T.STRING, doc: 'Only CreateTime: record timestamps are kept as the producer wrote them.' },
  'min.insync.replicas': { type: T.INT, doc: 'Only 1: the broker is a single node.' },
  'retention.bytes': { type: T.LONG, doc: 'Only -1: records are not deleted by size.' },
  'retention.ms': { type: T.LONG, doc: 'Only -1: records are not deleted by age.' },
  'segment.bytes': { type: T.INT, doc: 'Accepted and met: the log is not split into segments.' },
  'segment.ms': { type: T.LONG, doc: 'Accepted and met: the log is not split into segments.' },
};

/** The broker configs DescribeConfigs lists for this broker's own id. */
const BROKER: Readonly<Record<string, ConfigInfo>> = {
  'node.id': { type: T.INT, doc: 'The id this broker answers as in Metadata and as the coordinator.' },
  'auto.create.topics.enable': { type: T.BOOLEAN, doc: 'Whether Metadata and Produce for an unknown topic create it.' },
  'default.replication.factor': { type: T.INT, doc: 'Always 1: the broker is a single node.' },
  'message.max.bytes': { type: T.INT, doc: 'The largest record batch a topic accepts unless its max.message.bytes says otherwise.' },
  'min.insync.replicas': { type: T.INT, doc: 'Always 1: the broker is a single node.' },
  'num.partitions': { type: T.INT, doc: 'Partitions of a topic created without a partition count.' },
  'socket.request.max.bytes': { type: T.INT, doc: 'The largest request frame the broker reads.' },
};

const UNKNOWN: ConfigInfo = { type: T.UNKNOWN, doc: 'Not a config this broker acts on.' };

/** A topic config's type and description; a stored name the broker no longer honours is UNKNOWN. */
export function topicConfigInfo(name: string): ConfigInfo {
  return TOPIC[name] ?? UNKNOWN;
}

export function brokerConfigInfo(name: string): ConfigInfo {
  return BROKER[name] ?? UNKNOWN;
}
