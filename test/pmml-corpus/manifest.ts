// The corpus manifest (test/pmml-corpus/manifest.json): each public document with the
// repository, commit and path it comes from, its licence, and where its records come from.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const corpusDir = new URL('.', import.meta.url).pathname;

export interface RemoteFile {
  readonly repository: string;
  readonly commit: string;
  readonly path: string;
}

export type CorpusData =
  | (RemoteFile & { readonly format: 'csv' | 'transactions' })
  | { readonly generated: true };

export interface CorpusDocument extends RemoteFile {
  readonly id: string;
  /** The exporter or collection it comes from (KNIME, R/rattle, DMG examples ...). */
  readonly source: string;
  readonly bytes: number;
  /** SPDX identifier of the repository's licence. */
  readonly licence: string;
  readonly data: CorpusData;
  /** Committed in test/pmml-corpus/ci and checked by npm test. */
  readonly ci: boolean;
}

export interface Manifest {
  readonly documents: readonly CorpusDocument[];
}

export function readManifest(): Manifest {
  return JSON.parse(readFileSync(join(corpusDir, 'manifest.json'), 'utf8')) as Manifest;
}
