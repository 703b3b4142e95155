import { describe, expect, it } from 'vitest';
import type { BodyResult, HttpExchange } from '../../../../src/http/exchange.js';
import { createPushRoutes, recordKindOf } from '../../../../src/http/push-routes.js';
import { PushCounters } from '../../../../src/ingest/push-counters.js';
import type { PushVerdict } from '../../../../src/ingest/push-replies.js';
import type { PushAck } from '../../../../src/protocol.js';
import { RecordKind } from '../../../../src/ring/layout.js';

interface Response {
  status: number;
  body: unknown;
}

interface Harness {
  dispatched: Array<{ kind: number; bytes: Uint8Array }>;
  limits: number[];
  counters: PushCounters;
  push(headers: Record<string, string>, body: BodyResult): Promise<Response>;
}

/** The JSON push route over a fake ring (full when `seq` is null) and a fixed verdict. */
function createHarness(seq: number | null, verdict: PushVerdict): Harness {
  const dispatched: Harness['dispatched'] = [];
  const limits: number[] = [];
  const counters = new PushCounters();
  const routes = createPushRoutes({
    dispatcher: {
      maxPushBytes: 8 * 1024 * 1024,
      dispatchPush: (kind, bytes) => {
        dispatched.push({ kind, bytes });
        return seq;
      },
    },
    replies: { wait: () => Promise.resolve(verdict) },
    maxBodyBytes: 4 * 1024 * 1024,
    counters,
  });
  const push = (headers: Record<string, string>, body: BodyResult): Promise<Response> =>
    new Promise((resolve) => {
      const exchange: HttpExchange = {
        method: 'POST',
        path: '/api/v1/metrics',
        query: '',
        isAborted: false,
        header: (name) => headers[name] ?? '',
        readBody: (limitBytes) => {
          limits.push(limitBytes);
          return Promise.resolve(body);
        },
        respond: (status, _headers, text) =>
          resolve({ status, body: JSON.parse(Buffer.from(text ?? '').toString()) }),
      };
      routes['/api/v1/metrics'].POST!(exchange);
    });
  return { dispatched, limits, push, counters };
}

function ackOf(fields: Partial<PushAck>): PushVerdict {
  const ack = { seq: 0, accepted: 0, refused: {}, bodyError: null, firstSampleError: null };
  return { kind: 'ack', ack: { ...ack, ...fields } };
}

const BODY_BYTES = Buffer.from('{"samples":[]}');
const BODY: BodyResult = { kind: 'body', bytes: BODY_BYTES };

describe('recordKindOf', () => {
  const rows: Array<{ case: string; type: string; encoding: string; expected: unknown }> = [
    { case: 'no headers', type: '', encoding: '', expected: RecordKind.PushJson },
    {
      case: 'JSON with charset',
      type: 'application/json; charset=utf-8',
      encoding: '',
      expected: RecordKind.PushJson,
    },
    {
      case: "curl -d's form type",
      type: 'application/x-www-form-urlencoded',
      encoding: '',
      expected: RecordKind.PushJson,
    },
    {
      case: 'gzipped JSON',
      type: 'application/json',
      encoding: 'gzip',
      expected: RecordKind.PushJsonGzip,
    },
    {
      case: 'msgpack',
      type: 'application/msgpack',
      encoding: 'identity',
      expected: RecordKind.PushMsgpack,
    },
    {
      case: 'gzipped x-msgpack',
      type: 'application/x-msgpack',
      encoding: 'GZIP',
      expected: RecordKind.PushMsgpackGzip,
    },
    {
      case: 'brotli',
      type: 'application/json',
      encoding: 'br',
      expected: 'content-encoding br is not supported; use gzip or none',
    },
    {
      case: 'XML',
      type: 'application/xml',
      encoding: '',
      expected:
        'content-type application/xml is not supported; use application/json or application/msgpack',
    },
  ];
  for (const row of rows) {
    it(`maps ${row.case}`, () => {
      expect(recordKindOf(row.type, row.encoding)).toEqual(row.expected);
    });
  }
});

