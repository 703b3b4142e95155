import {
  AggregationTemporalityPreference,
  OTLPMetricExporter as OtlpJsonExporter,
} from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as OtlpProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { valueOf, type ExpositionSample } from '../helpers/exposition.js';
import { push } from '../helpers/push.js';

/**
 * The OpenTelemetry JS SDK (sdk-metrics 2.0, OTLP exporters 0.200) pushing to the daemon,
 * protobuf and JSON, delta and cumulative: exact values on /metrics.
 */

type Encoding = 'protobuf' | 'json';
type Temporality = 'delta' | 'cumulative';

interface Client {
  provider: MeterProvider;
  reader: PeriodicExportingMetricReader;
}

function createClient(
  url: string,
  encoding: Encoding,
  temporality: Temporality,
  service: string,
): Client {
  const temporalityPreference =
    temporality === 'delta'
      ? AggregationTemporalityPreference.DELTA
      : AggregationTemporalityPreference.CUMULATIVE;
  const exporter =
    encoding === 'json'
      ? new OtlpJsonExporter({ url, temporalityPreference })
      : new OtlpProtoExporter({ url, temporalityPreference });
  // Exports happen only when the test flushes: the interval is never reached.
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const resource = resourceFromAttributes({
    'service.namespace': 'shop',
    'service.name': service,
    'service.instance.id': 'i-1',
    'deployment.environment': 'test',
  });
  return { provider: new MeterProvider({ resource, readers: [reader] }), reader };
}

const CASES: Array<{ encoding: Encoding; temporality: Temporality; port: 'http' | 'otlpHttp' }> = [
  { encoding: 'protobuf', temporality: 'delta', port: 'otlpHttp' },
  { encoding: 'protobuf', temporality: 'cumulative', port: 'http' },
  { encoding: 'json', temporality: 'delta', port: 'http' },
  { encoding: 'json', temporality: 'cumulative', port: 'otlpHttp' },
];

