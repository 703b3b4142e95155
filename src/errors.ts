/**
 * The closed vocabularies of what can go wrong. Reasons label self-metrics and log lines and
 * are asserted by tests; they never come from traffic. Codes identify configuration and
 * programming errors that stop the daemon at start-up.
 */

/** Why a line, a sample or a message was refused. Stable: dashboards and alerts key on these. */
export const DROP_REASONS = [
  // The parser could not make a sample of the line (no `:`/`|`, empty name, bad field).
  'malformed_line',
  // The value is not a finite number, or a sample rate is outside (0, 1].
  'bad_value',
  'bad_sample_rate',
  'unknown_type',
  // A name arrived as a second type after the first type had claimed it.
  'type_conflict',
  // The main thread found the worker's ring full; the whole datagram or chunk is dropped.
  'ring_full',
  // A TCP line grew past the per-connection bound without a newline.
  'line_too_long',
  // A new series would have passed --max-series or its metric's limit in the mapping file.
  'series_limit',
  // A new summary series would have passed --max-summary-series.
  'summary_limit',
  // A mapping rule with `action: drop` matched the name.
  'mapping_drop',
  'body_too_large',
  // A push body of a content type or content-encoding its receiver does not read (415).
  'unsupported_media_type',
  // A push body that is not what its content type says (bad JSON, bad msgpack, no samples).
  'malformed_body',
  // A push body whose content-encoding could not be undone (bad gzip).
  'bad_encoding',
  // One sample of a push body lacks a name or has fields of the wrong type.
  'malformed_sample',
  // An OTLP point of a kind not translated (exponential histograms) or without a value.
  'unsupported_point',
  // Pushed logs (POST /api/v1/logs): a line or body that is not JSON, a record that is not
  // an object, no string message, no usable service, a field of the wrong type, bad gzip.
  'malformed_json',
  'malformed_record',
  'missing_message',
  'bad_service',
  'bad_field',
  'bad_gzip',
  // Sample limits (workers/parse/sample-limits.ts): the line is refused whole, so a series
  // never appears with some of its labels silently cut.
  'name_too_long',
  'too_many_labels',
  'label_value_too_long',
  // Refused on the main thread before reaching a ring (src/ingest/ingest-limits.ts).
  'datagram_too_large',
  'connection_limit',
  // A TCP line left unfinished past --tcp-line-timeout-ms (a slow or stalled client).
  'line_timeout',
] as const;

export type DropReason = (typeof DROP_REASONS)[number];

/** Parse-stage reasons, a subset of DROP_REASONS; the parser only ever returns these. */
export const PARSE_REASONS = [
  'malformed_line',
  'bad_value',
  'bad_sample_rate',
  'unknown_type',
  'name_too_long',
  'too_many_labels',
  'label_value_too_long',
] as const satisfies readonly DropReason[];

export type ParseReason = (typeof PARSE_REASONS)[number];

/** Why a pushed log record (or a whole log body) was refused; a subset of DROP_REASONS. */
export const LOG_REFUSAL_REASONS = [
  'malformed_json',
  'malformed_record',
  'missing_message',
  'bad_service',
  'bad_field',
  'bad_gzip',
  'body_too_large',
] as const satisfies readonly DropReason[];

export type LogRefusalReason = (typeof LOG_REFUSAL_REASONS)[number];
/** Main-thread refusals, a subset of DROP_REASONS: what never reached a ring. */
export const INGEST_REFUSAL_REASONS = [
  'datagram_too_large',
  'connection_limit',
  'line_timeout',
] as const satisfies readonly DropReason[];

export type IngestRefusalReason = (typeof INGEST_REFUSAL_REASONS)[number];

export const ERROR_CODES = {
  CONFIG_INVALID: 'CM_CONFIG_INVALID',
  LISTEN_FAILED: 'CM_LISTEN_FAILED',
  WORKER_FAILED: 'CM_WORKER_FAILED',
  INTERNAL: 'CM_INTERNAL',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** An error with a stable code. Across postMessage send `toWire()` and rebuild with `fromWire`. */
export class CatalystError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CatalystError';
    this.code = code;
  }

  toWire(): WireError {
    return { code: this.code, message: this.message };
  }

  static fromWire(wire: WireError): CatalystError {
    return new CatalystError(wire.code, wire.message);
  }
}

export interface WireError {
  code: ErrorCode;
  message: string;
}

/** A configuration value that cannot be used. The message names option, value and expectation. */
export class ConfigError extends CatalystError {
  constructor(message: string) {
    super(ERROR_CODES.CONFIG_INVALID, message);
    this.name = 'ConfigError';
  }
}
