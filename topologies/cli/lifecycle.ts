// Foreground commands run until SIGINT/SIGTERM (or a fatal error) and then shut down in order.
// A second signal during shutdown (a second later or more) exits at once, as users expect of
// Ctrl-C pressed twice.

export type StopReason = { readonly kind: 'signal'; readonly signal: NodeJS.Signals } | { readonly kind: 'failed'; readonly error: Error } | { readonly kind: 'done' };

export interface StopSwitch {
  /** Resolves with the first reason to stop. */
  readonly stopped: Promise<StopReason>;
  stop(reason: StopReason): void;
  /** Removes the signal handlers (call once shutdown is complete). */
  dispose(): void;
}

export function stopOnSignals(log: (line: string) => void): StopSwitch {
  let resolveStop!: (r: StopReason) => void;
  const stopped = new Promise<StopReason>((r) => (resolveStop = r));
  let stopping = false;
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    // Some supervisors (coreutils timeout) deliver one stop twice, to the process and its group.
    if (firstSignalAt && Date.now() - firstSignalAt < 1000) return;
    if (stopping) {
      log(`${signal} again: exiting without a clean shutdown`);
      process.exit(130);
    }
    firstSignalAt = Date.now();
    log(`${signal}: shutting down`);
    stopSwitch.stop({ kind: 'signal', signal });
  };
  const stopSwitch: StopSwitch = {
    stopped,
    stop(reason) {
      stopping = true;
      resolveStop(reason);
    },
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return stopSwitch;
}
