import { describe, expect, it } from 'vitest';
import type { LogStats } from '../../../../src/logs/log-protocol.js';
import { addLogStats } from '../../../../src/logs/log-stats-sum.js';

describe('addLogStats', () => {
  it('adds a replacement worker’s totals to the failed one’s, service by severity', () => {
    const before: LogStats = {
      records: [
        ['billing', 'info', 3],
        ['search', 'warn', 1],
      ],
      bytes: 100,
      refused: { malformed_json: 2 },
      servicesOverflowed: 1,
      fileWrittenRecords: 4,
      fileDroppedRecords: 0,
    };
    const after: LogStats = {
      records: [['billing', 'info', 2]],
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
