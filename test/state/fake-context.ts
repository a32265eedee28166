// A StateStoreContext of our own for store tests: it records what stores log and register.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RestoreCallback, StateStore, StateStoreContext } from '../../lib/index.ts';

export interface LoggedChange {
  readonly storeName: string;
  readonly key: Uint8Array;
  readonly value: Uint8Array | null;
  readonly timestamp: number;
}

export class RecordingContext implements StateStoreContext {
  readonly applicationId = 'app';
  readonly taskId = '0_0';
  readonly logged: LoggedChange[] = [];
  readonly registered: { store: StateStore; callback: RestoreCallback }[] = [];
  /** What `recordTimestamp()` answers; undefined leaves it to the store. */
  now: number | undefined;

  constructor(readonly stateDir: string) {}

  register(store: StateStore, callback: RestoreCallback): void {
    this.registered.push({ store, callback });
  }

  logChange(storeName: string, key: Uint8Array, value: Uint8Array | null, timestamp: number): void {
    this.logged.push({ storeName, key, value, timestamp });
  }

  recordTimestamp(): number {
    return this.now ?? Date.now();
  }
}

export function tempDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'modelstream-state-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);
export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
export const text = (value: Uint8Array | undefined): string | undefined =>
  value === undefined ? undefined : new TextDecoder().decode(value);
