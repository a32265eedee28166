import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

type PositionsJson = { [topicPartition: string]: number };

/**
 * What a persistent task's state reflects: the changelog offsets applied (`{ topic: { partition:
 * offset } }`), the source positions processed (`{ "topic:partition": nextOffset }`), and per
 * logged store the positions its state holds (they differ after a commit that landed for some
 * stores only; a checkpoint without `stores` gives every store `positions`).
 */
export interface Checkpoint {
  offsets: { [topic: string]: { [partition: string]: number } };
  positions: PositionsJson;
  stores: { [store: string]: PositionsJson };
  /** Written before a store batch whose landing the checkpoint cannot vouch for (global stores). */
  pending?: boolean;
}

const FILE = '.checkpoint';

export function readCheckpoint(taskDir: string): Checkpoint {
  try {
    const parsed = JSON.parse(readFileSync(join(taskDir, FILE), 'utf8')) as Partial<Checkpoint>;
    return { offsets: parsed.offsets ?? {}, positions: parsed.positions ?? {}, stores: parsed.stores ?? {}, ...(parsed.pending && { pending: true }) };
  } catch {
    return { offsets: {}, positions: {}, stores: {} };
  }
}

/** Written atomically (temp file + rename) so a crash leaves the old or the new one, never half. */
/** The positions a checkpoint vouches for in `store`. */
export function storePositionsOf(checkpoint: Checkpoint, store: string): Map<string, number> {
  return new Map(Object.entries(checkpoint.stores[store] ?? checkpoint.positions));
}

export function writeCheckpoint(taskDir: string, checkpoint: Checkpoint): void {
  const tmp = join(taskDir, `${FILE}.tmp`);
  writeFileSync(tmp, JSON.stringify(checkpoint));
  renameSync(tmp, join(taskDir, FILE));
}

const AHEAD = '.state-ahead';

/**
 * Marks a task directory whose stores hold a change their changelog refused: the checkpoint goes
 * (it would vouch for that state) and the next open starts from an empty directory.
 */
export function markStateAhead(taskDir: string): void {
  writeFileSync(join(taskDir, AHEAD), '');
  rmSync(join(taskDir, FILE), { force: true });
}

export function isStateAhead(taskDir: string): boolean {
  return existsSync(join(taskDir, AHEAD));
}
