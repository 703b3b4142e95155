import type { HttpExchange } from '../http/exchange.js';
import { LOG_SEVERITIES, type LogSeverity, type LogTailQuery } from '../protocol.js';
import type { IngestOutcome, LogWorkerClient } from './log-worker-client.js';

/** Same bound as the metric push receivers: a larger body is refused with 413 unread. */
export const MAX_LOG_BODY_BYTES = 4 * 1024 * 1024;
export const DEFAULT_TAIL_LIMIT = 100;
export const MAX_TAIL_LIMIT = 10_000;

const JSON_TYPE = { 'content-type': 'application/json' };

/**
 * POST /api/v1/logs: reads the body (bounded), tells gzip apart, and hands it to the log
 * worker; nothing is parsed here. The response waits for the worker's counts:
 *   202 some records kept (refusals listed), 400 none kept, 413 too large (also when a
 *   gzip body inflates past the bound), 503 the worker did not answer in time.
 */
export function createLogsPushRoute(
  worker: LogWorkerClient,
  now: () => number,
): (exchange: HttpExchange) => void {
  return (exchange) => {
    // Attach the body reader before any await (see HttpExchange.readBody).
    const reading = exchange.readBody(MAX_LOG_BODY_BYTES);
    const encoding = exchange.header('content-encoding').trim().toLowerCase();
    void reading.then(async (result) => {
      if (result.kind === 'aborted') return;
      if (result.kind === 'too_large') {
        worker.countTooLarge();
        exchange.respond(413, JSON_TYPE, '{"error":"body_too_large"}\n');
        return;
      }
      if (encoding !== '' && encoding !== 'identity' && encoding !== 'gzip') {
        exchange.respond(415, JSON_TYPE, '{"error":"unsupported content-encoding"}\n');
        return;
      }
      const gzip = isGzip(encoding, result.bytes);
      const outcome = await worker.ingest(result.bytes, gzip, 'records', now());
      respondToPush(exchange, outcome);
    });
  };
}

// Gzip by header, or by magic bytes: some agents compress without saying so.
export function isGzip(encoding: string, body: Buffer): boolean {
  return encoding === 'gzip' || (body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b);
}

function respondToPush(exchange: HttpExchange, outcome: IngestOutcome | null): void {
  if (outcome === null) {
    exchange.respond(503, JSON_TYPE, '{"error":"log worker did not answer in time"}\n');
    return;
  }
  const body = `${JSON.stringify({ accepted: outcome.accepted, refused: outcome.refused })}\n`;
  if (outcome.refused.body_too_large !== undefined) exchange.respond(413, JSON_TYPE, body);
  else exchange.respond(outcome.accepted > 0 ? 202 : 400, JSON_TYPE, body);
}

/** GET /api/v1/logs?service=&severity=&since=&limit= : the tail, newest last. */
export function createLogsTailRoute(worker: LogWorkerClient): (exchange: HttpExchange) => void {
  return (exchange) => {
    const query = parseTailQuery(exchange.query);
    if (typeof query === 'string') {
      exchange.respond(400, JSON_TYPE, `${JSON.stringify({ error: query })}\n`);
      return;
    }
    void worker.query(query).then((records) => {
      if (records === null) {
        exchange.respond(503, JSON_TYPE, '{"error":"log worker did not answer in time"}\n');
        return;
      }
      exchange.respond(200, JSON_TYPE, `${JSON.stringify({ records })}\n`);
    });
  };
}

/** The query, or a message saying which parameter is wrong. */
export function parseTailQuery(queryString: string): LogTailQuery | string {
  const params = new URLSearchParams(queryString);
  const severity = params.get('severity') ?? '';
  if (severity !== '' && !(LOG_SEVERITIES as readonly string[]).includes(severity)) {
    return `severity must be one of ${LOG_SEVERITIES.join(', ')}`;
  }

  const since = params.get('since') ?? '';
  const sinceMs = since === '' ? 0 : /^\d+$/.test(since) ? Number(since) : Date.parse(since);
  if (Number.isNaN(sinceMs)) return 'since must be RFC 3339 or epoch milliseconds';

  const limitText = params.get('limit') ?? String(DEFAULT_TAIL_LIMIT);
  const limit = Number(limitText);
  if (!/^\d+$/.test(limitText) || limit < 1 || limit > MAX_TAIL_LIMIT) {
    return `limit must be an integer from 1 to ${MAX_TAIL_LIMIT}`;
  }
  return {
    service: params.get('service') ?? '',
    severity: severity as LogSeverity | '',
    sinceMs,
    limit,
  };
}
