import { describe, expect, it } from 'vitest';
import { EMPTY_MAPPING, SeriesKind } from '../../../../src/protocol.js';
import {
  CounterFamily,
  GaugeFamily,
  HistogramFamily,
  type ScalarSeries,
} from '../../../../workers/merge/families.js';
import { OVER_LIMIT, REFUSED } from '../../../../workers/merge/series-store.js';
import { createMergedStore, definition } from '../../../helpers/merge.js';

describe('SeriesStore', () => {
  it("maps a shard's id to one merged series, shared by every shard with the same labels", () => {
    const { store } = createMergedStore();
    const onShard0 = store.define(0, 0, definition(SeriesKind.Counter, 0, 'hits', 1, { a: '1' }));
    const onShard1 = store.define(1, 0, definition(SeriesKind.Counter, 3, 'hits', 2, { a: '1' }));
    const other = store.define(1, 0, definition(SeriesKind.Counter, 4, 'hits', 3, { a: '2' }));

    expect(onShard1).toBe(onShard0);
    expect(other).not.toBe(onShard0);
    expect(store.lookup(0, 0, 0 * 4 + SeriesKind.Counter)).toBe(onShard0);
    expect(store.lookup(1, 0, 3 * 4 + SeriesKind.Counter)).toBe(onShard0);
    expect(store.lookup(1, 0, 4 * 4 + SeriesKind.Counter)).toBe(other);
    expect(onShard0).toMatchObject({ labels: { a: '1' }, value: 0 });
  });

  it('puts counter x and counter x_total in one family and one series', () => {
    const { store } = createMergedStore();
    const bare = store.define(0, 0, definition(SeriesKind.Counter, 0, 'x', 1));
    const suffixed = store.define(0, 0, definition(SeriesKind.Counter, 1, 'x_total', 2));

    expect(suffixed).toBe(bare);
    expect([...store.families.keys()]).toEqual(['counter:x']);
    expect(store.families.get('counter:x')).toBeInstanceOf(CounterFamily);
  });

  it('refuses a series whose name another type claimed first', () => {
    const { store } = createMergedStore();
    store.define(0, 0, definition(SeriesKind.Counter, 0, 'x', 1));
    const gauge = store.define(0, 0, definition(SeriesKind.Gauge, 0, 'x_total', 2));

    expect(gauge).toBe(REFUSED);
    expect(store.lookup(0, 0, 0 * 4 + SeriesKind.Gauge)).toBe(REFUSED);
    expect([...store.families.keys()]).toEqual(['counter:x']);
  });

  it('answers undefined for an id never defined, or defined by another generation', () => {
    const { store } = createMergedStore();
    store.define(0, 0, definition(SeriesKind.Gauge, 0, 'g', 1));

    expect(store.lookup(0, 0, 1 * 4 + SeriesKind.Gauge)).toBeUndefined();
    expect(store.lookup(0, 1, 0 * 4 + SeriesKind.Gauge)).toBeUndefined();
    expect(store.lookup(2, 0, 0 * 4 + SeriesKind.Gauge)).toBeUndefined();
  });

  it("forgets a shard's old ids when its new generation defines its own", () => {
    const { store } = createMergedStore();
    const old = store.define(0, 0, definition(SeriesKind.Gauge, 0, 'old', 1));
    // Generation 1_000_000: a new worker after a failure (see TABLES_PER_GENERATION).
    const fresh = store.define(0, 1_000_000, definition(SeriesKind.Gauge, 0, 'fresh', 1));

    expect(store.lookup(0, 1_000_000, 0 * 4 + SeriesKind.Gauge)).toBe(fresh);
    expect(store.lookup(0, 0, 0 * 4 + SeriesKind.Gauge)).toBeUndefined();
    expect(fresh).not.toBe(old);
  });

  it('gives a histogram series one zeroed bucket per bound plus +Inf', () => {
    const { store } = createMergedStore([0.5, 1]);
    const series = store.define(0, 0, definition(SeriesKind.Histogram, 0, 'lat', 1, { p: 'x' }));

    expect(series).toMatchObject({
      labels: { p: 'x' },
      sum: 0,
      count: 0,
      buckets: new Float64Array(3),
    });
    expect(store.families.get('histogram:lat')).toBeInstanceOf(HistogramFamily);
  });

  it('keeps sets apart from gauges and counts exposed series by kind', () => {
    const { store } = createMergedStore();
    store.define(0, 0, definition(SeriesKind.Set, 0, 'users', 1));
    store.define(0, 0, definition(SeriesKind.Gauge, 0, 'temp', 2, { room: 'a' }));
    store.define(0, 0, definition(SeriesKind.Gauge, 1, 'temp', 3, { room: 'b' }));
    store.define(0, 0, definition(SeriesKind.Counter, 0, 'hits', 4));

    const sets = [...store.setFamilies];
    expect(sets.map((family) => family.baseName)).toEqual(['users']);
    expect(sets[0]).toBeInstanceOf(GaugeFamily);
    expect(store.seriesCounts()).toEqual({
      counter: 1,
      gauge: 2,
      histogram: 0,
      summary: 0,
      set: 1,
    });
  });

  it('takes a label named __proto__ as a plain label', () => {
    const { store } = createMergedStore();
    const flat = ['__proto__', 'p', 'constructor', 'c'];
    const series = store.define(0, 0, {
      id: SeriesKind.Gauge,
      kind: SeriesKind.Gauge,
      name: 'g',
      labels: flat,
      firstOrder: 0,
    });

    expect(Object.entries(series!.labels)).toEqual([
      ['__proto__', 'p'],
      ['constructor', 'c'],
    ]);
  });
});

