/**
 * Every scenario of `npm run bench`, in running order. A new scenario is one file exporting
 * a `Scenario` and one line here. Start rates sit a factor 2 to 4 below what earlier runs
 * found lossless on 2 cores, so the growth phase costs three or four trials, not six.
 */
import { cardinalityScenario } from './cardinality.js';
import { freshnessScenario } from './freshness.js';
import type { Scenario } from './scenario.js';
import { standaloneScenario } from './standalone.js';
import { udpThroughputScenario } from './udp-throughput.js';

export const SCENARIOS: Scenario[] = [
  udpThroughputScenario(
    'udp/packed 1k counters',
    { packing: 'packed', series: 1000, mix: 'counters' },
    true,
    1_000_000,
  ),
  udpThroughputScenario(
    'udp/single 1k counters',
    { packing: 'single', series: 1000, mix: 'counters' },
    true,
    50_000,
  ),
  udpThroughputScenario(
    'udp/packed 1k mix',
    { packing: 'packed', series: 1000, mix: 'mix' },
    false,
    500_000,
  ),
  udpThroughputScenario(
    'udp/packed 100k counters',
    { packing: 'packed', series: 100_000, mix: 'counters' },
    false,
    400_000,
  ),
  cardinalityScenario('cardinality/1k series', 1000, false),
  cardinalityScenario('cardinality/100k series', 100_000, true),
  cardinalityScenario('cardinality/1M series', 1_000_000, false),
  freshnessScenario,
  standaloneScenario({
    name: 'push/http json and otlp',
    description: 'autocannon pushes of 100-sample bodies: pushes/s, samples/s, p50/p99',
    script: 'push.js',
    args: (isQuick) => ['--duration-s', isQuick ? '3' : '5', '--json'],
    isInQuick: false,
  }),
  standaloneScenario({
    name: 'mapping/500 rules',
    description: 'statsd_exporter mapping with 500 rules: lines/s uncached, cached, no rules',
    script: 'mapping.js',
    args: () => ['--json'],
    isInQuick: false,
  }),
  standaloneScenario({
    name: 'logs/http ndjson',
    description: 'autocannon pushes of 100-record NDJSON bodies: records/s, p99',
    script: 'logs.js',
    args: (isQuick) => ['--seconds', isQuick ? '3' : '5'],
    isInQuick: false,
  }),
];
