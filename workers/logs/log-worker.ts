import { gunzipSync } from 'node:zlib';
import type { MessagePort } from 'node:worker_threads';
import type {
  LogBodyFormat,
  LogStats,
  LogWorkerInbound,
  LogWorkerOutbound,
} from '../../src/protocol.js';
import { LogCounters } from './log-counters.js';
import { LogFile } from './log-file.js';
import type { LogRecord } from './log-record.js';
import { LogTail } from './log-tail.js';
import { ExportLogsServiceResponse } from './otlp-logs-schema.js';
import { parseLogBody, type ParsedLogBody } from './parse-log-body.js';
import { decodeOtlpJson, decodeOtlpProtobuf, recordsOfOtlp } from './parse-otlp-logs.js';

export interface LogWorkerOptions {
  port: MessagePort;
  tailRecordsPerService: number;
  maxServices: number;
  /** A gzip body may inflate to at most this many bytes; past it the body is refused. */
  maxInflatedBytes: number;
  statsIntervalMs: number;
  file: { path: string; maxBytes: number; maxFiles: number; maxQueuedBytes: number } | null;
  onFileError(err: unknown): void;
}

/**
 * The log actor: every pushed log body is parsed, counted, tailed and handed to the file
 * here, one message at a time, off the main thread. It answers each ingest with the
 * accepted and refused counts, each tail query with records, and reports its running
 * totals every statsIntervalMs. It returns when main sends `stop`.
 */
export class LogWorker {
  readonly #options: LogWorkerOptions;
  readonly #counters: LogCounters;
  readonly #tail: LogTail;
  readonly #file: LogFile | null;

  constructor(options: LogWorkerOptions) {
    this.#options = options;
    this.#counters = new LogCounters(options.maxServices);
    this.#tail = new LogTail(options.tailRecordsPerService);
    this.#file =
      options.file === null ? null : new LogFile({ ...options.file, onError: options.onFileError });
  }

  run(): Promise<void> {
    const { port } = this.#options;
    const reportStats = (): void => this.#post({ kind: 'stats', stats: this.#stats() });
    const clock = setInterval(reportStats, this.#options.statsIntervalMs);
    return new Promise((resolve) => {
      port.on('message', (message: LogWorkerInbound) => {
        if (message.kind !== 'stop') {
          this.#post(this.handle(message));
          return;
        }
        clearInterval(clock);
        void (this.#file?.close() ?? Promise.resolve()).finally(() => {
          reportStats();
          resolve();
        });
      });
    });
  }

  /** One request in, its one answer out. Public so tests drive it without a thread. */
  handle(message: Exclude<LogWorkerInbound, { kind: 'stop' }>): LogWorkerOutbound {
    if (message.kind === 'query') {
      const records = this.#tail.query(message.query).map(toWireRecord);
      return { kind: 'queried', id: message.id, records };
    }

    this.#counters.addBytes(message.body.byteLength);
    const bytes = this.#inflate(message.body, message.isGzip);
    if (!Buffer.isBuffer(bytes)) {
      const refused = { [bytes.reason]: 1 };
      this.#counters.addRefused(refused);
      return { kind: 'ingested', id: message.id, accepted: 0, refused };
    }

    const parsed = this.#parse(bytes, message.format, message.receivedAtMs);
    this.#counters.addRefused(parsed.refused);
    for (const record of parsed.records) this.#keep(record);
    const answer: LogWorkerOutbound = {
      kind: 'ingested',
      id: message.id,
      accepted: parsed.records.length,
      refused: parsed.refused,
    };
    if (message.format !== 'records') answer.otlpResponse = otlpResponseOf(parsed, message.format);
    return answer;
  }

  #parse(bytes: Buffer, format: LogBodyFormat, receivedAtMs: number): ParsedLogBody {
    if (format === 'records') return parseLogBody(bytes.toString('utf8'), receivedAtMs);
    const request =
      format === 'otlp-protobuf'
        ? decodeOtlpProtobuf(bytes)
        : decodeOtlpJson(bytes.toString('utf8'));
    if (request === null) return { records: [], refused: { malformed_record: 1 } };
    return recordsOfOtlp(request, receivedAtMs);
  }

  stats(): LogStats {
    return this.#stats();
  }

  #keep(record: LogRecord): void {
    const service = this.#counters.serviceFor(record.service);
    this.#counters.addRecord(service, record.severity);
    this.#tail.add(service, record);
    this.#file?.append(JSON.stringify(toWireRecord(record)));
  }

  #inflate(body: ArrayBuffer, isGzip: boolean): Buffer | { reason: 'bad_gzip' | 'body_too_large' } {
    if (!isGzip) return Buffer.from(body);
    try {
      // maxOutputLength stops a gzip bomb after that many bytes instead of filling memory.
      const inflated = gunzipSync(Buffer.from(body), {
        maxOutputLength: this.#options.maxInflatedBytes,
      });
      return inflated;
    } catch (err) {
      const isBomb = (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
      return { reason: isBomb ? 'body_too_large' : 'bad_gzip' };
    }
  }

  #stats(): LogStats {
    return this.#counters.snapshot({
      written: this.#file?.written ?? 0,
      dropped: this.#file?.dropped ?? 0,
    });
  }

  #post(message: LogWorkerOutbound): void {
    this.#options.port.postMessage(message);
  }
}

/** The record as the tail endpoint and the file show it: time as RFC 3339. */
export function toWireRecord(record: LogRecord): Record<string, unknown> {
  return {
    time: new Date(record.timeMs).toISOString(),
    severity: record.severity,
    service: record.service,
    message: record.message,
    attributes: record.attributes,
  };
}

/** OTLP's answer: empty on full success, partial_success naming how many were rejected. */
function otlpResponseOf(parsed: ParsedLogBody, format: 'otlp-protobuf' | 'otlp-json'): Uint8Array {
  const rejected = Object.values(parsed.refused).reduce((sum, count) => sum + count, 0);
  const response =
    rejected === 0
      ? {}
      : {
          partialSuccess: {
            rejectedLogRecords: rejected,
            errorMessage: `refused: ${JSON.stringify(parsed.refused)}`,
          },
        };
  if (format === 'otlp-json') return Buffer.from(JSON.stringify(response));
  return ExportLogsServiceResponse.encode(ExportLogsServiceResponse.fromObject(response)).finish();
}
