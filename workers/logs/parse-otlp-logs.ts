import {
  normalizeSeverity,
  severityOfNumber,
  MAX_SERVICE_CHARS,
  type LogRecord,
} from './log-record.js';
import { MAX_VALUE_DEPTH } from './value-depth.js';
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
    const resource = resourceAttributesOf(resourceLogs.resource?.attributes);
    const service = resource['service.name'];
    for (const scopeLogs of listOf(resourceLogs.scopeLogs)) {
      for (const otlp of listOf(scopeLogs.logRecords)) {
        const isServiceUsable =
          typeof service === 'string' && service !== '' && service.length <= MAX_SERVICE_CHARS;
        if (!isServiceUsable) {
          result.refused.bad_service = (result.refused.bad_service ?? 0) + 1;
          continue;
        }
        const record = recordOf(otlp, service, receivedAtMs);
        if (record === null) result.refused.bad_field = (result.refused.bad_field ?? 0) + 1;
        else result.records.push(record);
      }
    }
  }
  return result;
}

/** The record, or null when its body or attributes nest past MAX_VALUE_DEPTH. */
function recordOf(otlp: OtlpLogRecord, service: string, receivedAtMs: number): LogRecord | null {
  let body: unknown;
  let attributes: Record<string, unknown>;
  try {
    body = otlp.body === undefined ? '' : valueOf(otlp.body, 0);
    attributes = attributesOf(otlp.attributes, 0);
  } catch (error) {
    if (error === TOO_DEEP) return null;
    throw error;
  }
  const severityNumber = Number(otlp.severityNumber ?? 0);
  return {
    timeMs: timeOf(otlp.timeUnixNano) ?? timeOf(otlp.observedTimeUnixNano) ?? receivedAtMs,
    severity:
      severityNumber > 0
        ? severityOfNumber(severityNumber)
        : (normalizeSeverity(otlp.severityText) ?? 'unspecified'),
    message: typeof body === 'string' ? body : JSON.stringify(body),
    service,
    attributes,
  };
}

// Nanoseconds arrive as decimal strings (past 2^53); milliseconds fit a double exactly.
function timeOf(nanos: string | number | undefined): number | null {
  if (nanos === undefined) return null;
  const text = String(nanos);
  if (!/^\d+$/.test(text) || /^0+$/.test(text)) return null;
  return Number(BigInt(text) / 1_000_000n);
}

// AnyValue nests (arrays of kvlists of arrays...) as deep as the sender likes; walking 100k
// levels here would overflow the stack. Past MAX_VALUE_DEPTH the record is refused (bad_field).
const TOO_DEEP = new Error('value nests too deep');

function attributesOf(list: OtlpKeyValue[] | undefined, depth: number): Record<string, unknown> {
  if (depth > MAX_VALUE_DEPTH) throw TOO_DEEP;
  // No prototype: a key named __proto__ must stay a key, not replace the object's prototype.
  const attributes: Record<string, unknown> = Object.create(null);
  for (const pair of listOf(list)) {
    if (typeof pair.key === 'string') attributes[pair.key] = valueOf(pair.value ?? {}, depth + 1);
  }
  return attributes;
}

function valueOf(value: OtlpAnyValue, depth: number): unknown {
  if (depth > MAX_VALUE_DEPTH) throw TOO_DEEP;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return Number(value.doubleValue);
  if (value.arrayValue !== undefined) {
    return listOf(value.arrayValue.values).map((item) => valueOf(item, depth + 1));
  }
  if (value.kvlistValue !== undefined) return attributesOf(value.kvlistValue.values, depth + 1);
  if (value.bytesValue !== undefined) return value.bytesValue;
  return null;
}

/** Resource attributes: only service.name is read, so a too-deep value is simply dropped. */
function resourceAttributesOf(list: OtlpKeyValue[] | undefined): Record<string, unknown> {
  try {
    return attributesOf(list, 0);
  } catch (error) {
    if (error === TOO_DEEP) return {};
    throw error;
  }
}

// Traffic decides the shape: a field that should be a list may be anything.
function listOf<T>(value: T[] | undefined): T[] {
  return Array.isArray(value) ? value : [];
}
