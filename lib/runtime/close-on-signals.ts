// closeOnSignals: SIGTERM and SIGINT close the instance gracefully, then the signal is raised
// again with the handlers gone, so the process ends as the signal would have ended it.
const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

export class CloseOnSignals {
  readonly #handler: (signal: NodeJS.Signals) => void;

  constructor(close: () => Promise<void>) {
    this.#handler = (signal) => {
      void close().finally(() => {
        this.remove();
        process.kill(process.pid, signal);
      });
    };
  }

  install(): void {
    for (const s of SIGNALS) process.on(s, this.#handler);
  }

  remove(): void {
    for (const s of SIGNALS) process.off(s, this.#handler);
  }
}
