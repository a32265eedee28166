// Asserts that loading a PMML document fails with a ModelLoadError whose message names `parts`.
import * as assert from 'uvu/assert';
import { loadPmml, ModelLoadError } from '../../../lib/models/index.ts';

export function refuses(xml: string, ...parts: string[]): void {
  try {
    loadPmml(xml);
  } catch (err) {
    assert.instance(err, ModelLoadError);
    for (const p of parts) assert.match((err as Error).message, p);
    return;
  }
  assert.unreachable('expected a ModelLoadError');
}
