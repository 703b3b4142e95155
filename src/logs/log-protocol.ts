/**
 * Message shapes between the main thread and the log worker (see src/protocol.ts for the
 * metric pipeline's). Types only, plus the closed list of severities they index into.
 */
import type { LogRefusalReason } from '../errors.js';

/** The levels pushed logs are counted by; OTLP severity numbers fold onto them. */
export const LOG_SEVERITIES = [
  'unspecified',
  'trace',
  'debug',
  'info',
  'warn',
  'error',
  'fatal',
] as const;
export type LogSeverity = (typeof LOG_SEVERITIES)[number];

/** The log worker's running totals since start; sent to main each flush interval. */
export interface LogStats {
  /** [service, severity, records]; services past the bound are folded into `other`. */
  records: Array<[service: string, severity: LogSeverity, count: number]>;
  /** Body bytes as received (before gunzip). */
  bytes: number;
  /** Refused records or bodies, by reason. */
  refused: Partial<Record<LogRefusalReason, number>>;
  /** Records whose service was counted as `other` because the service bound was reached. */
  servicesOverflowed: number;
  fileWrittenRecords: number;
  /** Records not written to --logs-file: queue full or write failed (disk full). */
  fileDroppedRecords: number;
}

/**
 * Main → log worker (one MessagePort). `body` is the request body, transferred not copied;
 * every ingest and query is answered once, by id.
 *
 *   main ──LogIngest (ArrayBuffer transferred)──▶ log worker ──LogIngested (ack)──▶ main
 *   main ──LogQuery──────────────────────────────▶ log worker ──LogQueryResult────▶ main
 *                                                 log worker ──LogStatsReport────▶ main
 */
export type LogWorkerInbound =
  | {
      kind: 'ingest';
      id: number;
      body: ArrayBuffer;
      isGzip: boolean;
      /** records: POST /api/v1/logs; otlp-*: POST /v1/logs by content type. */
      format: LogBodyFormat;
      receivedAtMs: number;
    }
  | { kind: 'query'; id: number; query: LogTailQuery }
  | { kind: 'stop' };

export type LogBodyFormat = 'records' | 'otlp-protobuf' | 'otlp-json';

export interface LogTailQuery {
  /** Empty: every service. */
  service: string;
  /** Lowest severity returned, LOG_SEVERITIES order; empty: all. */
  severity: LogSeverity | '';
  /** Only records with time >= sinceMs. */
  sinceMs: number;
  limit: number;
}

export type LogWorkerOutbound =
  | {
      kind: 'ingested';
      id: number;
      accepted: number;
      refused: Partial<Record<LogRefusalReason, number>>;
      /** For OTLP: the ExportLogsServiceResponse body, in the request's encoding. */
      otlpResponse?: Uint8Array;
    }
  | { kind: 'queried'; id: number; records: unknown[] }
  | { kind: 'stats'; stats: LogStats };
