import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import type { ExpositionSample } from '../helpers/exposition.js';

const ENVOY_MAPPING = fileURLToPath(new URL('../../mappings/envoy.yml', import.meta.url));
const ENVOY_STREAM = readFileSync(
  fileURLToPath(new URL('../fixtures/envoy-stream.statsd', import.meta.url)),
  'utf8',
);

/** The samples of envoy_* families, as `name{labels} value` lines, sorted. */
function envoyLines(samples: readonly ExpositionSample[]): string[] {
  return samples
    .filter((s) => s.name.startsWith('envoy_') && !s.name.endsWith('_bucket'))
    .map((s) => {
      const labels = Object.entries(s.labels)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => `${k}="${v}"`)
        .join(',');
      return `${s.name}{${labels}} ${s.value}`;
    })
    .sort();
}

describe('the shipped Envoy mapping file', () => {
  let daemon: RunningDaemon;
  beforeAll(async () => {
    daemon = await startDaemon(['--workers', '2', '--mapping-config', ENVOY_MAPPING]);
  });
  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
  });

  it("turns a representative Envoy statsd stream into labelled families like Envoy's own", async () => {
    // TCP: the flood test may run beside this one and loopback would drop this datagram.
    await daemon.sendTcp(ENVOY_STREAM);
    const samples = await daemon.waitForSamples(
      (s) => s.some((x) => x.name === 'envoy_cluster_manager_active_clusters'),
      'the last line of the Envoy stream',
    );

    const backend = 'envoy_cluster_name="backend"';
    const reviews = 'envoy_cluster_name="outbound_80__reviews.default.svc.cluster.local"';
    const ingress = 'envoy_http_conn_manager_prefix="ingress_http"';
    expect(envoyLines(samples)).toEqual(
      [
        `envoy_cluster_manager_active_clusters{} 2`,
        `envoy_cluster_membership_healthy{${backend}} 3`,
        `envoy_cluster_upstream_cx_active{${backend}} 2`,
        `envoy_cluster_upstream_rq_by_code_total{${backend},envoy_response_code="200"} 3`,
        `envoy_cluster_upstream_rq_by_code_total{${backend},envoy_response_code="503"} 1`,
        `envoy_cluster_upstream_rq_by_code_total{${reviews},envoy_response_code="200"} 5`,
        `envoy_cluster_upstream_rq_retry_total{${reviews}} 1`,
        `envoy_cluster_upstream_rq_time_seconds_count{${backend}} 2`,
        `envoy_cluster_upstream_rq_time_seconds_sum{${backend}} 0.312`,
        `envoy_cluster_upstream_rq_total{${backend}} 4`,
        `envoy_cluster_upstream_rq_xx_total{${backend},envoy_response_code_class="2"} 3`,
        `envoy_cluster_upstream_rq_xx_total{${backend},envoy_response_code_class="5"} 1`,
        `envoy_http_downstream_cx_active{${ingress}} 4`,
        `envoy_http_downstream_rq_time_seconds_count{${ingress}} 1`,
        `envoy_http_downstream_rq_time_seconds_sum{${ingress}} 0.004`,
        `envoy_http_downstream_rq_total{${ingress}} 8`,
        `envoy_http_downstream_rq_xx_total{${ingress},envoy_response_code_class="2"} 6`,
        `envoy_http_downstream_rq_xx_total{${ingress},envoy_response_code_class="4"} 2`,
        `envoy_listener_downstream_cx_total{envoy_listener_address="0.0.0.0_10000"} 9`,
        `envoy_server_live{} 1`,
        `envoy_server_uptime{} 3600`,
      ].sort(),
    );
  });

  it("buckets request times on the file's bounds, in seconds", async () => {
    const samples = await daemon.samples();
    const bucket = (le: string) =>
      samples.find(
        (s) =>
          s.name === 'envoy_cluster_upstream_rq_time_seconds_bucket' &&
          s.labels.le === le &&
          s.labels.envoy_cluster_name === 'backend',
      )?.value;
    expect([
      bucket('0.01'),
      bucket('0.025'),
      bucket('0.25'),
      bucket('0.5'),
      bucket('+Inf'),
    ]).toEqual([0, 1, 1, 2, 2]);
  });
});
