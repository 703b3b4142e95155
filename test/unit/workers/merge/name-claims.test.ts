import { describe, expect, it } from 'vitest';
import { SeriesKind } from '../../../../src/protocol.js';
import { SELF_METRICS } from '../../../../src/self-metrics.js';
import {
  NameClaims,
  counterBaseName,
  namesOfFamily,
  namesOfSelfMetric,
} from '../../../../workers/merge/name-claims.js';

function claimFamily(claims: NameClaims, kind: SeriesKind, name: string): boolean {
  const { owner, names } = namesOfFamily(kind, name);
  return claims.claim(owner, names);
}

describe('namesOfFamily', () => {
  it.each([
    {
      name: 'a counter claims its bare name, _total and _created',
      kind: SeriesKind.Counter,
      metric: 'x',
      family: { owner: 'counter:x', names: ['x', 'x_total', 'x_created'] },
    },
    {
      name: 'a counter spelled with _total is the same family',
      kind: SeriesKind.Counter,
      metric: 'x_total',
      family: { owner: 'counter:x', names: ['x', 'x_total', 'x_created'] },
    },
    {
      name: 'a histogram claims its name and every suffix it renders',
      kind: SeriesKind.Histogram,
      metric: 'h',
      family: {
        owner: 'histogram:h',
        names: ['h', 'h_bucket', 'h_sum', 'h_count', 'h_created'],
      },
    },
    {
      name: 'a gauge claims its name only',
      kind: SeriesKind.Gauge,
      metric: 'g',
      family: { owner: 'gauge:g', names: ['g'] },
    },
    {
      name: 'a set claims its name only, as its own family',
      kind: SeriesKind.Set,
      metric: 's',
      family: { owner: 'set:s', names: ['s'] },
    },
  ])('$name', ({ kind, metric, family }) => {
    expect(namesOfFamily(kind, metric)).toEqual(family);
  });

  it('strips one _total from a counter name, no more', () => {
    expect(counterBaseName('x_total_total')).toBe('x_total');
    expect(counterBaseName('total')).toBe('total');
  });
});

describe('NameClaims', () => {
  it.each([
    {
      name: 'counter x, then gauge x_total',
      first: [SeriesKind.Counter, 'x'],
      second: [SeriesKind.Gauge, 'x_total'],
    },
    {
      name: 'gauge x_total, then counter x',
      first: [SeriesKind.Gauge, 'x_total'],
      second: [SeriesKind.Counter, 'x'],
    },
    {
      name: 'counter x, then gauge x',
      first: [SeriesKind.Counter, 'x'],
      second: [SeriesKind.Gauge, 'x'],
    },
    {
      name: 'histogram x, then counter x_count',
      first: [SeriesKind.Histogram, 'x'],
      second: [SeriesKind.Counter, 'x_count'],
    },
    {
      name: 'histogram x, then gauge x_bucket',
      first: [SeriesKind.Histogram, 'x'],
      second: [SeriesKind.Gauge, 'x_bucket'],
    },
    {
      name: 'gauge x_sum, then histogram x',
      first: [SeriesKind.Gauge, 'x_sum'],
      second: [SeriesKind.Histogram, 'x'],
    },
    {
      name: 'gauge x, then set x',
      first: [SeriesKind.Gauge, 'x'],
      second: [SeriesKind.Set, 'x'],
    },
  ] as const)('refuses the second of $name', ({ first, second }) => {
    const claims = new NameClaims();
    expect(claimFamily(claims, first[0], first[1])).toBe(true);
    expect(claimFamily(claims, second[0], second[1])).toBe(false);
    // The first family still owns its names.
    expect(claimFamily(claims, first[0], first[1])).toBe(true);
  });

  it('lets counter x and counter x_total share one family', () => {
    const claims = new NameClaims();
    expect(claimFamily(claims, SeriesKind.Counter, 'x')).toBe(true);
    expect(claimFamily(claims, SeriesKind.Counter, 'x_total')).toBe(true);
  });

  it('claims nothing when refused, so a third family can still take the free names', () => {
    const claims = new NameClaims();
    expect(claimFamily(claims, SeriesKind.Gauge, 'x_count')).toBe(true);
    expect(claimFamily(claims, SeriesKind.Histogram, 'x')).toBe(false);
    expect(claimFamily(claims, SeriesKind.Gauge, 'x_bucket')).toBe(true);
    expect(claimFamily(claims, SeriesKind.Gauge, 'x')).toBe(true);
  });

  it('keeps every self-metric name from traffic once pre-claimed', () => {
    const claims = new NameClaims();
    for (const spec of Object.values(SELF_METRICS)) {
      claims.claim('self', namesOfSelfMetric(spec.name, spec.type));
    }

    expect(claimFamily(claims, SeriesKind.Counter, 'catalyst_ingest_datagrams_total')).toBe(false);
    expect(claimFamily(claims, SeriesKind.Counter, 'catalyst_ingest_datagrams')).toBe(false);
    expect(claimFamily(claims, SeriesKind.Gauge, 'catalyst_ingest_datagrams')).toBe(false);
    expect(claimFamily(claims, SeriesKind.Gauge, 'catalyst_series')).toBe(false);
    const bucket = 'catalyst_merge_duration_seconds_bucket';
    expect(claimFamily(claims, SeriesKind.Gauge, bucket)).toBe(false);
    expect(claimFamily(claims, SeriesKind.Counter, 'catalyst_build_info')).toBe(false);
    expect(claimFamily(claims, SeriesKind.Gauge, 'catalyst_something_else')).toBe(true);
  });
});
