/**
 * The only writer of stdout. Every line is one AirbyteMessage; every string in it passes through
 * the redactor first, so a secret that slipped into an error text or log never reaches the platform.
 */
import type { ConnectorError } from '../errors';
import type {
  AirbyteStateMessage,
  ConnectionStatus,
  DestinationOperation,
  LogLevel,
  StreamDescriptor,
} from './types';

export type LineWriter = (line: string) => void;

export class Emitter {
  private readonly secrets: string[] = [];

  constructor(private readonly writeLine: LineWriter) {}

  /** Values that must never be printed (every `airbyte_secret` value of the config). */
  addSecrets(values: Iterable<string>): void {
    for (const v of values) {
      // Very short values would redact ordinary words; secrets are never that short.
      if (typeof v !== 'string' || v.length < 4) continue;
      // Redaction runs on the serialised line, so also match the JSON-escaped spelling.
      for (const form of [v, JSON.stringify(v).slice(1, -1)]) {
        if (!this.secrets.includes(form)) this.secrets.push(form);
      }
    }
    this.secrets.sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join('**********');
    return out;
  }

  log(level: LogLevel, message: string): void {
    this.emit({ type: 'LOG', log: { level, message } });
  }

  info(message: string): void {
    this.log('INFO', message);
  }

  warn(message: string): void {
    this.log('WARN', message);
  }

  spec(spec: Record<string, unknown>): void {
    this.emit({ type: 'SPEC', spec });
  }

  connectionStatus(status: ConnectionStatus, message?: string): void {
    this.emit({ type: 'CONNECTION_STATUS', connectionStatus: message === undefined ? { status } : { status, message } });
  }

  destinationCatalog(operations: DestinationOperation[]): void {
    this.emit({ type: 'DESTINATION_CATALOG', destination_catalog: { operations } });
  }

  state(state: AirbyteStateMessage): void {
    this.emit({ type: 'STATE', state });
  }

  /**
   * Asks Airbyte to store an updated config (a rotated refresh token). This is the one message that is
   * NOT redacted: Airbyte persists exactly what it receives (and masks secrets in its own logs), so a
   * redacted token here would replace the user's working credential with asterisks.
   */
  connectorConfig(config: Record<string, unknown>): void {
    const message = { type: 'CONTROL', control: { type: 'CONNECTOR_CONFIG', emitted_at: Date.now(), connectorConfig: { config } } };
    this.writeLine(JSON.stringify(message) + '\n');
  }

  traceError(err: ConnectorError, stream?: StreamDescriptor): void {
    const error: Record<string, unknown> = { message: err.message, failure_type: err.failureType };
    if (err.internalMessage) error.internal_message = err.internalMessage;
    if (stream) error.stream_descriptor = stream;
    this.emit({ type: 'TRACE', trace: { type: 'ERROR', emitted_at: Date.now(), error } });
  }

  private emit(message: Record<string, unknown>): void {
    // JSON.stringify escapes newlines inside strings, so one message is always one line.
    this.writeLine(this.redact(JSON.stringify(message)) + '\n');
  }
}
