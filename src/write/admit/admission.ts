/**
 * Admission: when a chunk may start. A chunk starts once no chunk in flight writes one of its records
 * (key-gate.ts) and a job slot is free (job-slots.ts: `max_jobs_in_flight`, per object and in
 * total). `admit` resolves as soon as the chunk has its slot — the reader waits there (backpressure),
 * so memory is bounded by the chunks in flight — while the chunk runs on in the background, tracked
 * until `drain`. Nothing here knows about Salesforce or checkpoints.
 */
import { JobSlots } from './job-slots';
import { KeyGate } from './key-gate';

export class Admission {
  private readonly slots: JobSlots;
  private readonly gate = new KeyGate();
  private readonly tasks = new Set<Promise<void>>();

  constructor(maxJobsInFlight: number) {
    this.slots = new JobSlots(maxJobsInFlight, maxJobsInFlight);
  }

  get inFlight(): number {
    return this.slots.inFlight;
  }

  /** Chunks admitted or waiting to be, not finished yet. */
  get pending(): number {
    return this.tasks.size;
  }

  /**
   * Runs `work` once `object`'s `keys` are free and a slot is; resolves when it started (or was
   * dropped because `wanted()` turned false while it waited). An error of `work` goes to `onError`.
   */
  admit(object: string, keys: Set<string>, wanted: () => boolean, work: () => Promise<void>, onError: (err: unknown) => void): Promise<void> {
    let started!: () => void;
    const admitted = new Promise<void>((resolve) => (started = resolve));
    const task: Promise<void> = (async () => {
      await this.gate.acquire(object, keys);
      await this.slots.acquire(object);
      started();
      try {
        if (wanted()) await work();
      } finally {
        this.slots.release(object);
        this.gate.release(object, keys);
      }
    })()
      .catch(onError)
      .finally(() => this.tasks.delete(task));
    this.tasks.add(task);
    return admitted;
  }

  /** Resolves when every admitted chunk (and every chunk still waiting to be admitted) has finished. */
  async drain(): Promise<void> {
    while (this.tasks.size > 0) await Promise.all([...this.tasks]);
  }
}
