/**
 * SIGTERM / SIGINT during `write` (Airbyte cancels a sync with SIGTERM, then SIGKILL seconds later):
 * the first signal calls `onFirst` (a graceful stop), a second one `onSecond` (stop at once).
 * Returns a function that removes the handlers.
 */
const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

export function onCancelSignals(onFirst: (signal: NodeJS.Signals) => void, onSecond: (signal: NodeJS.Signals) => void): () => void {
  let seen = 0;
  const handler = (signal: NodeJS.Signals): void => {
    seen += 1;
    if (seen === 1) onFirst(signal);
    else onSecond(signal);
  };
  for (const s of SIGNALS) process.on(s, handler);
  return () => {
    for (const s of SIGNALS) process.off(s, handler);
  };
}
