import { describe, expect, it } from 'vitest';
import { addLogStats } from '../../../../src/logs/log-stats-sum.js';

describe('addLogStats', () => {
  it('adds a replacement worker’s totals to the failed one’s, service by severity', () => {
    const before = {
      records: [['billing', 'info', 3] as const, ['search', 'warn', 1] as const].map(
        (r) => [...r] as [string, 'info' | 'warn', number],
      ),
      bytes: 100,
      refused: { malformed_json: 2 },
      servicesOverflowed: 1,
      fileWrittenRecords: 4,
      fileDroppedRecords: 0,
    };
    const after = {
      records: [['billing', 'info', 2] as [string, 'info', number]],
      bytes: 40,
      refused: { malformed_json: 1, missing_message: 5 },
      servicesOverflowed: 0,
      fileWrittenRecords: 2,
      fileDroppedRecords: 1,
    };

    expect(addLogStats(before, after)).toEqual({
      records: [
        ['billing', 'info', 5],
        ['search', 'warn', 1],
      ],
      bytes: 140,
      refused: { malformed_json: 3, missing_message: 5 },
      servicesOverflowed: 1,
      fileWrittenRecords: 6,
      fileDroppedRecords: 1,
    });
  });
});
