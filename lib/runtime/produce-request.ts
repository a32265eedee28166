// kafkajs 2.2.4 encodes a Produce request record by record (a zero-filled 512-byte Encoder per
// record and per header, each copied again into its batch, topic and request) and checksums
// every batch byte by byte in JavaScript: about a fifth of a stream thread's CPU. kafkajs has
// no hook for its codec, but its protocol table loads each version's request module when a
// request is built, so replacing the exports of produce/v3..v7/request.js in the module cache
// swaps the encoder for every producer of the process. The replacement writes the whole
// request into one buffer with the broker's record batch writer and its CRC-32C (slicing-by-8,
// native for long runs): the same bytes, field for field. Compressed requests, and any kafkajs
// release other than the one whose layout was checked, keep kafkajs's own encoder.
import { createRequire } from 'node:module';
import { batchSize, writeBatch, type RecordToWrite } from '../broker/protocol/batch-writer.ts';

const KNOWN_KAFKAJS = '2.2.4';
const VERSIONS = [3, 4, 5, 6, 7] as const;
const TRANSACTIONAL = 0x10;

type Value = Buffer | string | null | undefined;
interface KafkajsMessage {
  readonly key?: Value;
  readonly value: Value;
  readonly timestamp?: string | number;
  readonly headers?: { readonly [key: string]: Value | readonly Value[] };
}
interface PartitionData { readonly partition: number; readonly firstSequence?: number; readonly messages: readonly KafkajsMessage[] }
interface TopicData { readonly topic: string; readonly partitions: readonly PartitionData[] }
export interface ProduceArgs {
  readonly acks: number;
  readonly timeout: number;
  readonly transactionalId?: string | null;
  readonly producerId?: number | string | { toString(): string };
  readonly producerEpoch?: number;
  readonly compression?: number;
  readonly topicData: readonly TopicData[];
}
type RequestModule = (args: ProduceArgs) => { apiKey: number; apiVersion: number; apiName: string; expectResponse: () => boolean; encode: () => Promise<unknown> };
interface EncoderClass { new (size?: number): { buf: Buffer; offset: number } }

const require = createRequire(import.meta.url);
let installed: boolean | undefined;
const originals = new Map<number, RequestModule>();

/**
 * Replaces kafkajs's Produce v3-v7 request encoders in this thread's module cache (idempotent);
 * false when the installed kafkajs is not the release this encoder was checked against.
 */
export function installProduceEncoder(): boolean {
  if (installed !== undefined) return installed;
  installed = false;
  const version = (require('kafkajs/package.json') as { version: string }).version;
  if (version !== KNOWN_KAFKAJS) return false;
  const Encoder = require('kafkajs/src/protocol/encoder.js') as EncoderClass;
  for (const v of VERSIONS) {
    const path = require.resolve(`kafkajs/src/protocol/requests/produce/v${v}/request.js`);
    const original = require(path) as RequestModule;
    const cached = require.cache[path];
    if (!cached || typeof original !== 'function') return false;
    originals.set(v, original);
    cached.exports = produceRequest(v, original, Encoder);
  }
  installed = true;
  return true;
}

/** kafkajs's own request builder for `version`, as it was before the swap (to compare bytes with). */
export function kafkajsProduceRequest(version: number): RequestModule | undefined {
  return originals.get(version);
}

function produceRequest(apiVersion: number, original: RequestModule, Encoder: EncoderClass): RequestModule {
  return (args) => {
    if (args.compression) return original(args);
    return {
      apiKey: 0, apiVersion, apiName: 'Produce',
      expectResponse: () => args.acks !== 0,
      encode: async () => {
        // What kafkajs's request framing reads from an Encoder: its buffer and length.
        const encoder = new Encoder(0);
        encoder.buf = encodeProduceRequest(args);
        encoder.offset = encoder.buf.length;
        return encoder;
      },
    };
  };
}

