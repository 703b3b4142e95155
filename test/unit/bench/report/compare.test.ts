import { describe, expect, it } from 'vitest';
import { compareResults } from '../../../../bench/report/compare.js';
import type { BenchResults } from '../../../../bench/report/result-file.js';
import type { ScenarioResult } from '../../../../bench/scenarios/scenario.js';

const ENVIRONMENT: BenchResults['environment'] = {
  nodeVersion: 'v20.20.2',
  cpuModel: 'test cpu',
  cpuCores: 2,
  commit: 'abc',
  date: '2026-12-03T15:00:00.000Z',
  loadAverage: [0, 0, 0],
  isQuick: false,
};

function run(...scenarios: ScenarioResult[]): BenchResults {
  return { environment: ENVIRONMENT, scenarios };
}

function scenario(name: string, overrides: Partial<ScenarioResult>): ScenarioResult {
  return { name, losslessLinesPerSec: null, ceilingRatio: null, figures: {}, ...overrides };
}

describe('compareResults', () => {
  it('reports each numeric figure of a scenario present in both runs, in percent', () => {
    const previous = run(
      scenario('udp/packed 1k counters', {
        losslessLinesPerSec: 2_000_000,
        ceilingRatio: 0.5,
        figures: { p99Ms: 10 },
      }),
    );
    const current = run(
      scenario('udp/packed 1k counters', {
        losslessLinesPerSec: 2_500_000,
        ceilingRatio: 0.4,
        figures: { p99Ms: 10 },
      }),
    );

    expect(compareResults(previous, current)).toEqual([
      {
        scenario: 'udp/packed 1k counters',
        figure: 'p99Ms',
        previous: 10,
        current: 10,
        changePercent: 0,
      },
      {
        scenario: 'udp/packed 1k counters',
        figure: 'losslessLinesPerSec',
        previous: 2_000_000,
        current: 2_500_000,
        changePercent: 25,
      },
      {
        scenario: 'udp/packed 1k counters',
        figure: 'ceilingRatio',
        previous: 0.5,
        current: 0.4,
        changePercent: -20,
      },
    ]);
  });

  it('skips scenarios new in this run, figures that are not numbers and nulls', () => {
    const previous = run(
      scenario('freshness/gauge', { figures: { p50Ms: 0, error: 'x', missed: null } }),
    );
    const current = run(
      scenario('freshness/gauge', { figures: { p50Ms: 5, error: 'y', missed: 0 } }),
      scenario('cardinality/1M series', { figures: { rssBytes: 1 } }),
    );

    expect(compareResults(previous, current)).toEqual([
      {
        scenario: 'freshness/gauge',
        figure: 'p50Ms',
        previous: 0,
        current: 5,
        changePercent: null,
      },
    ]);
  });
});
