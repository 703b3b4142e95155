import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.js';

/**
 * scripts/deploy/grafana-dashboard.json may only query what a live daemon exports (plus
 * the series Prometheus itself records for every target), so a renamed self-metric breaks
 * this test rather than a panel nobody looks at until the outage.
 */
interface Dashboard {
  panels: Array<{ id: number; title: string; targets: Array<{ expr: string }> }>;
  templating: { list: Array<{ definition?: string }> };
}

const dashboard = JSON.parse(
  readFileSync(new URL('../../scripts/deploy/grafana-dashboard.json', import.meta.url), 'utf8'),
) as Dashboard;

// Written by Prometheus for each scrape target, never by the daemon.
const PROMETHEUS_TARGET_SERIES = new Set(['up', 'scrape_duration_seconds']);

/** Metric names in a PromQL expression: each selector is written `name{...}`. */
function metricNamesOf(expr: string): string[] {
  const names = [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)].map((match) => match[1]);
  const inLabelValues = [...expr.matchAll(/label_values\(([a-zA-Z_:][a-zA-Z0-9_:]*)/g)];
  return [...names, ...inLabelValues.map((match) => match[1])];
}

/** Names a scrape can return: each family, and a histogram's _bucket, _sum and _count. */
function exportedNamesOf(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const match of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, type] = match;
    names.add(name);
    if (type === 'histogram')
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
  }
  return names;
}

const expressions = [
  ...dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr)),
  ...dashboard.templating.list.flatMap((variable) => variable.definition ?? []),
];
const referenced = new Set(expressions.flatMap(metricNamesOf));

describe('Grafana dashboard', () => {
  let daemon: RunningDaemon;
  beforeAll(async () => {
    daemon = await startDaemon();
  });
  afterAll(async () => {
    await daemon?.stop();
  });

  it('queries only metrics a live daemon exports, or Prometheus records per target', async () => {
    await daemon.nextFlush();
    const exported = exportedNamesOf(await daemon.scrape());
    const unknown = [...referenced].filter(
      (name) => !exported.has(name) && !PROMETHEUS_TARGET_SERIES.has(name),
    );
    expect(unknown).toEqual([]);
  });

  it('names a metric in every query, so none escapes the check above', () => {
    for (const expr of expressions) {
      expect(metricNamesOf(expr).length, expr).toBeGreaterThan(0);
      const catalystNames = expr.match(/catalyst_[a-z0-9_]+/g) ?? [];
      for (const name of catalystNames) expect(referenced.has(name), name).toBe(true);
    }
  });

  it('shows ingest, drops at every stage, series, merge, render, scrape and worker restarts', () => {
    for (const name of [
      'catalyst_ingest_lines_total',
      'catalyst_host_udp_receive_buffer_errors_total',
      'catalyst_ring_dropped_messages_total',
      'catalyst_parse_errors_total',
      'catalyst_samples_dropped_total',
      'catalyst_series',
      'catalyst_merge_duration_seconds_bucket',
      'catalyst_render_duration_seconds_bucket',
      'scrape_duration_seconds',
      'catalyst_worker_restarts_total',
    ]) {
      expect(referenced.has(name), name).toBe(true);
    }
  });

  it('gives every panel its own id', () => {
    const ids = dashboard.panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
