import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../src/config/defaults.js';
import { requirePromtool } from '../helpers/promtool.js';

/**
 * scripts/check-deploy.sh on the real deploy files (promtool, systemd-analyze, the
 * Dockerfile's structure), on broken copies of them, and the example configs pointing at
 * the daemon's default ports.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEPLOY = join(ROOT, 'scripts/deploy');
const hasSystemdAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;

function checkDeploy(deployDir = DEPLOY): { status: number | null; lines: string[] } {
  const result = spawnSync(join(ROOT, 'scripts/check-deploy.sh'), [deployDir], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, lines: result.stdout.split('\n').filter((l) => l !== '') };
}

function readYaml(name: string): any {
  return parse(readFileSync(join(DEPLOY, name), 'utf8'));
}

describe('scripts/check-deploy.sh', () => {
  const copies = mkdtempSync(join(tmpdir(), 'catalyst-deploy-'));
  afterAll(() => rmSync(copies, { recursive: true, force: true }));

  it('passes every check on the deploy files, promtool and systemd-analyze included', () => {
    requirePromtool();
    expect(checkDeploy()).toEqual({
      status: 0,
      lines: [
        'ok: prometheus.yml passes promtool check config',
        'ok: otel-collector.yaml scrape_configs pass promtool check config',
        'ok: config.example.yaml passes catalyst-metrics --check-config',
        hasSystemdAnalyze
          ? 'ok: catalyst-metrics.service passes systemd-analyze verify'
          : 'skip: systemd-analyze not found; catalyst-metrics.service not verified',
        'ok: Dockerfile: every FROM names a tag other than latest',
        'ok: Dockerfile: the final USER is not root',
        'ok: Dockerfile: HEALTHCHECK runs a command',
      ],
    });
  });

  it('fails a Dockerfile on latest, running as root and without a HEALTHCHECK', () => {
    const dir = join(copies, 'bad-dockerfile');
    cpSync(DEPLOY, dir, { recursive: true });
    writeFileSync(
      join(dir, 'Dockerfile'),
      'FROM node:latest\nUSER node\nUSER root\nENTRYPOINT ["node", "dist/src/cli.js"]\n',
    );
    const { status, lines } = checkDeploy(dir);
    expect(status).toBe(1);
    expect(lines.filter((line) => line.includes('Dockerfile'))).toEqual([
      'FAIL: Dockerfile: every FROM names a tag other than latest',
      "FAIL: Dockerfile: the final USER is not root (found 'root')",
      'FAIL: Dockerfile: HEALTHCHECK runs a command',
    ]);
  });

  it('fails a Prometheus config promtool refuses, showing what promtool said', () => {
    const dir = join(copies, 'bad-prometheus');
    cpSync(DEPLOY, dir, { recursive: true });
    writeFileSync(join(dir, 'prometheus.yml'), 'scrape_configs:\n  - job_name: x\n    bogus: 1\n');
    const { status, lines } = checkDeploy(dir);
    expect(status).toBe(1);
    expect(lines).toContain('FAIL: prometheus.yml passes promtool check config');
    expect(lines.some((line) => line.includes('field bogus not found'))).toBe(true);
  });
});

describe('example configs', () => {
  const httpTarget = DEFAULTS.http;
  const envoyAdmin = '127.0.0.1:9901';

  it('scrape catalyst-metrics and Envoy side by side in Prometheus', () => {
    const jobs = readYaml('prometheus.yml').scrape_configs;
    expect(
      jobs.map((job: any) => [job.job_name, job.metrics_path ?? '/metrics', job.static_configs]),
    ).toEqual([
      ['catalyst-metrics', '/metrics', [{ targets: [httpTarget] }]],
      ['envoy', '/stats/prometheus', [{ targets: [envoyAdmin] }]],
    ]);
  });

  it('scrape the same two endpoints from the OpenTelemetry Collector into a metrics pipeline', () => {
    const collector = readYaml('otel-collector.yaml');
    const jobs = collector.receivers.prometheus.config.scrape_configs;
    expect(jobs.map((job: any) => job.static_configs[0].targets[0])).toEqual([
      httpTarget,
      envoyAdmin,
    ]);
    expect(collector.service.pipelines.metrics.receivers).toEqual(['prometheus']);
  });

  it('point the Datadog OpenMetrics check at both endpoints', () => {
    const check = readYaml('datadog-openmetrics.yaml');
    expect(check.instances.map((i: any) => [i.openmetrics_endpoint, i.namespace])).toEqual([
      [`http://${httpTarget}/metrics`, 'catalyst'],
      [`http://${envoyAdmin}/stats/prometheus`, 'envoy'],
    ]);
  });

  it("point Envoy's statsd sink at the default UDP listener and its admin at the scraped port", () => {
    const envoy = readYaml('envoy-stats-sink.yaml');
    const sink = envoy.stats_sinks[0].typed_config.address.socket_address;
    expect(`${sink.address}:${sink.port_value}`).toBe(DEFAULTS.statsdUdp);
    expect(sink.protocol).toBe('UDP');
    const admin = envoy.admin.address.socket_address;
    expect(`${admin.address}:${admin.port_value}`).toBe(envoyAdmin);
  });
});
