import { describe, expect, it } from 'vitest';
import { SeriesKind } from '../../../../src/protocol.js';
import { createMergedStore, definition } from '../../../helpers/merge.js';

describe('reportCardinality', () => {
  it('lists metrics by series count with their most varied label names', () => {
    const { store } = createMergedStore([], { maxSeries: 100 });
    store.define(0, 0, definition(SeriesKind.Gauge, 0, 'temp', 1, { room: 'a', site: 'x' }));
    store.define(0, 0, definition(SeriesKind.Counter, 0, 'hits', 2, { path: '/a', code: '200' }));
    store.define(0, 0, definition(SeriesKind.Counter, 1, 'hits', 3, { path: '/b', code: '200' }));
    store.define(0, 0, definition(SeriesKind.Counter, 2, 'hits', 4, { path: '/c', code: '500' }));

    expect(store.cardinality()).toEqual({
      seriesCount: 4,
      maxSeries: 100,
      seriesLimitDroppedSamples: 0,
      metrics: [
        {
          name: 'hits_total',
          series: 3,
          labels: [
            { name: 'path', distinctValues: 3 },
            { name: 'code', distinctValues: 2 },
          ],
        },
        {
          name: 'temp',
          series: 1,
          labels: [
            { name: 'room', distinctValues: 1 },
            { name: 'site', distinctValues: 1 },
          ],
        },
      ],
    });
  });
});
