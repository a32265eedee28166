// What some tests need from outside the repository: the tutorial's seed data (../shared/seed-data,
// never copied in; MODELSTREAM_SEED_DATA points elsewhere). Without it those tests are skipped
// with uvu's test.skip, so test/run.ts counts them as skipped; with MODELSTREAM_REQUIRE_SEED=1
// (CI, where shared/ sits beside the clone) a missing seed fails the file instead.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';

/** The seed data directory, with a trailing slash. */
export const SEED_DIR = join(process.env.MODELSTREAM_SEED_DATA ?? fileURLToPath(new URL('../../shared/seed-data/', import.meta.url)), '/');

export const seedAvailable = existsSync(join(SEED_DIR, 'winequality_red.csv'));

/** A dependency a run declared required (MODELSTREAM_REQUIRE_*) is missing. */
export class RequiredDependencyError extends Error {
  override readonly name = 'RequiredDependencyError';
}

let told = false;

/** `test` when the seed data is present, else `test.skip` (or a RequiredDependencyError when required). */
export function seedTest(): typeof test | typeof test.skip {
  if (seedAvailable) return test;
  if (process.env.MODELSTREAM_REQUIRE_SEED === '1') {
    throw new RequiredDependencyError(`the seed data is required (MODELSTREAM_REQUIRE_SEED=1) but ${SEED_DIR} has no winequality_red.csv`);
  }
  if (!told) console.log(`[skip] no seed data in ${SEED_DIR} (set MODELSTREAM_SEED_DATA); its tests are skipped`);
  told = true;
  return test.skip;
}