describe('the JSON push route', () => {
  it('answers 200 with the counts when every sample was accepted', async () => {
    const harness = createHarness(5, ackOf({ seq: 5, accepted: 3 }));
    const response = await harness.push({ 'content-type': 'application/json' }, BODY);
    expect(response).toEqual({ status: 200, body: { accepted: 3, refused: {} } });
    expect(harness.dispatched).toEqual([{ kind: RecordKind.PushJson, bytes: BODY_BYTES }]);
    expect(harness.limits).toEqual([4 * 1024 * 1024]);
  });

  it('answers 200 with the refused counts and the first problem when some were kept', async () => {
    const verdict = ackOf({
      accepted: 1,
      refused: { bad_value: 2 },
      firstSampleError: 'samples[1]: x',
    });
    const harness = createHarness(0, verdict);
    const response = await harness.push({}, BODY);
    expect(response).toEqual({
      status: 200,
      body: { accepted: 1, refused: { bad_value: 2 }, error: 'samples[1]: x' },
    });
    expect(harness.counters.snapshot()).toEqual({
      pushRequests: [['json', 200, 1]],
      pushRefusedSamples: [['json', 'bad_value', 2]],
      pushRefusedBodies: [],
    });
  });

  it('answers 400 when every sample was refused', async () => {
    const verdict = ackOf({ refused: { unknown_type: 1 }, firstSampleError: 'samples[0]: y' });
    const response = await createHarness(0, verdict).push({}, BODY);
    expect(response).toEqual({
      status: 400,
      body: { error: 'samples[0]: y', accepted: 0, refused: { unknown_type: 1 } },
    });
  });

  it('answers 400 with the body error when the body could not be read', async () => {
    const verdict = ackOf({
      refused: { bad_encoding: 1 },
      bodyError: 'body is not valid gzip, or inflates past 32 MiB',
    });
    const harness = createHarness(0, verdict);
    const response = await harness.push({ 'content-encoding': 'gzip' }, BODY);
    expect(response).toEqual({
      status: 400,
      body: {
        error: 'body is not valid gzip, or inflates past 32 MiB',
        accepted: 0,
        refused: { bad_encoding: 1 },
      },
    });
    // A body refused whole counts as a 400 request and a refused body, not as refused samples.
    expect(harness.counters.snapshot()).toEqual({
      pushRequests: [['json', 400, 1]],
      pushRefusedSamples: [],
      pushRefusedBodies: [['json', 'bad_encoding', 1]],
    });
  });

  it('answers 413 past the body limit without touching a ring, counted as body_too_large', async () => {
    const harness = createHarness(0, ackOf({}));
    const response = await harness.push({}, { kind: 'too_large' });
    expect(response).toEqual({ status: 413, body: { error: 'body exceeds 4194304 bytes' } });
    expect(harness.dispatched).toEqual([]);
    expect(harness.counters.snapshot().pushRefusedBodies).toEqual([['json', 'body_too_large', 1]]);
  });

  it('answers 415 for an unknown content type without touching a ring, counted by reason', async () => {
    const harness = createHarness(0, ackOf({}));
    const response = await harness.push({ 'content-type': 'text/csv' }, BODY);
    expect(response.status).toBe(415);
    expect(harness.dispatched).toEqual([]);
    expect(harness.counters.snapshot().pushRefusedBodies).toEqual([
      ['json', 'unsupported_media_type', 1],
    ]);
  });

  it('answers 503 when every ring is full', async () => {
    const response = await createHarness(null, ackOf({})).push({}, BODY);
    expect(response).toEqual({
      status: 503,
      body: { error: 'every ingest ring is full; retry later' },
    });
  });

  it('answers 503 when no shard acked in time', async () => {
    const response = await createHarness(0, { kind: 'timeout' }).push({}, BODY);
    expect(response).toEqual({
      status: 503,
      body: { error: 'no worker answered in time; the push may be lost' },
    });
  });
});
