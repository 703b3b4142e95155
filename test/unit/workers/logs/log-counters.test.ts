import { describe, expect, it } from 'vitest';
import { LogCounters } from '../../../../workers/logs/log-counters.js';

const NO_FILE = { written: 0, dropped: 0 };

describe('LogCounters', () => {
  it('counts services up to the bound, then folds new ones into other', () => {
    const counters = new LogCounters(2);
    for (const name of ['a', 'b', 'c', 'a', 'd']) {
      counters.addRecord(counters.serviceFor(name), 'info');
    }
    const stats = counters.snapshot(NO_FILE);
    expect(stats.records).toEqual([
      ['a', 'info', 2],
      ['b', 'info', 1],
      ['other', 'info', 2],
    ]);
    expect(stats.servicesOverflowed).toBe(2);
  });

  it('adds refusals by reason and bytes across bodies', () => {
    const counters = new LogCounters(10);
    counters.addRefused({ malformed_json: 1, bad_field: 2 });
    counters.addRefused({ malformed_json: 3 });
    counters.addBytes(100);
    counters.addBytes(20);
    const stats = counters.snapshot({ written: 4, dropped: 1 });
    expect(stats.refused).toEqual({ malformed_json: 4, bad_field: 2 });
    expect(stats.bytes).toBe(120);
    expect([stats.fileWrittenRecords, stats.fileDroppedRecords]).toEqual([4, 1]);
  });
});