describe('SeriesStore limits and expiry', () => {
  const counter = (slot: number, name: string, labels: Record<string, string> = {}) =>
    definition(SeriesKind.Counter, slot, name, slot, labels);

  it('refuses a series past --max-series, keeping the ones it has', () => {
    const { store } = createMergedStore([], { maxSeries: 2 });
    const a = store.define(0, 0, counter(0, 'a'));
    store.define(0, 0, counter(1, 'b'));

    expect(store.define(0, 0, counter(2, 'c'))).toBe(OVER_LIMIT);
    expect(store.lookup(0, 0, counter(2, 'c').id)).toBe(OVER_LIMIT);
    expect(store.define(1, 0, counter(0, 'a'))).toBe(a);
    expect(store.seriesCount).toBe(2);
  });

  it("refuses a series past its metric's own limit from the mapping file", () => {
    const mapping = { ...EMPTY_MAPPING, seriesLimits: { hits: 1 } };
    const { store } = createMergedStore([], { mapping });
    store.define(0, 0, counter(0, 'hits', { p: '1' }));

    expect(store.define(0, 0, counter(1, 'hits', { p: '2' }))).toBe(OVER_LIMIT);
    expect(store.define(0, 0, counter(2, 'other'))).not.toBe(OVER_LIMIT);
  });

  it('forgets a series idle past its TTL and revives it from zero on its next sample', () => {
    const mapping = { ...EMPTY_MAPPING, typeTtlMs: [1000, 0, 0, 0] };
    const { store } = createMergedStore([], { mapping });
    store.beginFold(0);
    const series = store.define(0, 0, counter(0, 'hits')) as ScalarSeries;
    series.value = 7;

    expect(store.expireIdle(1000)).toBe(0);
    expect(store.expireIdle(1001)).toBe(1);
    expect(store.families.get('counter:hits')!.series.size).toBe(0);
    expect(store.seriesCount).toBe(0);

    store.beginFold(2000);
    expect(store.lookup(0, 0, counter(0, 'hits').id)).toBe(series);
    expect(series.value).toBe(0);
    expect(store.families.get('counter:hits')!.series.get('')).toBe(series);
    expect(store.seriesCount).toBe(1);
  });

  it('keeps a series whose definition says ttl 0 when its type has a TTL', () => {
    const mapping = { ...EMPTY_MAPPING, typeTtlMs: [0, 1000, 0, 0] };
    const { store } = createMergedStore([], { mapping });
    store.define(0, 0, { ...definition(SeriesKind.Gauge, 0, 'g', 0), ttlMs: 5000 });
    store.define(0, 0, definition(SeriesKind.Gauge, 1, 'h', 1));

    expect(store.expireIdle(2000)).toBe(1);
    expect([...store.families.get('gauge:g')!.series.keys()]).toEqual(['']);
  });
});

describe('SeriesStore across shard table generations', () => {
  it('still resolves the previous generation, for a late delta after a table restart', () => {
    const { store } = createMergedStore();
    const old = store.define(0, 7, definition(SeriesKind.Counter, 0, 'hits', 1));
    const fresh = store.define(0, 8, definition(SeriesKind.Counter, 5, 'hits', 2));

    expect(fresh).toBe(old);
    expect(store.lookup(0, 7, 0 * 4 + SeriesKind.Counter)).toBe(old);
    expect(store.lookup(0, 8, 5 * 4 + SeriesKind.Counter)).toBe(old);
    store.define(0, 9, definition(SeriesKind.Counter, 1, 'hits', 3));
    expect(store.lookup(0, 7, 0 * 4 + SeriesKind.Counter)).toBeUndefined();
  });
});
