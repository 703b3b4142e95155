import { describe, expect, it } from 'vitest';
import { sumExposition } from '../../../../bench/load/exposition-sums.js';

describe('sumExposition', () => {
  it('sums samples by line prefix and self-metrics by exact name, skipping comments', () => {
    const text = [
      '# HELP bench_c1 counter',
      '# TYPE bench_c1 counter',
      'bench_c1 3',
      'bench_c2 4',
      'bench_ct7{env="bench",zone="z3"} 5',
      'bench_g1 100',
      'catalyst_ring_dropped_messages_total{transport="udp"} 2',
      'catalyst_ring_dropped_messages_total{transport="tcp"} 1',
      '',
    ].join('\n');

    const sums = sumExposition(text, 'bench_c', ['catalyst_ring_dropped_messages_total']);

    expect(sums.prefixSum).toBe(12);
    expect(sums.prefixSamples).toBe(3);
    expect(sums.byName.get('catalyst_ring_dropped_messages_total')).toBe(3);
  });

  it('reads the value, not the timestamp after it, and prefixes that reach into labels', () => {
    const text = [
      'collectd_statsd_derive_total{statsd="bench.c1",instance="bench"} 2 1796310664355',
      'collectd_statsd_derive_total{statsd="bench.g1",instance="bench"} 9 1796310664355',
      'collectd_statsd_derive_total{statsd="bench.c2",instance="a } b"} 3 1796310664355',
    ].join('\n');

    const sums = sumExposition(text, 'collectd_statsd_derive_total{statsd="bench.c', []);

    expect(sums.prefixSum).toBe(5);
  });
});
