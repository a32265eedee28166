// The one place that resolves the tutorial's seed data: MODELSTREAM_SEED_DATA when set, else
// ../shared/seed-data beside the checkout (never copied into the repo). Tests reach it through
// test/requirements.ts (which skips or fails when it is missing); benches read it directly.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The seed data directory, with a trailing slash. */
export const SEED_DIR = join(resolve(process.env.MODELSTREAM_SEED_DATA ?? fileURLToPath(new URL('../../shared/seed-data/', import.meta.url))), '/');

/** The file the seed data is recognised by: every seed-based test reads it. */
export const SEED_MARKER = 'winequality_red.csv';

/** Absolute path of a file in the seed data directory. */
export const seedFile = (name: string): string => join(SEED_DIR, name);

/** Why the seed data cannot be used here, or undefined when it can. */
export function seedMissingReason(): string | undefined {
  return existsSync(seedFile(SEED_MARKER)) ? undefined : `${SEED_DIR} has no ${SEED_MARKER} (set MODELSTREAM_SEED_DATA, or lay shared/seed-data beside the clone)`;
}
