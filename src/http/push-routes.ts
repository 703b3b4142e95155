import { bodyReasonOf, type PushCounters } from '../ingest/push-counters.js';
import type { GroupPushHeader, PushAck, PushReceiver } from '../protocol.js';
import { RecordKind } from '../ring/layout.js';
import type { RingDispatcher } from '../ring/ring-dispatcher.js';
import type { PushReplies } from '../ingest/push-replies.js';
import { encodeGroupPush } from '../ingest/group-push-record.js';
import type { HttpExchange } from './exchange.js';
import { parseGroupingKey } from './grouping-key.js';
import { createOtlpRoute } from './otlp-route.js';
import type { Route } from './server.js';

export type PushRouteTable = Record<string, Partial<Record<'POST' | 'PUT' | 'DELETE', Route>>>;

export interface PushRouteOptions {
  dispatcher: Pick<RingDispatcher, 'dispatchPush' | 'maxPushBytes'>;
  replies: Pick<PushReplies, 'wait'>;
  /** Bodies past this many bytes (as received, before gunzip) get 413. */
  maxBodyBytes: number;
  counters: Pick<PushCounters, 'countRequest' | 'countRefused' | 'countRefusedBody'>;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

/**
 * Every push receiver, by path and method, in one table: main.ts spreads it into the HTTP
 * routes, and an auth guard wraps each entry here in one place.
 *
 * The main thread only reads the body and picks a record kind from the headers; a shard
 * decodes it and its PushAck decides the status (see push-replies.ts).
 */
export function createPushRoutes(options: PushRouteOptions): PushRouteTable {
  const { counters } = options;
  // Every answer of a receiver is counted by status, whichever branch sends it.
  const counted =
    (receiver: PushReceiver, route: Route): Route =>
    (exchange) => {
      const respond = exchange.respond.bind(exchange);
      exchange.respond = (status, headers, body) => {
        counters.countRequest(receiver, status);
        respond(status, headers, body);
      };
      route(exchange);
    };
  const group = (method: GroupPushHeader['method']): Route =>
    counted('pushgateway', (exchange) => void receiveGroupPush(exchange, method, options));
  return {
    '/api/v1/metrics': {
      POST: counted('json', (exchange) => void receiveJsonPush(exchange, options)),
    },
    '/metrics/job/*': { PUT: group('put'), POST: group('post'), DELETE: group('delete') },
    '/v1/metrics': { POST: counted('otlp', createOtlpRoute(options)) },
  };
}

/**
 * Pushgateway-compatible: PUT replaces the group, POST replaces the families it names,
 * DELETE removes the group. 200 (202 for DELETE) once the shard has applied the body, 400
 * with the problem as plain text when the body or the path is bad; nothing is stored then.
 */
async function receiveGroupPush(
  exchange: HttpExchange,
  method: GroupPushHeader['method'],
  options: PushRouteOptions,
): Promise<void> {
  const limitBytes = Math.min(options.maxBodyBytes, options.dispatcher.maxPushBytes) - 1024;
  const reading = exchange.readBody(limitBytes);

  const key = parseGroupingKey(exchange.path);
  const mediaType = exchange.header('content-type').split(';')[0].trim().toLowerCase();
  const encoding = exchange.header('content-encoding').trim().toLowerCase();
  const body = await reading;
  if (body.kind === 'aborted') return;
  if (body.kind === 'too_large') {
    options.counters.countRefusedBody('pushgateway', 'body_too_large');
    respondText(exchange, 413, `body exceeds ${limitBytes} bytes`);
    return;
  }
  if ('error' in key) {
    respondText(exchange, 400, key.error);
    return;
  }
  // The Pushgateway's delimited protobuf format is not read here. Anything else is read as
  // text, as the Pushgateway does: its documented `curl --data-binary` sends a form type.
  if (mediaType === 'application/vnd.google.protobuf' && method !== 'delete') {
    options.counters.countRefusedBody('pushgateway', 'unsupported_media_type');
    respondText(exchange, 415, `content-type ${mediaType} is not supported; push text format`);
    return;
  }

  const isGzip = encoding === 'gzip' || encoding === 'x-gzip';
  const kind = isGzip ? RecordKind.PushPromTextGzip : RecordKind.PushPromText;
  const header = { method, group: key.labels, pushTimeSeconds: Date.now() / 1000 };
  const seq = options.dispatcher.dispatchPush(kind, encodeGroupPush(header, body.bytes));
  if (seq === null) {
    respondText(exchange, 503, 'every ingest ring is full; retry later');
    return;
  }
  const verdict = await options.replies.wait(seq);
  if (verdict.kind === 'timeout') {
    respondText(exchange, 503, 'no worker answered in time; the push may be lost');
  } else if (verdict.ack.bodyError !== null) {
    options.counters.countRefusedBody('pushgateway', bodyReasonOf(verdict.ack));
    respondText(exchange, 400, verdict.ack.bodyError);
  } else {
    exchange.respond(method === 'delete' ? 202 : 200, { 'content-type': 'text/plain' }, '');
  }
}

function respondText(exchange: HttpExchange, status: number, message: string): void {
  exchange.respond(status, { 'content-type': 'text/plain; charset=utf-8' }, `${message}\n`);
}

async function receiveJsonPush(exchange: HttpExchange, options: PushRouteOptions): Promise<void> {
  // Before any await: uWS only hands body chunks to a reader attached synchronously.
  const limitBytes = Math.min(options.maxBodyBytes, options.dispatcher.maxPushBytes);
  const reading = exchange.readBody(limitBytes);

  const kind = recordKindOf(exchange.header('content-type'), exchange.header('content-encoding'));
  const body = await reading;
  if (body.kind === 'aborted') return;
  if (body.kind === 'too_large') {
    options.counters.countRefusedBody('json', 'body_too_large');
    respondJson(exchange, 413, { error: `body exceeds ${limitBytes} bytes` });
    return;
  }
  if (typeof kind === 'string') {
    options.counters.countRefusedBody('json', 'unsupported_media_type');
    respondJson(exchange, 415, { error: kind });
    return;
  }

  const seq = options.dispatcher.dispatchPush(kind, body.bytes);
  if (seq === null) {
    respondJson(exchange, 503, { error: 'every ingest ring is full; retry later' });
    return;
  }
  const verdict = await options.replies.wait(seq);
  if (verdict.kind === 'timeout') {
    respondJson(exchange, 503, { error: 'no worker answered in time; the push may be lost' });
    return;
  }
  if (verdict.ack.bodyError === null) options.counters.countRefused('json', verdict.ack.refused);
  else options.counters.countRefusedBody('json', bodyReasonOf(verdict.ack));
  respondToAck(exchange, verdict.ack);
}

/**
 * Three outcomes:
 *  - the body could not be read at all: 400 with why, nothing stored;
 *  - samples were refused and none accepted: 400 with the first sample's problem;
 *  - otherwise 200, with what was accepted and what was refused by reason.
 */
function respondToAck(exchange: HttpExchange, ack: PushAck): void {
  if (ack.bodyError !== null) {
    respondJson(exchange, 400, { error: ack.bodyError, accepted: 0, refused: ack.refused });
    return;
  }
  const hasRefused = Object.keys(ack.refused).length > 0;
  if (hasRefused && ack.accepted === 0) {
    respondJson(exchange, 400, { error: ack.firstSampleError, accepted: 0, refused: ack.refused });
    return;
  }
  const reply: Record<string, unknown> = { accepted: ack.accepted, refused: ack.refused };
  if (hasRefused) reply.error = ack.firstSampleError;
  respondJson(exchange, 200, reply);
}

/** The record kind for a body, or the 415 message when its type or encoding is unknown. */
export function recordKindOf(contentType: string, contentEncoding: string): RecordKind | string {
  const mediaType = contentType.split(';')[0].trim().toLowerCase();
  const encoding = contentEncoding.trim().toLowerCase();
  const isGzip = encoding === 'gzip' || encoding === 'x-gzip';
  if (!isGzip && encoding !== '' && encoding !== 'identity') {
    return `content-encoding ${encoding} is not supported; use gzip or none`;
  }
  // No content type, or curl -d's form default, is read as JSON: `curl -d @x.json` works.
  if (
    mediaType === '' ||
    mediaType === 'application/json' ||
    mediaType === 'application/x-www-form-urlencoded'
  ) {
    return isGzip ? RecordKind.PushJsonGzip : RecordKind.PushJson;
  }
  if (mediaType === 'application/msgpack' || mediaType === 'application/x-msgpack') {
    return isGzip ? RecordKind.PushMsgpackGzip : RecordKind.PushMsgpack;
  }
  return `content-type ${mediaType} is not supported; use application/json or application/msgpack`;
}

function respondJson(exchange: HttpExchange, status: number, body: unknown): void {
  exchange.respond(status, JSON_HEADERS, `${JSON.stringify(body)}\n`);
}
