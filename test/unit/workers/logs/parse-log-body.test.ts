import { describe, expect, it } from 'vitest';
import { parseLogBody } from '../../../../workers/logs/parse-log-body.js';

const RECEIVED_AT_MS = 1_796_000_000_000;

interface Row {
  name: string;
  body: string;
  messages: string[];
  refused: Record<string, number>;
}

const ROWS: Row[] = [
  {
    name: 'JSON lines, each a record',
    body: '{"service":"api","message":"a"}\n{"service":"api","message":"b"}\n',
    messages: ['a', 'b'],
    refused: {},
  },
  {
    name: 'a JSON array of records',
    body: '[{"service":"api","message":"a"},{"service":"web","message":"b"}]',
    messages: ['a', 'b'],
    refused: {},
  },
  {
    name: 'a broken line between two good ones',
    body: '{"service":"api","message":"a"}\n{"service":\n{"service":"api","message":"c"}',
    messages: ['a', 'c'],
    refused: { malformed_json: 1 },
  },
  {
    name: 'blank lines and CRLF endings',
    body: '\r\n{"service":"api","message":"a"}\r\n\n',
    messages: ['a'],
    refused: {},
  },
  {
    name: 'a broken array, which has no lines to save',
    body: '[{"service":"api","message":"a"},',
    messages: [],
    refused: { malformed_json: 1 },
  },
  {
    name: 'array elements that are not objects',
    body: '[1, "x", null, [], {"service":"api","message":"a"}]',
    messages: ['a'],
    refused: { malformed_record: 4 },
  },
  {
    name: 'no message, a number message',
    body: '{"service":"api"}\n{"service":"api","message":5}\n{"service":"api","message":""}',
    messages: [''],
    refused: { missing_message: 2 },
  },
  {
    name: 'no service, an empty one, a 129-character one',
    body: [
      '{"message":"a"}',
      '{"service":"","message":"b"}',
      JSON.stringify({ service: 'x'.repeat(129), message: 'c' }),
    ].join('\n'),
    messages: [],
    refused: { bad_service: 3 },
  },
  {
    name: 'bad time, bad severity type, attributes not an object',
    body: [
      '{"service":"api","message":"a","time":"yesterday"}',
      '{"service":"api","message":"b","severity":true}',
      '{"service":"api","message":"c","attributes":[1]}',
      '{"service":"api","message":"d","time":-1}',
    ].join('\n'),
    messages: [],
    refused: { bad_field: 4 },
  },
];

describe('parseLogBody', () => {
  for (const row of ROWS) {
    it(`parses ${row.name}`, () => {
      const parsed = parseLogBody(row.body, RECEIVED_AT_MS);
      expect(parsed.records.map((record) => record.message)).toEqual(row.messages);
      expect(parsed.refused).toEqual(row.refused);
    });
  }

  it('keeps every field of a full record, time as epoch milliseconds', () => {
    const body = JSON.stringify({
      time: '2026-12-03T15:00:00.250Z',
      severity: 'WARNING',
      message: 'disk slow',
      service: 'db',
      attributes: { device: 'sda', ms: 40 },
      extra: 'ignored',
    });
    expect(parseLogBody(body, RECEIVED_AT_MS).records).toEqual([
      {
        timeMs: Date.parse('2026-12-03T15:00:00.250Z'),
        severity: 'warn',
        message: 'disk slow',
        service: 'db',
        attributes: { device: 'sda', ms: 40 },
      },
    ]);
  });

  it('stamps a record without time with the receive time and unspecified severity', () => {
    const [record] = parseLogBody('{"service":"api","message":"a"}', RECEIVED_AT_MS).records;
    expect(record).toEqual({
      timeMs: RECEIVED_AT_MS,
      severity: 'unspecified',
      message: 'a',
      service: 'api',
      attributes: {},
    });
  });

  it('folds OTLP severity numbers onto the six levels', () => {
    const body = [1, 8, 9, 13, 17, 24, 25]
      .map((severity) => JSON.stringify({ service: 's', message: 'm', severity }))
      .join('\n');
    expect(parseLogBody(body, RECEIVED_AT_MS).records.map((r) => r.severity)).toEqual([
      'trace',
      'debug',
      'info',
      'warn',
      'error',
      'fatal',
      'unspecified',
    ]);
  });
});
