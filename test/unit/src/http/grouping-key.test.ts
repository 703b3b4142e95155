import { describe, expect, it } from 'vitest';
import { parseGroupingKey } from '../../../../src/http/grouping-key.js';

describe('parseGroupingKey', () => {
  const rows: Array<{ case: string; path: string; expected: unknown }> = [
    { case: 'a job alone', path: '/metrics/job/batch', expected: { labels: ['job', 'batch'] } },
    {
      case: 'more labels, sorted by name',
      path: '/metrics/job/batch/zone/eu/instance/a',
      expected: { labels: ['instance', 'a', 'job', 'batch', 'zone', 'eu'] },
    },
    {
      case: 'a base64url value holding a slash',
      path: '/metrics/job/batch/path@base64/L3Zhci90bXA',
      expected: { labels: ['job', 'batch', 'path', '/var/tmp'] },
    },
    {
      case: 'a base64 job with padding',
      path: '/metrics/job@base64/YmF0Y2g=',
      expected: { labels: ['job', 'batch'] },
    },
    {
      case: 'an empty value spelled as base64 "="',
      path: '/metrics/job/batch/zone@base64/=',
      expected: { labels: ['job', 'batch', 'zone', ''] },
    },
    {
      case: 'a percent-encoded value',
      path: '/metrics/job/my%20job',
      expected: { labels: ['job', 'my job'] },
    },
    {
      case: 'a label without a value',
      path: '/metrics/job/batch/zone',
      expected: { error: 'grouping key needs a value for every label' },
    },
    {
      case: 'an empty job',
      path: '/metrics/job/',
      expected: { error: 'job name must not be empty' },
    },
    {
      case: 'a bad label name',
      path: '/metrics/job/batch/1zone/x',
      expected: { error: 'invalid label name "1zone"' },
    },
    {
      case: 'a repeated label',
      path: '/metrics/job/batch/job/again',
      expected: { error: 'label job given twice in the grouping key' },
    },
    {
      case: 'base64 with a stray character',
      path: '/metrics/job/batch/zone@base64/a*b',
      expected: { error: 'grouping key value for zone is not base64' },
    },
  ];
  for (const row of rows) {
    it(`reads ${row.case}`, () => {
      expect(parseGroupingKey(row.path)).toEqual(row.expected);
    });
  }
});
