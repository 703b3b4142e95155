import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { valueOf } from '../helpers/exposition.js';

const MAX_SERIES = 1000;
const ATTACK_NAMES = 1_000_000;
const LINES_PER_DATAGRAM = 100;
// Datagrams in flight before waiting for the socket: keeps the kernel buffer from overflowing
// so most names really arrive, and leaves loopback's backlog room for the datagrams of
// tests running beside this one.
const SENDS_IN_FLIGHT = 16;
// Measured on the 2-core dev host (see the issue-5 note): with the bounds, RSS levels off
// near 230-330 MiB whether 250k or 4M names arrive (four V8 heaps grown by the allocation
// rate, and the rings); before the shard tables were bounded it was 604 MiB at 1M names
// and climbing with the count. 350 MiB of growth leaves room for a slower host and fails
// on anything that keeps per-name state.
const MAX_RSS_GROWTH_BYTES = 350 * 1024 * 1024;

function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

async function sendDistinctNames(port: number): Promise<void> {
  const socket = dgram.createSocket('udp4');
  let inFlight: Array<Promise<void>> = [];
  for (let first = 0; first < ATTACK_NAMES; first += LINES_PER_DATAGRAM) {
    const lines: string[] = [];
    for (let i = first; i < first + LINES_PER_DATAGRAM; i++) lines.push(`attack.n${i}:1|c`);
    inFlight.push(
      new Promise((resolve, reject) =>
        socket.send(lines.join('\n'), port, '127.0.0.1', (err) => (err ? reject(err) : resolve())),
      ),
    );
    if (inFlight.length >= SENDS_IN_FLIGHT) {
      await Promise.all(inFlight);
      inFlight = [];
      // A turn of the event loop lets the daemon's reader catch up on a 2-core host.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  await Promise.all(inFlight);
  socket.close();
}

describe('a flood of one million distinct names', () => {
  let daemon: RunningDaemon;
  beforeAll(async () => {
    daemon = await startDaemon(['--workers', '2', '--max-series', String(MAX_SERIES)]);
  });
  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
  });

  it('stays under --max-series, counts the refused samples and keeps RSS bounded', async () => {
    await daemon.sendUdp('legit.before:1|c');
    await daemon.nextFlush();
    const rssBefore = rssBytes(daemon.process.pid!);

    await sendDistinctNames(daemon.ports.statsdUdp!);
    await daemon.nextFlush();
    await daemon.sendUdp('legit.before:1|c');
    const samples = await daemon.waitForSamples(
      (s) => valueOf(s, 'legit_before_total') === 2,
      'the series created before the flood, still counting',
    );
    const rssAfter = rssBytes(daemon.process.pid!);

    const series = samples
      .filter((s) => s.name === 'catalyst_series')
      .reduce((sum, s) => sum + s.value, 0);
    const report = (await (await fetch(`${daemon.baseUrl}/debug/cardinality`)).json()) as {
      seriesCount: number;
      seriesLimitDroppedSamples: number;
    };
    const dropped = valueOf(samples, 'catalyst_samples_dropped_total', { reason: 'series_limit' })!;
    console.log(
      `attack: series=${series} dropped=${dropped} rssBeforeMiB=${(rssBefore / 2 ** 20).toFixed(0)} rssAfterMiB=${(rssAfter / 2 ** 20).toFixed(0)}`,
    );

    expect(series).toBe(MAX_SERIES);
    expect(report.seriesCount).toBe(MAX_SERIES);
    // The report is read after the scrape; late deltas may have added drops in between.
    expect(report.seriesLimitDroppedSamples).toBeGreaterThanOrEqual(dropped);
    // Most of the million arrived and were refused; UDP on a loaded host may lose a few.
    expect(dropped).toBeGreaterThan(ATTACK_NAMES / 2);
    expect(rssAfter - rssBefore).toBeLessThan(MAX_RSS_GROWTH_BYTES);
  }, 120_000);
});
