// One partition's transaction bookkeeping (KIP-98): the open transactions (producer id →
// first offset), which bound the last stable offset, and the aborted ones with the offset
// of their abort marker, which read_committed fetches list as aborted_transactions.

export interface AbortedTxn {
  readonly producerId: number;
  readonly firstOffset: number;
  /** Offset of the abort marker. */
  readonly lastOffset: number;
}

export class TxnIndex {
  private readonly open = new Map<number, number>();
  /** In marker order, so lastOffset ascends. */
  private aborted: AbortedTxn[] = [];

  /** A transactional data batch at `baseOffset` from `producerId`. */
  onData(producerId: number, baseOffset: number): void {
    if (!this.open.has(producerId)) this.open.set(producerId, baseOffset);
  }

  /** A marker ends the producer's open transaction here; a marker with none open changes nothing. */
  onMarker(producerId: number, commit: boolean, markerOffset: number): void {
    const firstOffset = this.open.get(producerId);
    if (firstOffset === undefined) return;
    this.open.delete(producerId);
    if (!commit) this.aborted.push({ producerId, firstOffset, lastOffset: markerOffset });
  }

  /** First offset of the oldest open transaction: the LSO when there is one. */
  firstUnstableOffset(): number | undefined {
    let min: number | undefined;
    for (const first of this.open.values()) if (min === undefined || first < min) min = first;
    return min;
  }

  isOpen(producerId: number): boolean { return this.open.has(producerId); }

  openProducers(): number[] { return [...this.open.keys()]; }

  /**
   * Aborted transactions overlapping [from, to): those whose marker is at or after `from` and
   * whose first offset is below `to`, by first offset (the order consumers walk them in).
   */
  abortedIn(from: number, to: number): AbortedTxn[] {
    return this.aborted.filter((a) => a.lastOffset >= from && a.firstOffset < to).sort((a, b) => a.firstOffset - b.firstOffset);
  }

  /** Whether the record at `offset` from `producerId` belongs to an aborted transaction. */
  isAborted(producerId: number, offset: number): boolean {
    return this.aborted.some((a) => a.producerId === producerId && a.firstOffset <= offset && offset < a.lastOffset);
  }

  /** Forgets aborted transactions wholly below the log start (DeleteRecords). */
  truncateBefore(logStartOffset: number): void {
    this.aborted = this.aborted.filter((a) => a.lastOffset >= logStartOffset);
  }
}
