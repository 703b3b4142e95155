import type { ParseReason } from '../../src/errors.js';
import { parseDecimal } from './number.js';

/**
 * One StatsD / DogStatsD line → one ParsedLine, without allocating per line: the caller
 * passes the same ParsedLine every time and copies what it keeps.
 *
 *   metric         name[,k=v...]:value[:value...]|type[|@rate][|#tags][|c:id][|Tts][|x...]
 *   service check  _sc|name|status[|d:ts][|h:host][|#tags][|m:message]
 *   event          _e{titleBytes,textBytes}:title|text[|...]
 */

export type MetricType = 'c' | 'g' | 'ms' | 'h' | 'd' | 's';
export type LineKind = 'metric' | 'service_check' | 'event';

export interface ParsedLine {
  kind: LineKind;
  /** The name as received, before sanitising; for a service check, the check's name. */
  name: string;
  type: MetricType;
  /** values[0, valueCount) are the line's values; a packed line has more than one. */
  values: number[];
  valueCount: number;
  /** Gauges only: isDelta[i] is true when values[i] had a leading sign (+N / -N). */
  isDelta: boolean[];
  /** Sets only: the member, verbatim. */
  setMember: string;
  /** In (0, 1]; 1 when absent. */
  sampleRate: number;
  /** DogStatsD tags after `|#`, verbatim; '' when absent. */
  dogTags: string;
  /** InfluxDB-style tags after the first `,` of the name, verbatim; '' when absent. */
  influxTags: string;
}

export function createParsedLine(): ParsedLine {
  return {
    kind: 'metric',
    name: '',
    type: 'c',
    values: [],
    valueCount: 0,
    isDelta: [],
    setMember: '',
    sampleRate: 1,
    dogTags: '',
    influxTags: '',
  };
}

const CODE_PLUS = 43;
const CODE_MINUS = 45;
const CODE_PIPE = 124;
const SERVICE_CHECK_PREFIX = '_sc|';
const EVENT_PREFIX = '_e{';

/**
 * Fills `out` from `line` (no newline, no trailing `\r`). Returns null on success or the
 * reason the line is refused; on refusal `out` holds garbage.
 */
export function parseStatsdLine(line: string, out: ParsedLine): ParseReason | null {
  if (line.startsWith(SERVICE_CHECK_PREFIX)) return parseServiceCheck(line, out);
  if (line.startsWith(EVENT_PREFIX)) return parseEvent(line, out);

  const colon = line.indexOf(':');
  if (colon <= 0) return 'malformed_line';
  // A '|' before the first ':' is a line without a value whose first ':' sits in its tags.
  const firstPipe = line.indexOf('|');
  if (firstPipe < colon) return 'malformed_line';

  // Type: the field after the first pipe.
  let typeEnd = line.indexOf('|', firstPipe + 1);
  if (typeEnd < 0) typeEnd = line.length;
  const type = toMetricType(line, firstPipe + 1, typeEnd);
  if (type === null) return 'unknown_type';

  const nameReason = readNameAndInfluxTags(line, colon, out);
  if (nameReason !== null) return nameReason;
  out.kind = 'metric';
  out.type = type;

  const fieldsReason = readOptionalFields(line, typeEnd, out);
  if (fieldsReason !== null) return fieldsReason;

  // Sets carry one member, verbatim: ':' inside it is part of the member, not packing.
  if (type === 's') {
    if (firstPipe === colon + 1) return 'bad_value';
    out.setMember = line.slice(colon + 1, firstPipe);
    out.valueCount = 0;
    return null;
  }
  return readValues(line, colon + 1, firstPipe, type, out);
}

function readNameAndInfluxTags(line: string, colon: number, out: ParsedLine): ParseReason | null {
  const comma = line.indexOf(',');
  if (comma >= 0 && comma < colon) {
    if (comma === 0) return 'malformed_line';
    out.name = line.slice(0, comma);
    out.influxTags = line.slice(comma + 1, colon);
  } else {
    out.name = line.slice(0, colon);
    out.influxTags = '';
  }
  return null;
}

/** Fields after the type: `@rate`, `#tags`, `c:container`, `Ttimestamp`; others ignored. */
function readOptionalFields(line: string, from: number, out: ParsedLine): ParseReason | null {
  out.sampleRate = 1;
  out.dogTags = '';
  let start = from;
  while (start < line.length) {
    let end = line.indexOf('|', start + 1);
    if (end < 0) end = line.length;
    const marker = line.charCodeAt(start + 1);

    // '@': sample rate, in (0, 1]. '#': tags, kept raw until the series is new to the shard.
    if (marker === 64) {
      const rate = parseDecimal(line, start + 2, end);
      if (!(rate > 0 && rate <= 1)) return 'bad_sample_rate';
      out.sampleRate = rate;
    } else if (marker === 35) {
      out.dogTags = line.slice(start + 2, end);
    }
    // 'c:' container id and 'T' timestamp are accepted and not used: exposition has no
    // per-sample origin, and Prometheus takes the scrape time. Unknown fields are skipped.
    start = end;
  }
  return null;
}

