import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What a persistent task's state reflects: the changelog offsets applied (`{ topic: { partition:
 * offset } }`) and the source positions processed (`{ "topic:partition": nextOffset }`).
 */
export interface Checkpoint {
  offsets: { [topic: string]: { [partition: string]: number } };
  positions: { [topicPartition: string]: number };
}

const FILE = '.checkpoint';

export function readCheckpoint(taskDir: string): Checkpoint {
  try {
    const parsed = JSON.parse(readFileSync(join(taskDir, FILE), 'utf8')) as Partial<Checkpoint>;
    return { offsets: parsed.offsets ?? {}, positions: parsed.positions ?? {} };
  } catch {
    return { offsets: {}, positions: {} };
  }
}

/** Written atomically (temp file + rename) so a crash leaves the old or the new one, never half. */
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
