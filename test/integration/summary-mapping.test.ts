import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { parseExposition, valueOf } from '../helpers/exposition.js';
import { checkMetrics } from '../helpers/promtool.js';

const RULES = `
mappings:
  - match: "api.*.latency"
    name: "api_latency_seconds"
    observer_type: summary
    labels: { route: "$1" }
`;

/** 1 ms to 100 ms, in four records so both workers see some. */
function timerRecords(): string[] {
  const records: string[] = [];
  for (let first = 1; first <= 100; first += 25) {
    const lines = Array.from({ length: 25 }, (_, i) => `api.home.latency:${first + i}|ms\n`);
    records.push(lines.join(''));
  }
  return records;
}

// TCP, beside the UDP flood test: one lost datagram would move every quantile.
describe('a mapping with observer_type summary', () => {
  let daemon: RunningDaemon;
  beforeAll(async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cm-summary-')), 'mapping.yml');
    writeFileSync(path, RULES);
    daemon = await startDaemon(['--workers', '2', '--mapping-config', path]);
  });
  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
  });

  it("exposes statsd_exporter's default quantiles, _sum and _count, and promtool agrees", async () => {
    for (const record of timerRecords()) await daemon.sendTcp(record);
    const samples = await daemon.waitForSamples(
      (s) => valueOf(s, 'api_latency_seconds_count', { route: 'home' }) === 100,
      'api_latency_seconds_count at 100',
    );

    // HDR with 3 digits (the smallest default error, 0.001) reads the upper edge of the
    // bucket holding each rank: 50 ms → 50.015 ms, 90 → 90.047, 99 → 99.007.
    const quantiles = ['0.5', '0.9', '0.99'].map((quantile) =>
      valueOf(samples, 'api_latency_seconds', { route: 'home', quantile }),
    );
    expect(quantiles).toEqual([0.050015, 0.090047, 0.099007]);
    // The sum of 1..100 ms; the two shards add their parts in whichever order.
    expect(valueOf(samples, 'api_latency_seconds_sum', { route: 'home' })).toBeCloseTo(5.05, 9);

    const text = await daemon.scrape();
    expect(text).toContain('# TYPE api_latency_seconds summary\n');
    expect(await checkMetrics(text)).toEqual({ parseError: null, lintProblems: [] });
  });

  it('renders the summary in OpenMetrics too', async () => {
    const text = await daemon.scrape({ accept: 'application/openmetrics-text; version=1.0.0' });
    expect(text).toContain('# TYPE api_latency_seconds summary\n');
    const samples = parseExposition(text);
    expect(valueOf(samples, 'api_latency_seconds_count', { route: 'home' })).toBe(100);
  });
});

describe('--max-summary-series', () => {
  let daemon: RunningDaemon;
  beforeAll(async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cm-summary-cap-')), 'mapping.yml');
    writeFileSync(path, RULES);
    daemon = await startDaemon(['--mapping-config', path, '--max-summary-series', '1']);
  });
  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
  });

  it('refuses the second summary series and counts its samples as summary_limit', async () => {
    await daemon.sendTcp('api.home.latency:5|ms\napi.home.latency:6|ms\n');
    await daemon.waitForSamples(
      (s) => valueOf(s, 'api_latency_seconds_count', { route: 'home' }) === 2,
      'api_latency_seconds_count{route="home"} at 2',
    );
    await daemon.sendTcp('api.other.latency:7|ms\napi.other.latency:8|ms\napi.home.latency:9|ms\n');
    const samples = await daemon.waitForSamples(
      (s) => valueOf(s, 'catalyst_samples_dropped_total', { reason: 'summary_limit' }) === 2,
      'catalyst_samples_dropped_total{reason="summary_limit"} at 2',
    );

    expect(valueOf(samples, 'api_latency_seconds_count', { route: 'home' })).toBe(3);
    expect(samples.some((sample) => sample.labels.route === 'other')).toBe(false);
    const report = (await (await fetch(`${daemon.baseUrl}/debug/cardinality`)).json()) as {
      summarySeriesCount: number;
      maxSummarySeries: number;
      seriesLimitDrops: { byMetric: unknown[] };
    };
    expect([report.summarySeriesCount, report.maxSummarySeries]).toEqual([1, 1]);
    expect(report.seriesLimitDrops.byMetric).toEqual([
      { metric: 'api_latency_seconds', limit: 'max_summary_series', droppedSamples: 2 },
    ]);
  });
});
