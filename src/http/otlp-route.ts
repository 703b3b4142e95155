import { createRequire } from 'node:module';
import { bodyReasonOf, type PushCounters } from '../ingest/push-counters.js';
import type { PushReplies } from '../ingest/push-replies.js';
import type { PushAck } from '../protocol.js';
import { RecordKind } from '../ring/layout.js';
import type { RingDispatcher } from '../ring/ring-dispatcher.js';
import type { HttpExchange } from './exchange.js';
import type { Route } from './server.js';

/**
 * OTLP/HTTP metrics: POST /v1/metrics, protobuf (application/x-protobuf) or JSON
 * (application/json), gzip or not. The answer uses the request's encoding:
 *  - 200 with an empty ExportMetricsServiceResponse when every point was taken;
 *  - 200 with partial_success (rejected_data_points, error_message) when some were not;
 *  - 400 with a google.rpc.Status when the body could not be read at all.
 * Encoding the response is the main thread's only protobuf work; a shard decodes requests.
 */
const require = createRequire(import.meta.url);
const otlpRoot = require('@opentelemetry/otlp-transformer/build/src/generated/root.js');
const RESPONSE = otlpRoot.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;

// google.rpc.Code INVALID_ARGUMENT.
const STATUS_INVALID_ARGUMENT = 3;

export interface OtlpRouteOptions {
  dispatcher: Pick<RingDispatcher, 'dispatchPush' | 'maxPushBytes'>;
  replies: Pick<PushReplies, 'wait'>;
  maxBodyBytes: number;
  counters: Pick<PushCounters, 'countRefused' | 'countRefusedBody'>;
}

export function createOtlpRoute(options: OtlpRouteOptions): Route {
  return (exchange) => void receiveOtlp(exchange, options);
}

async function receiveOtlp(exchange: HttpExchange, options: OtlpRouteOptions): Promise<void> {
  const limitBytes = Math.min(options.maxBodyBytes, options.dispatcher.maxPushBytes);
  const reading = exchange.readBody(limitBytes);

  const mediaType = exchange.header('content-type').split(';')[0].trim().toLowerCase();
  const encoding = exchange.header('content-encoding').trim().toLowerCase();
  const isJson = mediaType === 'application/json';
  const body = await reading;
  if (body.kind === 'aborted') return;
  if (body.kind === 'too_large') {
    options.counters.countRefusedBody('otlp', 'body_too_large');
    respondStatus(exchange, isJson, 413, `body exceeds ${limitBytes} bytes`);
    return;
  }
  if (!isJson && mediaType !== 'application/x-protobuf' && mediaType !== 'application/protobuf') {
    options.counters.countRefusedBody('otlp', 'unsupported_media_type');
    respondStatus(
      exchange,
      false,
      415,
      `content-type ${mediaType} is not supported; use application/x-protobuf or application/json`,
    );
    return;
  }
  const isGzip = encoding === 'gzip';
  if (!isGzip && encoding !== '' && encoding !== 'identity') {
    options.counters.countRefusedBody('otlp', 'unsupported_media_type');
    respondStatus(
      exchange,
      isJson,
      415,
      `content-encoding ${encoding} is not supported; use gzip or none`,
    );
    return;
  }

  const kind = isJson
    ? isGzip
      ? RecordKind.PushOtlpJsonGzip
      : RecordKind.PushOtlpJson
    : isGzip
      ? RecordKind.PushOtlpProtoGzip
      : RecordKind.PushOtlpProto;
  const seq = options.dispatcher.dispatchPush(kind, body.bytes);
  if (seq === null) {
    respondStatus(exchange, isJson, 503, 'every ingest ring is full; retry later');
    return;
  }
  const verdict = await options.replies.wait(seq);
  if (verdict.kind === 'timeout') {
    respondStatus(exchange, isJson, 503, 'no worker answered in time; the push may be lost');
    return;
  }
  if (verdict.ack.bodyError === null) options.counters.countRefused('otlp', verdict.ack.refused);
  else options.counters.countRefusedBody('otlp', bodyReasonOf(verdict.ack));
  respondToAck(exchange, isJson, verdict.ack);
}

function respondToAck(exchange: HttpExchange, isJson: boolean, ack: PushAck): void {
  if (ack.bodyError !== null) {
    respondStatus(exchange, isJson, 400, ack.bodyError);
    return;
  }
  const rejected = Object.values(ack.refused).reduce((sum, count) => sum + (count ?? 0), 0);
  const response =
    rejected > 0
      ? {
          partialSuccess: {
            rejectedDataPoints: rejected,
            errorMessage: ack.firstSampleError ?? '',
          },
        }
      : {};
  if (isJson) {
    // OTLP/JSON writes 64-bit integers as strings.
    const json =
      rejected > 0
        ? {
            partialSuccess: {
              rejectedDataPoints: String(rejected),
              errorMessage: ack.firstSampleError ?? '',
            },
          }
        : {};
    exchange.respond(200, { 'content-type': 'application/json' }, JSON.stringify(json));
    return;
  }
  const bytes: Uint8Array = RESPONSE.encode(RESPONSE.fromObject(response)).finish();
  exchange.respond(200, { 'content-type': 'application/x-protobuf' }, bytes);
}

/** A google.rpc.Status { code, message }, in JSON or hand-encoded protobuf (two fields). */
function respondStatus(
  exchange: HttpExchange,
  isJson: boolean,
  status: number,
  message: string,
): void {
  if (isJson) {
    const body = JSON.stringify({ code: STATUS_INVALID_ARGUMENT, message });
    exchange.respond(status, { 'content-type': 'application/json' }, body);
    return;
  }
  const text = Buffer.from(message, 'utf8');
  const length = varint(text.length);
  const bytes = Buffer.concat([Buffer.from([0x08, STATUS_INVALID_ARGUMENT, 0x12]), length, text]);
  exchange.respond(status, { 'content-type': 'application/x-protobuf' }, bytes);
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}
