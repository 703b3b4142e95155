import { describe, expect, it } from 'vitest';
import { seriesLimitFor } from '../../../../bench/scenarios/cardinality.js';
import { DEFAULTS } from '../../../../src/config/defaults.js';

describe('seriesLimitFor', () => {
  const cases = [
    { name: '1M series leave room for the settle marker', series: 1_000_000, limit: 1_000_001 },
    { name: '100k series keep the default bound', series: 100_000, limit: DEFAULTS.maxSeries },
    {
      name: 'series one short of the default bound still fit the marker',
      series: DEFAULTS.maxSeries - 1,
      limit: DEFAULTS.maxSeries,
    },
    {
      name: 'series at the default bound get one more for the marker',
      series: DEFAULTS.maxSeries,
      limit: DEFAULTS.maxSeries + 1,
    },
  ];
  for (const row of cases) {
    it(row.name, () => {
      expect(seriesLimitFor(row.series)).toBe(row.limit);
    });
  }
});
