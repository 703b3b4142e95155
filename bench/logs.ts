/**
 * Pushed-logs throughput: autocannon POSTs NDJSON bodies to a daemon started as a child
 * process (so the load generator does not share its main thread), then reads how many
 * records the daemon counted. `npm run build && node dist/bench/logs.js [--seconds N]`.
 */
import { availableParallelism, cpus } from 'node:os';
import autocannon from 'autocannon';
import { startBenchDaemon } from './load/daemon-process.js';

const RECORDS_PER_BODY = 100;
const CONNECTIONS = 8;

interface Case {
  name: string;
  /** Every nth line is broken JSON; 0 for none. */
  malformedEvery: number;
}

const CASES: Case[] = [
  { name: 'logs/ndjson 100 records 20 services', malformedEvery: 0 },
  { name: 'logs/ndjson 100 records 10% malformed', malformedEvery: 10 },
];

function bodyOf(malformedEvery: number): string {
  const lines: string[] = [];
  for (let i = 0; i < RECORDS_PER_BODY; i++) {
    if (malformedEvery > 0 && i % malformedEvery === 0) {
      lines.push('{"service":"broken",');
      continue;
    }
    lines.push(
      JSON.stringify({
        time: '2026-12-03T15:00:00.000Z',
        severity: i % 7 === 0 ? 'error' : 'info',
        service: `service-${i % 20}`,
        message: `request ${i} handled in ${i * 3} ms`,
        attributes: { route: '/api/orders', status: 200 },
      }),
    );
  }
  return lines.join('\n');
}

async function runCase(port: number, benchCase: Case, seconds: number): Promise<object> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/api/v1/logs`,
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body: bodyOf(benchCase.malformedEvery),
    connections: CONNECTIONS,
    duration: seconds,
  });
  const keptPerBody =
    RECORDS_PER_BODY -
    (benchCase.malformedEvery > 0 ? RECORDS_PER_BODY / benchCase.malformedEvery : 0);
  return {
    case: benchCase.name,
    requestsPerSecond: Math.round(result.requests.average),
    recordsPerSecond: Math.round(result.requests.average * keptPerBody),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** catalyst_log_records_total summed, once two scrapes a flush apart agree (at most 5 s). */
async function settledRecordCount(port: number): Promise<number> {
  let previous = -1;
  for (let attempt = 0; attempt < 20; attempt++) {
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const counted = metrics
      .split('\n')
      .filter((line) => line.startsWith('catalyst_log_records_total{'))
      .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
    if (counted === previous) return counted;
    previous = counted;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return previous;
}

async function main(): Promise<void> {
  const secondsFlag = process.argv.indexOf('--seconds');
  const seconds = secondsFlag > 0 ? Number(process.argv[secondsFlag + 1]) : 10;
  const daemon = await startBenchDaemon({ flushIntervalMs: 200 });
  const port = daemon.httpPort;
  try {
    const results = [];
    for (const benchCase of CASES) results.push(await runCase(port, benchCase, seconds));
    const counted = await settledRecordCount(port);
    const report = {
      node: process.version,
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: availableParallelism(),
      date: new Date().toISOString(),
      seconds,
      connections: CONNECTIONS,
      results,
      recordsCountedOnMetrics: counted,
    };
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await daemon.stop();
  }
}

await main();
