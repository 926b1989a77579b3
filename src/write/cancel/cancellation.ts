/**
 * A sync's cancellation (Airbyte stops a sync with SIGTERM, then SIGKILL seconds later).
 *
 * `request()` (the first signal) aborts `signal` and starts the grace period; `deadline` resolves
 * when it is over. Until then jobs Salesforce already accepted are waited for, polled more often:
 * `sleep` (the job runner's waits) never waits longer than CANCEL_POLL_MS once cancelled, and a
 * wait in progress ends when the cancel arrives. Nothing here touches the process: the signal
 * handlers live in commands/write-signals.ts.
 */
import { ConnectorError } from '../../errors';

/** The longest wait between two polls of a job while the grace period runs. */
export const CANCEL_POLL_MS = 500;

/** The error a cancelled sync ends with (and every refused job start throws, so it can be told apart). */
export class SyncCancelledError extends ConnectorError {
  constructor(reason: string, graceSeconds: number) {
    super(
      `The sync was cancelled (${reason}). Rows settled within the ${graceSeconds} s grace period were checkpointed; ` +
        'Airbyte sends every other row again in the next sync.',
      'transient_error',
      `cancelled by ${reason}`,
    );
    this.name = 'SyncCancelledError';
  }
}

export class Cancellation {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private endGrace: () => void = () => undefined;
  private reasonText: string | undefined;
  /** Resolves when the grace period after the first request is over (never without a request). */
  readonly deadline: Promise<void>;

  constructor(readonly graceMs: number) {
    this.deadline = new Promise((resolve) => {
      this.endGrace = resolve;
    });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get requested(): boolean {
    return this.controller.signal.aborted;
  }

  /** What cancelled the sync (e.g. `SIGTERM`), once requested. */
  get reason(): string | undefined {
    return this.reasonText;
  }

  /** The first call cancels and starts the grace period; later calls change nothing. */
  request(reason: string): void {
    if (this.requested) return;
    this.reasonText = reason;
    this.timer = setTimeout(() => this.endGrace(), this.graceMs);
    this.controller.abort(this.error());
  }

  /** The sync's final error; also what a refused job start throws. */
  error(): SyncCancelledError {
    return new SyncCancelledError(this.reasonText ?? 'cancel', Math.round(this.graceMs / 1000));
  }

  /** Throws the cancel error when cancelled (before any new job or upload). */
  throwIfRequested(): void {
    if (this.requested) throw this.error();
  }

  /** A wait that is cut to CANCEL_POLL_MS once cancelled (so closed jobs are seen finishing quickly). */
  readonly sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const wait = this.requested ? Math.min(ms, CANCEL_POLL_MS) : ms;
      const done = (): void => {
        clearTimeout(timer);
        this.signal.removeEventListener('abort', cut);
        resolve();
      };
      const cut = (): void => {
        clearTimeout(timer);
        timer = setTimeout(done, Math.min(wait, CANCEL_POLL_MS));
      };
      let timer = setTimeout(done, wait);
      if (!this.requested) this.signal.addEventListener('abort', cut, { once: true });
    });

  /** Stops the grace timer (the sync ended first). */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}
