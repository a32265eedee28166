// How test/run.ts reads one file's outcome from uvu's summary ("Total: N / Passed: N /
// Skipped: N"). uvu's Total leaves skipped tests out, so a file whose every test is skipped
// has Total 0 and passes; a file that prints no summary (it crashed at load) counts as failed.
export interface FileCounts { readonly passed: number; readonly failed: number; readonly skipped: number }

export function countsOf(output: string, exitCode: number | null): FileCounts {
  const clean = output.replace(/\x1b\[[0-9;]*m/g, '');
  // The last summary wins: a file may print test output that looks like one before uvu's own.
  const num = (label: string) => {
    const all = [...clean.matchAll(new RegExp(`^\\s*${label}:\\s+(\\d+)\\s*$`, 'gm'))];
    return all.length > 0 ? Number(all.at(-1)![1]) : undefined;
  };
  const total = num('Total'), passed = num('Passed'), skipped = num('Skipped');
  if (total === undefined || passed === undefined) return { passed: 0, failed: 1, skipped: 0 };
  let failed = total - passed;
  if (exitCode !== 0 && failed === 0) failed = 1; // crashed after its tests, or failed in a hook
  return { passed, failed, skipped: skipped ?? 0 };
}
