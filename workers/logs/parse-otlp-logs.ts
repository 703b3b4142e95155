import {
  normalizeSeverity,
  severityOfNumber,
  MAX_SERVICE_CHARS,
  type LogRecord,
} from './log-record.js';
import { ExportLogsServiceRequest } from './otlp-logs-schema.js';
import type { ParsedLogBody } from './parse-log-body.js';

/**
 * The plain shape both OTLP encodings become: protobuf through protobufjs' toObject, JSON
 * as the OTLP/JSON mapping writes it (lowerCamelCase keys, 64-bit numbers as strings).
 */
interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
  bytesValue?: string;
}
interface OtlpKeyValue {
  key?: string;
  value?: OtlpAnyValue;
}
interface OtlpLogRecord {
  timeUnixNano?: string | number;
  observedTimeUnixNano?: string | number;
  severityNumber?: number;
  severityText?: string;
  body?: OtlpAnyValue;
  attributes?: OtlpKeyValue[];
}
interface OtlpRequest {
  resourceLogs?: Array<{
    resource?: { attributes?: OtlpKeyValue[] };
    scopeLogs?: Array<{ logRecords?: OtlpLogRecord[] }>;
  }>;
}

/** Decodes an OTLP/HTTP protobuf body, or null when it is not one. */
export function decodeOtlpProtobuf(bytes: Uint8Array): OtlpRequest | null {
  try {
    const message = ExportLogsServiceRequest.decode(bytes);
    return ExportLogsServiceRequest.toObject(message, { longs: String }) as OtlpRequest;
  } catch {
    return null;
  }
}

/** Parses an OTLP/HTTP JSON body, or null when it is not a JSON object. */
export function decodeOtlpJson(text: string): OtlpRequest | null {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as OtlpRequest)
      : null;
  } catch {
    return null;
  }
}

/**
 * Records of an OTLP logs request. The service is the resource's `service.name`; the
 * message the body (text as is, structured bodies as JSON); the time time_unix_nano, else
 * observed_time_unix_nano, else the receive time.
 */
export function recordsOfOtlp(request: OtlpRequest, receivedAtMs: number): ParsedLogBody {
  const result: ParsedLogBody = { records: [], refused: {} };
  for (const resourceLogs of listOf(request.resourceLogs)) {
    const resource = attributesOf(resourceLogs.resource?.attributes);
    const service = resource['service.name'];
    for (const scopeLogs of listOf(resourceLogs.scopeLogs)) {
      for (const otlp of listOf(scopeLogs.logRecords)) {
        const isServiceUsable =
          typeof service === 'string' && service !== '' && service.length <= MAX_SERVICE_CHARS;
        if (!isServiceUsable) {
          result.refused.bad_service = (result.refused.bad_service ?? 0) + 1;
          continue;
        }
        result.records.push(recordOf(otlp, service, receivedAtMs));
      }
    }
  }
  return result;
}

function recordOf(otlp: OtlpLogRecord, service: string, receivedAtMs: number): LogRecord {
  const body = otlp.body === undefined ? '' : valueOf(otlp.body);
  const severityNumber = Number(otlp.severityNumber ?? 0);
  return {
    timeMs: timeOf(otlp.timeUnixNano) ?? timeOf(otlp.observedTimeUnixNano) ?? receivedAtMs,
    severity:
      severityNumber > 0
        ? severityOfNumber(severityNumber)
        : (normalizeSeverity(otlp.severityText) ?? 'unspecified'),
    message: typeof body === 'string' ? body : JSON.stringify(body),
    service,
    attributes: attributesOf(otlp.attributes),
  };
}

// Nanoseconds arrive as decimal strings (past 2^53); milliseconds fit a double exactly.
function timeOf(nanos: string | number | undefined): number | null {
  if (nanos === undefined) return null;
  const text = String(nanos);
  if (!/^\d+$/.test(text) || /^0+$/.test(text)) return null;
  return Number(BigInt(text) / 1_000_000n);
}

function attributesOf(list: OtlpKeyValue[] | undefined): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const pair of listOf(list)) {
    if (typeof pair.key === 'string') attributes[pair.key] = valueOf(pair.value ?? {});
  }
  return attributes;
}

function valueOf(value: OtlpAnyValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return Number(value.doubleValue);
  if (value.arrayValue !== undefined) return listOf(value.arrayValue.values).map(valueOf);
  if (value.kvlistValue !== undefined) return attributesOf(value.kvlistValue.values);
  if (value.bytesValue !== undefined) return value.bytesValue;
  return null;
}

// Traffic decides the shape: a field that should be a list may be anything.
function listOf<T>(value: T[] | undefined): T[] {
  return Array.isArray(value) ? value : [];
}
