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

/** Turns anything thrown into a ConnectorError; unknown errors become system_error. */
export function asConnectorError(err: unknown): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const text = err instanceof Error ? err.message : String(err);
  return systemError(`Unexpected error: ${text}`, err instanceof Error ? err.stack : undefined);
}
