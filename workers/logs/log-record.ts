import { MAX_VALUE_DEPTH, nestsDeeperThan } from './value-depth.js';
import type { LogRefusalReason, LogSeverity } from '../../src/protocol.js';

/** A pushed log record after validation: what the tail keeps and the file receives. */
export interface LogRecord {
  /** Unix epoch milliseconds; the receive time when the sender gave none. */
  timeMs: number;
  severity: LogSeverity;
  message: string;
  service: string;
  attributes: Record<string, unknown>;
}

export type RecordOutcome =
  { ok: true; record: LogRecord } | { ok: false; reason: LogRefusalReason };

// Names and numbers senders use, folded onto the six levels we count by.
const SEVERITY_NAMES: Record<string, LogSeverity> = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  information: 'info',
  notice: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  err: 'error',
  fatal: 'fatal',
  critical: 'fatal',
  crit: 'fatal',
  emergency: 'fatal',
  alert: 'fatal',
};

export const MAX_SERVICE_CHARS = 128;

/** Maps an OTLP SeverityNumber (1..24) or a level name onto our six; unknown → unspecified. */
export function normalizeSeverity(value: unknown): LogSeverity | null {
  if (value === undefined || value === null || value === '') return 'unspecified';
  if (typeof value === 'number') return severityOfNumber(value);
  if (typeof value !== 'string') return null;
  return SEVERITY_NAMES[value.toLowerCase()] ?? 'unspecified';
}

export function severityOfNumber(value: number): LogSeverity {
  // OTLP: 1-4 trace, 5-8 debug, 9-12 info, 13-16 warn, 17-20 error, 21-24 fatal.
  if (!Number.isInteger(value) || value < 1 || value > 24) return 'unspecified';
  return (['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const)[(value - 1) >> 2];
}

/**
 * One record of the documented schema (schema/log-record.schema.json): `message` and
 * `service` required strings; `time` an RFC 3339 string or epoch milliseconds; `severity`
 * a level name or OTLP number; `attributes` an object. Unknown fields are ignored.
 */
export function validateRecord(value: unknown, receivedAtMs: number): RecordOutcome {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'malformed_record' };
  }
  const fields = value as Record<string, unknown>;
  if (typeof fields.message !== 'string') return { ok: false, reason: 'missing_message' };
  const service = fields.service;
  if (typeof service !== 'string' || service === '' || service.length > MAX_SERVICE_CHARS) {
    return { ok: false, reason: 'bad_service' };
  }

  const timeMs = parseTime(fields.time, receivedAtMs);
  const severity = normalizeSeverity(fields.severity);
  const attributes = fields.attributes ?? {};
  const isObject = typeof attributes === 'object' && attributes !== null;
  if (timeMs === null || severity === null || !isObject || Array.isArray(attributes)) {
    return { ok: false, reason: 'bad_field' };
  }
  if (nestsDeeperThan(attributes, MAX_VALUE_DEPTH)) return { ok: false, reason: 'bad_field' };
  return {
    ok: true,
    record: {
      timeMs,
      severity,
      message: fields.message,
      service,
      attributes: attributes as Record<string, unknown>,
    },
  };
}

function parseTime(value: unknown, receivedAtMs: number): number | null {
  if (value === undefined || value === null) return receivedAtMs;
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : null;
  if (typeof value !== 'string') return null;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? null : parsed;
}
