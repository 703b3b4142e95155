import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * `npm run soak -- [--minutes N] [--datagrams-per-second N]` (10 minutes, 2000/s by
 * default): starts the built daemon on ephemeral 127.0.0.1 ports, sends steady StatsD over
 * UDP (10 lines a datagram over 200 series) and scrapes /metrics every second. Every 30 s
 * it prints the daemon's RSS and its own event-loop delay self-metric; at the end, the
 * drift between the first and the last minute. Everything is bounded by the duration.
 */

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const LINES_PER_DATAGRAM = 10;
const SERIES = 200;
const REPORT_EVERY_MS = 30_000;
const SEND_TICK_MS = 10;

interface Reading {
  atSeconds: number;
  rssMiB: number;
  loopP99Ms: number;
  loopMaxMs: number;
  scrapeMs: number;
}

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!(value > 0))
    throw new Error(`${name} must be a positive number, got ${process.argv[at + 1]}`);
  return value;
}

function rssMiBOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kib / 1024;
}

function sampleValue(text: string, line: string): number {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? NaN : Number(found.slice(line.length + 1));
}

async function main(): Promise<void> {
  const minutes = argument('--minutes', 10);
  const perSecond = argument('--datagrams-per-second', 2000);
  const child = spawn(
    process.execPath,
    [CLI, '--statsd-udp', '127.0.0.1:0', '--statsd-tcp', 'off', '--http', '127.0.0.1:0'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const ports = await new Promise<{ statsdUdp: number; http: number }>((resolve, reject) => {
    let pending = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const entry = JSON.parse(line) as { msg: string; ports?: typeof ports };
        if (entry.msg === 'ready to receive') resolve(entry.ports!);
      }
    });
    child.once('exit', (code) => reject(new Error(`daemon exited with ${code}`)));
  });

  const socket = dgram.createSocket('udp4');
  const datagrams = Array.from({ length: SERIES }, (_, i) =>
    Buffer.from(
      `soak.hits:1|c|#series:${i}\nsoak.lag:${i % 50}|ms|#series:${i % 20}\n`.repeat(
        LINES_PER_DATAGRAM / 2,
      ),
    ),
  );
  let sent = 0;
  const perTick = Math.max(1, Math.round((perSecond * SEND_TICK_MS) / 1000));
  const sender = setInterval(() => {
    for (let i = 0; i < perTick; i++)
      socket.send(datagrams[sent++ % SERIES], ports.statsdUdp, '127.0.0.1');
  }, SEND_TICK_MS);

  const readings: Reading[] = [];
  const started = Date.now();
  const endAt = started + minutes * 60_000;
  let nextReportAt = started + REPORT_EVERY_MS;
  let lastScrape = '';
  let scrapeMs = 0;
  console.log('seconds  rss_MiB  loop_p99_ms  loop_max_ms  scrape_ms');
  while (Date.now() < endAt) {
    const scrapeStarted = performance.now();
    lastScrape = await (await fetch(`http://127.0.0.1:${ports.http}/metrics`)).text();
    scrapeMs = performance.now() - scrapeStarted;
    if (Date.now() >= nextReportAt) {
      nextReportAt += REPORT_EVERY_MS;
      const reading: Reading = {
        atSeconds: Math.round((Date.now() - started) / 1000),
        rssMiB: rssMiBOf(child.pid!),
        loopP99Ms: 1000 * sampleValue(lastScrape, 'catalyst_event_loop_delay_p99_seconds'),
        loopMaxMs: 1000 * sampleValue(lastScrape, 'catalyst_event_loop_delay_max_seconds'),
        scrapeMs,
      };
      readings.push(reading);
      console.log(
        [
          reading.atSeconds,
          reading.rssMiB.toFixed(1),
          reading.loopP99Ms.toFixed(2),
          reading.loopMaxMs.toFixed(2),
          reading.scrapeMs.toFixed(1),
        ]
          .map((v) => String(v).padStart(7))
          .join('  '),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }

  clearInterval(sender);
  socket.close();
  const counted = sampleValue(lastScrape, 'catalyst_ingest_datagrams_total{transport="udp"}');
  const dropped = sampleValue(lastScrape, 'catalyst_ring_dropped_messages_total{transport="udp"}');
  child.kill('SIGTERM');
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', resolve));

  const perMinute = Math.max(1, Math.round(60_000 / REPORT_EVERY_MS));
  const first = readings.slice(0, perMinute);
  const last = readings.slice(-perMinute);
  const mean = (rs: Reading[], key: keyof Reading) =>
    rs.reduce((s, r) => s + r[key], 0) / rs.length;
  console.log(
    `sent ${sent} datagrams; daemon took ${counted}, ring dropped ${dropped}; exit ${exitCode}`,
  );
  console.log(
    `drift first→last minute: rss ${mean(first, 'rssMiB').toFixed(1)} → ${mean(last, 'rssMiB').toFixed(1)} MiB, ` +
      `loop p99 ${mean(first, 'loopP99Ms').toFixed(2)} → ${mean(last, 'loopP99Ms').toFixed(2)} ms`,
  );
}

await main();