const toBytes = (v: Value): Buffer | null => (v == null ? null : Buffer.isBuffer(v) ? v : Buffer.from(String(v), 'utf8'));

/** One partition's records as kafkajs numbers them: timestamps relative to the smallest given. */
function partitionRecords(messages: readonly KafkajsMessage[], now: number): { records: RecordToWrite[]; first: number; max: number } {
  let first = Infinity;
  let max = -Infinity;
  for (const m of messages) {
    if (m.timestamp == null) continue;
    const t = Number(m.timestamp);
    if (t < first) first = t;
    if (t > max) max = t;
  }
  if (first === Infinity) first = max = now;
  const records = new Array<RecordToWrite>(messages.length);
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    records[i] = {
      offsetDelta: i,
      timestampDelta: (m.timestamp ? Number(m.timestamp) : now) - first,
      key: toBytes(m.key), value: toBytes(m.value), headers: headersOf(m.headers),
    };
  }
  return { records, first, max };
}

const NO_HEADERS: RecordToWrite['headers'] = Object.freeze([]);

function headersOf(headers: KafkajsMessage['headers']): RecordToWrite['headers'] {
  if (!headers) return NO_HEADERS;
  const keys = Object.keys(headers);
  if (keys.length === 0) return NO_HEADERS;
  const out: { key: string; value: Buffer | null }[] = [];
  for (const key of keys) {
    const v = headers[key];
    if (Array.isArray(v)) for (const one of v as readonly Value[]) out.push({ key, value: toBytes(one) });
    else out.push({ key, value: toBytes(v as Value) });
  }
  return out;
}

/**
 * The request body (after the request header) of Produce v3-v7, which share one layout:
 * transactional_id acks timeout [topic [partition record_set]], record_set a single batch.
 */
export function encodeProduceRequest(args: ProduceArgs): Buffer {
  const now = Date.now();
  const transactionalId = args.transactionalId ?? null;
  const producerId = String(args.producerId ?? -1);
  const attributes = transactionalId ? TRANSACTIONAL : 0;
  const topics = args.topicData.map((t) => ({
    topic: t.topic,
    partitions: t.partitions.map((p) => {
      const { records, first, max } = partitionRecords(p.messages, now);
      return { partition: p.partition, firstSequence: p.firstSequence ?? 0, records, first, max, size: batchSize(records) };
    }),
  }));
  let size = 2 + (transactionalId === null ? 0 : Buffer.byteLength(transactionalId, 'utf8')) + 2 + 4 + 4;
  for (const t of topics) {
    size += 2 + Buffer.byteLength(t.topic, 'utf8') + 4;
    for (const p of t.partitions) size += 4 + 4 + p.size;
  }
  const out = Buffer.allocUnsafe(size);
  let at = writeString(out, 0, transactionalId);
  at = out.writeInt16BE(args.acks, at);
  at = out.writeInt32BE(args.timeout, at);
  at = out.writeInt32BE(topics.length, at);
  for (const t of topics) {
    at = writeString(out, at, t.topic);
    at = out.writeInt32BE(t.partitions.length, at);
    for (const p of t.partitions) {
      at = out.writeInt32BE(p.partition, at);
      at = out.writeInt32BE(p.size, at);
      at = writeBatch(out, at, {
        baseOffset: 0, partitionLeaderEpoch: 0, attributes, lastOffsetDelta: p.records.length - 1,
        baseTimestamp: p.first, maxTimestamp: p.max, producerId, producerEpoch: args.producerEpoch ?? 0, baseSequence: p.firstSequence,
      }, p.records);
    }
  }
  return out;
}

function writeString(out: Buffer, at: number, s: string | null): number {
  if (s === null) return out.writeInt16BE(-1, at);
  const n = Buffer.byteLength(s, 'utf8');
  at = out.writeInt16BE(n, at);
  return at + out.write(s, at, n, 'utf8');
}