function readValues(
  line: string,
  from: number,
  to: number,
  type: MetricType,
  out: ParsedLine,
): ParseReason | null {
  let count = 0;
  let start = from;
  while (start <= to) {
    let end = line.indexOf(':', start);
    if (end < 0 || end > to) end = to;
    const value = parseDecimal(line, start, end);
    if (!Number.isFinite(value)) return 'bad_value';

    // Counters only go up; a negative increment would make Prometheus see a reset. The sign
    // is checked, not the value, so "-0" is refused like any other decrement.
    const first = line.charCodeAt(start);
    if (type === 'c' && first === CODE_MINUS) return 'bad_value';
    out.values[count] = value;
    out.isDelta[count] = type === 'g' && (first === CODE_PLUS || first === CODE_MINUS);
    count++;
    start = end + 1;
  }
  out.valueCount = count;
  return null;
}

function toMetricType(line: string, start: number, end: number): MetricType | null {
  const length = end - start;
  const first = line.charCodeAt(start);
  if (length === 1) {
    if (first === 99) return 'c';
    if (first === 103) return 'g';
    if (first === 104) return 'h';
    if (first === 100) return 'd';
    if (first === 115) return 's';
    return null;
  }
  if (length === 2 && first === 109 && line.charCodeAt(start + 1) === 115) return 'ms';
  return null;
}

/** `_sc|name|status|...`: a gauge of the status (0 OK, 1 warning, 2 critical, 3 unknown). */
function parseServiceCheck(line: string, out: ParsedLine): ParseReason | null {
  const nameStart = SERVICE_CHECK_PREFIX.length;
  const nameEnd = line.indexOf('|', nameStart);
  if (nameEnd <= nameStart) return 'malformed_line';
  let statusEnd = line.indexOf('|', nameEnd + 1);
  if (statusEnd < 0) statusEnd = line.length;
  const status = parseDecimal(line, nameEnd + 1, statusEnd);
  if (!(status === 0 || status === 1 || status === 2 || status === 3)) return 'bad_value';

  out.kind = 'service_check';
  out.name = line.slice(nameStart, nameEnd);
  out.type = 'g';
  out.influxTags = '';
  out.values[0] = status;
  out.isDelta[0] = false;
  out.valueCount = 1;
  out.sampleRate = 1;
  out.dogTags = '';
  // Fields after the status: only '#tags' matters; d:, h:, m: are accepted and not used.
  let start = statusEnd;
  while (start < line.length) {
    let end = line.indexOf('|', start + 1);
    if (end < 0) end = line.length;
    if (line.charCodeAt(start + 1) === 35) out.dogTags = line.slice(start + 2, end);
    start = end;
  }
  return null;
}

/**
 * `_e{4,4}:titl|text[|...]`: checked for shape and counted; events have no Prometheus form.
 * The lengths are UTF-8 bytes and must match: a datagram cut inside the text is refused.
 */
function parseEvent(line: string, out: ParsedLine): ParseReason | null {
  const close = line.indexOf('}:', EVENT_PREFIX.length);
  if (close < 0) return 'malformed_line';
  const comma = line.indexOf(',', EVENT_PREFIX.length);
  if (comma < 0 || comma > close) return 'malformed_line';

  const titleLength = parseDecimal(line, EVENT_PREFIX.length, comma);
  const textLength = parseDecimal(line, comma + 1, close);
  if (!(Number.isInteger(titleLength) && titleLength > 0)) return 'malformed_line';
  if (!(Number.isInteger(textLength) && textLength >= 0)) return 'malformed_line';

  const titleEnd = skipUtf8Bytes(line, close + 2, titleLength);
  if (titleEnd < 0 || line.charCodeAt(titleEnd) !== CODE_PIPE) return 'malformed_line';
  const textEnd = skipUtf8Bytes(line, titleEnd + 1, textLength);
  if (textEnd < 0) return 'malformed_line';
  if (textEnd < line.length && line.charCodeAt(textEnd) !== CODE_PIPE) return 'malformed_line';
  out.kind = 'event';
  out.valueCount = 0;
  return null;
}

/**
 * The index `byteCount` UTF-8 bytes after `start`, or -1 when the line is shorter or a
 * character straddles the end. A surrogate pair is one 4-byte character.
 */
function skipUtf8Bytes(line: string, start: number, byteCount: number): number {
  let i = start;
  let bytes = 0;
  while (bytes < byteCount && i < line.length) {
    const c = line.charCodeAt(i);
    const isPair = c >= 0xd800 && c <= 0xdbff && isLowSurrogate(line.charCodeAt(i + 1));
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : isPair ? 4 : 3;
    i += isPair ? 2 : 1;
  }
  return bytes === byteCount ? i : -1;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
