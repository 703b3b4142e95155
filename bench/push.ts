import { execSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { startBenchDaemon } from './load/daemon-process.js';

/**
 * HTTP push throughput: autocannon against the built daemon on 127.0.0.1, one scenario per
 * receiver, bounded in time. Each request is a whole body of SAMPLES_PER_BODY samples.
 *
 *   node dist/bench/push.js [--duration-s 5] [--connections 10] [--json]
 */
const require = createRequire(import.meta.url);
const autocannon = require('autocannon') as (
  options: Record<string, unknown>,
) => Promise<AutocannonResult>;
const otlpRoot = require('@opentelemetry/otlp-transformer/build/src/generated/root.js');
const OTLP_REQUEST = otlpRoot.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;

interface AutocannonResult {
  duration: number;
  '2xx': number;
  non2xx: number;
  errors: number;
  latency: { p50: number; p99: number };
}

const SAMPLES_PER_BODY = 100;

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
}

/** 100 counters over 10 label values: the shape of a service pushing its request counts. */
function jsonBody(): Buffer {
  const samples = Array.from({ length: SAMPLES_PER_BODY }, (_, i) => ({
    name: `bench_requests_${i % 10}`,
    type: 'counter',
    value: 1,
    labels: { route: `/r${Math.floor(i / 10)}` },
  }));
  return Buffer.from(JSON.stringify({ samples }));
}

/** The same 100 points as one OTLP cumulative monotonic sum, protobuf-encoded. */
function otlpBody(): Buffer {
  const dataPoints = Array.from({ length: SAMPLES_PER_BODY }, (_, i) => ({
    asInt: i,
    attributes: [{ key: 'route', value: { stringValue: `/r${i}` } }],
  }));
  const request = {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'bench' } }] },
        scopeMetrics: [
          {
            metrics: [
              {
                name: 'bench.otlp.requests',
                sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints },
              },
            ],
          },
        ],
      },
    ],
  };
  return Buffer.from(OTLP_REQUEST.encode(OTLP_REQUEST.fromObject(request)).finish());
}

async function main(): Promise<void> {
  const durationS = argument('--duration-s', 5);
  const connections = argument('--connections', 10);
  const daemon = await startBenchDaemon({ flushIntervalMs: 1000 });
  const port = daemon.httpPort;
  const scenarios = [
    {
      name: `push/json ${SAMPLES_PER_BODY} counters`,
      path: '/api/v1/metrics',
      type: 'application/json',
      body: jsonBody(),
    },
    {
      name: `push/otlp-protobuf ${SAMPLES_PER_BODY} points`,
      path: '/v1/metrics',
      type: 'application/x-protobuf',
      body: otlpBody(),
    },
  ];

  const results = [];
  try {
    for (const scenario of scenarios) {
      const result = await autocannon({
        url: `http://127.0.0.1:${port}${scenario.path}`,
        method: 'POST',
        headers: { 'content-type': scenario.type },
        body: scenario.body,
        connections,
        duration: durationS,
      });
      const pushesPerS = result['2xx'] / result.duration;
      results.push({
        case: scenario.name,
        bodyBytes: scenario.body.length,
        pushesPerS: Math.round(pushesPerS),
        samplesPerS: Math.round(pushesPerS * SAMPLES_PER_BODY),
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        non2xx: result.non2xx,
        errors: result.errors,
      });
    }
  } finally {
    await daemon.stop();
  }

  const report = {
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    commit: commitOf(),
    date: new Date().toISOString(),
    durationS,
    connections,
    results,
  };
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else console.table(results);
}

function commitOf(): string {
  try {
    return execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

await main();
