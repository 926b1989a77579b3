/**
 * The one error type the connector raises for anything a user can meet.
 *
 * `message` is what the user reads (what happened, what to change); it never holds a secret.
 * `failureType` is Airbyte's: config_error (the platform does not retry), system_error, transient_error.
 * `internalMessage` is for maintainers (HTTP status, Salesforce error code, job id); also secret-free.
 */
export type FailureType = 'config_error' | 'system_error' | 'transient_error';

export class ConnectorError extends Error {
  readonly failureType: FailureType;
  readonly internalMessage: string | undefined;

  constructor(message: string, failureType: FailureType, internalMessage?: string) {
    super(message);
    this.name = 'ConnectorError';
    this.failureType = failureType;
    this.internalMessage = internalMessage;
  }
}

export const configError = (message: string, internal?: string): ConnectorError =>
  new ConnectorError(message, 'config_error', internal);
export const systemError = (message: string, internal?: string): ConnectorError =>
  new ConnectorError(message, 'system_error', internal);
export const transientError = (message: string, internal?: string): ConnectorError =>
  new ConnectorError(message, 'transient_error', internal);

const MAX_UNEXPECTED_TEXT = 500;

/**
 * Turns anything thrown into a ConnectorError; unknown errors become system_error.
 * An unexpected error's text can quote data (a RegExp, a JSON parse error), so it is cut short, and
 * only the stack frames (not the message line again) go into internal_message.
 */
export function asConnectorError(err: unknown): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const raw = err instanceof Error ? err.message : String(err);
  const text = raw.length > MAX_UNEXPECTED_TEXT ? `${raw.slice(0, MAX_UNEXPECTED_TEXT)}…` : raw;
  const frames = err instanceof Error && err.stack ? err.stack.split('\n').filter((l) => /^\s+at /.test(l)).join('\n') : undefined;
  return systemError(`Unexpected error: ${text}`, frames || undefined);
}
