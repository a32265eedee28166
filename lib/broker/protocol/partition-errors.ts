import type { Writer } from './writer.ts';

/** A response's per-topic, per-partition error codes, the shape several APIs answer with. */
export interface TopicPartitionErrors {
  readonly name: string;
  readonly partitions: readonly { readonly partition: number; readonly errorCode: number }[];
}

/** Writes `[name [partition error_code]]`, compact and with tagged fields when `flex`. */
export function writeTopicPartitionErrors(w: Writer, topics: readonly TopicPartitionErrors[], flex: boolean): void {
  w.array(topics, (w, t) => {
    w.string(t.name, flex);
    w.array(t.partitions, (w, p) => {
      w.int32(p.partition).int16(p.errorCode);
      if (flex) w.taggedFields();
    }, flex);
    if (flex) w.taggedFields();
  }, flex);
}
