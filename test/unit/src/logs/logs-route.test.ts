import { describe, expect, it } from 'vitest';
import { parseTailQuery } from '../../../../src/logs/logs-route.js';

describe('parseTailQuery', () => {
  it.each([
    {
      name: 'no parameters',
      query: '',
      expected: { service: '', severity: '', sinceMs: 0, limit: 100 },
    },
    {
      name: 'every parameter, since as RFC 3339',
      query: 'service=api&severity=warn&since=2026-12-03T15:00:00Z&limit=5',
      expected: {
        service: 'api',
        severity: 'warn',
        sinceMs: Date.parse('2026-12-03T15:00:00Z'),
        limit: 5,
      },
    },
    {
      name: 'since as epoch milliseconds',
      query: 'since=1796000000000',
      expected: { service: '', severity: '', sinceMs: 1796000000000, limit: 100 },
    },
    { name: 'limit 0', query: 'limit=0', expected: 'limit must be an integer from 1 to 10000' },
    {
      name: 'limit past the bound',
      query: 'limit=10001',
      expected: 'limit must be an integer from 1 to 10000',
    },
    {
      name: 'a negative limit',
      query: 'limit=-1',
      expected: 'limit must be an integer from 1 to 10000',
    },
    {
      name: 'an unreadable since',
      query: 'since=yesterday',
      expected: 'since must be RFC 3339 or epoch milliseconds',
    },
    {
      name: 'an unknown severity',
      query: 'severity=loud',
      expected: 'severity must be one of unspecified, trace, debug, info, warn, error, fatal',
    },
  ])('reads $name', ({ query, expected }) => {
    expect(parseTailQuery(query)).toEqual(expected);
  });
});
