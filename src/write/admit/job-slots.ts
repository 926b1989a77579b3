/**
 * Bounds the ingest jobs in flight, per object and in total (config.maxJobsInFlight).
 * `acquire` waits (FIFO) until both bounds allow one more; `release` frees the slot.
 */
export class JobSlots {
  private total = 0;
  private readonly perObject = new Map<string, number>();
  private readonly waiters: Array<{ object: string; resolve: () => void }> = [];

  constructor(
    private readonly maxTotal: number,
    private readonly maxPerObject: number,
  ) {}

  get inFlight(): number {
    return this.total;
  }

  acquire(object: string): Promise<void> {
    if (this.waiters.length === 0 && this.fits(object)) {
      this.take(object);
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push({ object, resolve }));
  }

  release(object: string): void {
    this.total -= 1;
    this.perObject.set(object, (this.perObject.get(object) ?? 1) - 1);
    // Wake every waiter that now fits, in arrival order (one object's queue does not block another's).
    for (let i = 0; i < this.waiters.length; ) {
      const w = this.waiters[i] as { object: string; resolve: () => void };
      if (this.fits(w.object)) {
        this.waiters.splice(i, 1);
        this.take(w.object);
        w.resolve();
      } else {
        i += 1;
      }
    }
  }

  private fits(object: string): boolean {
    return this.total < this.maxTotal && (this.perObject.get(object) ?? 0) < this.maxPerObject;
  }

  private take(object: string): void {
    this.total += 1;
    this.perObject.set(object, (this.perObject.get(object) ?? 0) + 1);
  }
}
