import { gzipSync } from 'node:zlib';
import { pack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { RecordKind } from '../../../../src/ring/layout.js';
import { MAX_INFLATED_BYTES } from '../../../../workers/parse/gunzip.js';
import { MAX_OBSERVATIONS, decodePush } from '../../../../workers/parse/json-push.js';

function decodeJson(body: unknown) {
  return decodePush(RecordKind.PushJson, Buffer.from(JSON.stringify(body)));
}

const ISSUE_EXAMPLE = {
  samples: [
    { name: 'jobs_done', type: 'counter', value: 3, labels: { queue: 'a' } },
    { name: 'queue_depth', type: 'gauge', value: 7, help: 'jobs waiting', unit: 'jobs' },
    { name: 'job_seconds', type: 'histogram', observations: [0.2, 0.4] },
  ],
};
const ISSUE_EXAMPLE_SAMPLES = [
  { name: 'jobs_done', type: 'counter', values: [3], labels: [['queue', 'a']] },
  { name: 'queue_depth', type: 'gauge', values: [7], labels: [] },
  { name: 'job_seconds', type: 'histogram', values: [0.2, 0.4], labels: [] },
];

describe('decodePush', () => {
  it('reads the documented example as three samples', () => {
    expect(decodeJson(ISSUE_EXAMPLE)).toEqual({
      samples: ISSUE_EXAMPLE_SAMPLES,
      refused: {},
      bodyError: null,
      firstSampleError: null,
    });
  });

  it('reads the same body as msgpack, gzipped JSON and gzipped msgpack', () => {
    const json = Buffer.from(JSON.stringify(ISSUE_EXAMPLE));
    const msgpack = pack(ISSUE_EXAMPLE);
    expect(decodePush(RecordKind.PushMsgpack, msgpack).samples).toEqual(ISSUE_EXAMPLE_SAMPLES);
    expect(decodePush(RecordKind.PushJsonGzip, gzipSync(json)).samples).toEqual(
      ISSUE_EXAMPLE_SAMPLES,
    );
    expect(decodePush(RecordKind.PushMsgpackGzip, gzipSync(msgpack)).samples).toEqual(
      ISSUE_EXAMPLE_SAMPLES,
    );
  });

  const badBodies: Array<{
    case: string;
    kind: number;
    bytes: Buffer;
    reason: string;
    error: string;
  }> = [
    {
      case: 'truncated JSON',
      kind: RecordKind.PushJson,
      bytes: Buffer.from('{"samples":[{"name":"a"'),
      reason: 'malformed_body',
      error: 'body is not valid JSON',
    },
    {
      case: 'samples not an array',
      kind: RecordKind.PushJson,
      bytes: Buffer.from('{"samples":{"name":"a"}}'),
      reason: 'malformed_body',
      error: 'body must be an object with a "samples" array',
    },
    {
      case: 'JSON null',
      kind: RecordKind.PushJson,
      bytes: Buffer.from('null'),
      reason: 'malformed_body',
      error: 'body must be an object with a "samples" array',
    },
    {
      case: 'truncated msgpack',
      kind: RecordKind.PushMsgpack,
      bytes: Buffer.from(pack(ISSUE_EXAMPLE).subarray(0, 10)),
      reason: 'malformed_body',
      error: 'body is not valid msgpack',
    },
    {
      case: 'gzip cut short',
      kind: RecordKind.PushJsonGzip,
      bytes: gzipSync(Buffer.from(JSON.stringify(ISSUE_EXAMPLE))).subarray(0, 20),
      reason: 'bad_encoding',
      error: 'body is not valid gzip, or inflates past 32 MiB',
    },
  ];
  for (const row of badBodies) {
    it(`refuses the whole body for ${row.case}`, () => {
      expect(decodePush(row.kind, row.bytes)).toEqual({
        samples: [],
        refused: { [row.reason]: 1 },
        bodyError: row.error,
        firstSampleError: null,
      });
    });
  }

  const badSamples: Array<{ case: string; sample: unknown; reason: string; error: string }> = [
    {
      case: 'a string value',
      sample: { name: 'a', type: 'counter', value: '3' },
      reason: 'bad_value',
      error: '"value" must be a finite number',
    },
    {
      case: 'a NaN-like null value',
      sample: { name: 'a', type: 'gauge', value: null },
      reason: 'bad_value',
      error: '"value" must be a finite number',
    },
    {
      case: 'a negative counter',
      sample: { name: 'a', type: 'counter', value: -1 },
      reason: 'bad_value',
      error: 'a counter increment cannot be negative',
    },
    {
      case: 'an observation that is a string',
      sample: { name: 'a', type: 'histogram', observations: [1, '2'] },
      reason: 'bad_value',
      error: `"observations" must be an array of at most ${MAX_OBSERVATIONS} finite numbers`,
    },
    {
      case: 'an unknown type',
      sample: { name: 'a', type: 'summary', value: 1 },
      reason: 'unknown_type',
      error: '"type" must be counter, gauge or histogram',
    },
    {
      case: 'an empty name',
      sample: { name: '', type: 'counter', value: 1 },
      reason: 'malformed_sample',
      error: '"name" must be a non-empty string',
    },
    {
      case: 'a numeric label value',
      sample: { name: 'a', type: 'counter', value: 1, labels: { q: 1 } },
      reason: 'malformed_sample',
      error: '"labels" must map names to strings',
    },
    {
      case: 'labels as an array',
      sample: { name: 'a', type: 'counter', value: 1, labels: ['q'] },
      reason: 'malformed_sample',
      error: '"labels" must map names to strings',
    },
    {
      case: 'a numeric help',
      sample: { name: 'a', type: 'counter', value: 1, help: 5 },
      reason: 'malformed_sample',
      error: '"help" must be a string',
    },
    {
      case: 'a sample that is a number',
      sample: 5,
      reason: 'malformed_sample',
      error: 'must be an object',
    },
  ];
  for (const row of badSamples) {
    it(`refuses ${row.case} as ${row.reason} and keeps the neighbour sample`, () => {
      const decoded = decodeJson({
        samples: [{ name: 'kept', type: 'gauge', value: 1 }, row.sample],
      });
      expect(decoded).toEqual({
        samples: [{ name: 'kept', type: 'gauge', values: [1], labels: [] }],
        refused: { [row.reason]: 1 },
        bodyError: null,
        firstSampleError: `samples[1]: ${row.error}`,
      });
    });
  }

  it('counts every refused sample and reports the first one', () => {
    const decoded = decodeJson({
      samples: [
        { name: 'a', type: 'counter', value: 'x' },
        { name: 'b', type: 'nope', value: 1 },
        { name: 'c', type: 'counter', value: 'y' },
      ],
    });
    expect(decoded.refused).toEqual({ bad_value: 2, unknown_type: 1 });
    expect(decoded.firstSampleError).toBe('samples[0]: "value" must be a finite number');
  });

  it('keeps an empty samples array as an accepted empty push', () => {
    expect(decodeJson({ samples: [] })).toEqual({
      samples: [],
      refused: {},
      bodyError: null,
      firstSampleError: null,
    });
  });
});

describe('decodePush on a gzip bomb', () => {
  it('refuses a body that inflates past the bound as bad_encoding', () => {
    const bomb = gzipSync(Buffer.alloc(MAX_INFLATED_BYTES + 1, 0x20));
    expect(decodePush(RecordKind.PushJsonGzip, bomb)).toEqual({
      samples: [],
      refused: { bad_encoding: 1 },
      bodyError: 'body is not valid gzip, or inflates past 32 MiB',
      firstSampleError: null,
    });
  });
});
