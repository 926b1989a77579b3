/**
 * SIGTERM / SIGINT during `write` (Airbyte cancels a sync with SIGTERM, then SIGKILL seconds later).
 * The handlers are installed first thing (main.ts), so a signal that comes while the connector is
 * still starting is not lost (Node's default would end the process with no TRACE): it is kept and
 * handed over once the write command subscribes. The first signal calls `onFirst` (a graceful stop),
 * any later one `onSecond` (stop at once).
 */
const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

type Handler = (signal: NodeJS.Signals) => void;

export class CancelSignals {
  private readonly seen: NodeJS.Signals[] = [];
  private first: Handler | undefined;
  private second: Handler | undefined;
  private readonly handler = (signal: NodeJS.Signals): void => {
    this.seen.push(signal);
    if (this.seen.length === 1) this.first?.(signal);
    else if (this.second) this.second(signal);
    else process.exit(1); // a second signal before the write command started: nothing to report
  };

  constructor() {
    for (const s of SIGNALS) process.on(s, this.handler);
  }

  /** Subscribes; a signal that already came is handed over at once. */
  subscribe(onFirst: Handler, onSecond: Handler): void {
    this.first = onFirst;
    this.second = onSecond;
    const [first, second] = this.seen;
    if (first) onFirst(first);
    if (second) onSecond(second);
  }
}
