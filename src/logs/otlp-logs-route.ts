import type { HttpExchange } from '../http/exchange.js';
import type { LogBodyFormat } from '../protocol.js';
import type { LogWorkerClient } from './log-worker-client.js';
import { isGzip, MAX_LOG_BODY_BYTES } from './logs-route.js';

const CONTENT_TYPES: Record<string, Exclude<LogBodyFormat, 'records'>> = {
  'application/x-protobuf': 'otlp-protobuf',
  'application/protobuf': 'otlp-protobuf',
  'application/json': 'otlp-json',
};

/**
 * POST /v1/logs (OTLP/HTTP logs), protobuf or JSON by content type. As for the JSON
 * receiver, the body goes to the log worker unparsed and the answer waits for its counts:
 *   200 with ExportLogsServiceResponse (partial_success when some records were refused),
 *   400 nothing usable, 413 too large, 415 another content type, 503 no answer in time.
 */
export function createOtlpLogsRoute(
  worker: LogWorkerClient,
  now: () => number,
): (exchange: HttpExchange) => void {
  return (exchange) => {
    const reading = exchange.readBody(MAX_LOG_BODY_BYTES);
    const contentType = exchange.header('content-type').split(';')[0].trim().toLowerCase();
    const encoding = exchange.header('content-encoding').trim().toLowerCase();
    const format = CONTENT_TYPES[contentType];
    void reading.then(async (result) => {
      if (result.kind === 'aborted') return;
      const plain = { 'content-type': 'text/plain' };
      if (result.kind === 'too_large') {
        worker.countTooLarge();
        exchange.respond(413, plain, 'body too large\n');
        return;
      }
      if (format === undefined) {
        exchange.respond(415, plain, 'expected application/x-protobuf or application/json\n');
        return;
      }

      const gzip = isGzip(encoding, result.bytes);
      const outcome = await worker.ingest(result.bytes, gzip, format, now());
      if (outcome === null) {
        exchange.respond(503, plain, 'log worker did not answer in time\n');
        return;
      }
      const status =
        outcome.refused.body_too_large !== undefined ? 413 : outcome.accepted > 0 ? 200 : 400;
      const type = format === 'otlp-json' ? 'application/json' : 'application/x-protobuf';
      exchange.respond(status, { 'content-type': type }, outcome.otlpResponse);
    });
  };
}
