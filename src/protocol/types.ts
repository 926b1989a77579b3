/**
 * The subset of the Airbyte protocol (0.18.0, ../shared/airbyte-protocol/airbyte_protocol.yaml)
 * this destination reads and writes. Unknown properties are kept wherever we echo input.
 */
import type { FailureType } from '../errors';

export interface StreamDescriptor {
  name: string;
  namespace?: string | null;
}

export interface AirbyteRecord {
  stream: string;
  namespace?: string | null;
  data: Record<string, unknown>;
  emitted_at: number;
  meta?: unknown;
  [key: string]: unknown;
}

export interface StateStats {
  recordCount?: number;
  rejectedRecordCount?: number;
}

/** A STATE payload, kept as received (plus destinationStats when echoed). */
export interface AirbyteStateMessage {
  type?: 'STREAM' | 'GLOBAL' | 'LEGACY';
  stream?: { stream_descriptor: StreamDescriptor; stream_state?: unknown };
  global?: { shared_state?: unknown; stream_states: Array<{ stream_descriptor: StreamDescriptor; stream_state?: unknown }> };
  data?: unknown;
  sourceStats?: StateStats;
  destinationStats?: StateStats;
  [key: string]: unknown;
}

export type StreamStatus = 'STARTED' | 'RUNNING' | 'COMPLETE' | 'INCOMPLETE';

export interface AirbyteTrace {
  type: 'ERROR' | 'ESTIMATE' | 'STREAM_STATUS' | 'ANALYTICS';
  emitted_at: number;
  error?: {
    message: string;
    internal_message?: string;
    stack_trace?: string;
    failure_type?: FailureType;
    stream_descriptor?: StreamDescriptor;
  };
  stream_status?: { stream_descriptor: StreamDescriptor; status: StreamStatus; [key: string]: unknown };
  [key: string]: unknown;
}

export type LogLevel = 'FATAL' | 'ERROR' | 'WARN' | 'INFO' | 'DEBUG' | 'TRACE';

export type DestinationSyncMode = 'append' | 'overwrite' | 'append_dedup' | 'update' | 'soft_delete';

export interface ConfiguredStream {
  stream: {
    name: string;
    namespace?: string | null;
    json_schema: Record<string, unknown>;
    supported_sync_modes?: string[];
    source_defined_primary_key?: string[][];
    [key: string]: unknown;
  };
  sync_mode?: string;
  destination_sync_mode?: DestinationSyncMode;
  destination_object_name?: string;
  primary_key?: string[][];
  cursor_field?: string[];
  generation_id?: number;
  minimum_generation_id?: number;
  sync_id?: number;
  [key: string]: unknown;
}

export interface ConfiguredCatalog {
  streams: ConfiguredStream[];
}

export interface DestinationOperation {
  object_name: string;
  sync_mode: DestinationSyncMode;
  json_schema: Record<string, unknown>;
  matching_keys?: string[][];
}

export type ConnectionStatus = 'SUCCEEDED' | 'FAILED';

/** One line of stdin, as the reader hands it on. */
export type InputMessage =
  /**
   * `raw`: the input line as read — its bytes as stdin gave them (a view, valid while the message is
   * handled), or its text — which the record spool keeps rather than serialising the record again.
   */
  | { type: 'RECORD'; record: AirbyteRecord; line: number; raw?: string | Uint8Array }
  | { type: 'STATE'; state: AirbyteStateMessage; line: number }
  | { type: 'TRACE'; trace: AirbyteTrace; line: number }
  | { type: 'OTHER'; messageType: string; line: number };

/** A stable key for a stream: namespace and name. */
export function streamKey(d: StreamDescriptor): string {
  return d.namespace ? `${d.namespace}.${d.name}` : d.name;
}