describe('OTLP/HTTP pushes from the OpenTelemetry JS SDK', () => {
  let daemon: RunningDaemon;
  beforeAll(async () => {
    daemon = await startDaemon(['--workers', '2']);
  });
  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
  });

  for (const row of CASES) {
    const service = `svc-${row.encoding}-${row.temporality}`;
    it(`shows exact values for ${row.encoding} with ${row.temporality} temporality on --${row.port === 'http' ? 'http' : 'otlp-http'}`, async () => {
      const url = `http://127.0.0.1:${daemon.ports[row.port]}/v1/metrics`;
      const client = createClient(url, row.encoding, row.temporality, service);
      const meter = client.provider.getMeter('orders');
      const requests = meter.createCounter('http.server.requests', {
        unit: '{request}',
        description: 'Requests served.',
      });
      const queue = meter.createUpDownCounter('queue.size', { unit: '{item}' });
      const cpu = meter.createGauge('process.cpu.utilization', { unit: '1' });
      const duration = meter.createHistogram('http.server.duration', {
        unit: 's',
        advice: { explicitBucketBoundaries: [0.1, 1] },
      });

      requests.add(5, { route: '/pay' });
      queue.add(4);
      cpu.record(0.25);
      duration.record(0.05);
      await client.reader.forceFlush();
      requests.add(3, { route: '/pay' });
      queue.add(-1);
      cpu.record(0.75);
      duration.record(0.5);
      duration.record(2);
      await client.reader.forceFlush();
      await client.provider.shutdown();

      const job = { job: `shop/${service}`, instance: 'i-1' };
      const samples = await daemon.waitForSamples(
        (s) => valueOf(s, 'http_server_duration_seconds_count', job) === 3,
        `${service} histogram count 3`,
      );
      const own = (s: ExpositionSample) => s.labels.job === job.job && s.name !== 'target_info';
      expect(
        samples
          .filter(own)
          .map((s) => `${s.name}${JSON.stringify(s.labels)} ${s.value}`)
          .sort(),
      ).toEqual(
        [
          `http_server_duration_seconds_bucket{"instance":"i-1","job":"shop/${service}","le":"+Inf"} 3`,
          `http_server_duration_seconds_bucket{"instance":"i-1","job":"shop/${service}","le":"0.1"} 1`,
          `http_server_duration_seconds_bucket{"instance":"i-1","job":"shop/${service}","le":"1"} 2`,
          `http_server_duration_seconds_count{"instance":"i-1","job":"shop/${service}"} 3`,
          `http_server_duration_seconds_sum{"instance":"i-1","job":"shop/${service}"} 2.55`,
          `http_server_requests_total{"instance":"i-1","job":"shop/${service}","route":"/pay"} 8`,
          `process_cpu_utilization_ratio{"instance":"i-1","job":"shop/${service}"} 0.75`,
          `queue_size{"instance":"i-1","job":"shop/${service}"} 3`,
        ].sort(),
      );
      const info = samples.filter((s) => s.name === 'target_info' && s.labels.job === job.job);
      expect(
        info.map((s) => [s.labels.instance, s.labels.deployment_environment, s.value]),
      ).toEqual([['i-1', 'test', 1]]);
    });
  }

  it('answers partial success for an exponential histogram and keeps the sum beside it', async () => {
    const body = {
      resourceMetrics: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'partial' } }] },
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'kept.total',
                  sum: {
                    aggregationTemporality: 2,
                    isMonotonic: true,
                    dataPoints: [{ asInt: '7' }],
                  },
                },
                {
                  name: 'latency',
                  exponentialHistogram: {
                    aggregationTemporality: 2,
                    dataPoints: [{ count: '1', scale: 0 }],
                  },
                },
              ],
            },
          ],
        },
      ],
    };

    const response = await push(daemon.baseUrl, '/v1/metrics', JSON.stringify(body), {
      'content-type': 'application/json',
    });

    expect(response).toEqual({
      status: 200,
      body: {
        partialSuccess: {
          rejectedDataPoints: '1',
          errorMessage:
            'metric "latency": exponential histograms are not supported; use explicit buckets',
        },
      },
    });
    const samples = await daemon.waitForSamples(
      (s) => valueOf(s, 'kept_total', { job: 'partial' }) === 7,
      'kept_total',
    );
    expect(samples.filter((s) => s.name.startsWith('latency'))).toEqual([]);
  });

  describe('bad bodies leave the samples already there untouched', () => {
    const protobuf = { 'content-type': 'application/x-protobuf' };
    const rows: Array<{
      case: string;
      body: () => Uint8Array | string;
      headers: Record<string, string>;
      status: number;
    }> = [
      {
        case: 'truncated protobuf',
        body: () => Buffer.from([0x0a, 0x10, 0x0a]),
        headers: protobuf,
        status: 400,
      },
      {
        case: 'JSON with a wrongly typed field',
        body: () => '{"resourceMetrics":5}',
        headers: { 'content-type': 'application/json' },
        status: 400,
      },
      {
        case: 'bad gzip',
        body: () => Buffer.from('nope'),
        headers: { ...protobuf, 'content-encoding': 'gzip' },
        status: 400,
      },
      {
        case: 'a body over 4 MiB',
        body: () => Buffer.alloc(4 * 1024 * 1024 + 1),
        headers: protobuf,
        status: 413,
      },
    ];
    for (const row of rows) {
      it(`answers ${row.status} for ${row.case}`, async () => {
        await daemon.nextFlush();
        const before = (await daemon.samples()).filter((s) => !s.name.startsWith('catalyst_'));

        const response = await push(daemon.baseUrl, '/v1/metrics', row.body(), row.headers);
        await daemon.nextFlush();

        expect(response.status).toBe(row.status);
        expect((await daemon.samples()).filter((s) => !s.name.startsWith('catalyst_'))).toEqual(
          before,
        );
      });
    }
  });
});
