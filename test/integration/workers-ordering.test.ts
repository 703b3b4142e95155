import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { parseExposition, valueOf, type ExpositionSample } from '../helpers/exposition.js';

/**
 * One daemon aggregates on one worker, the other on four, where the datagrams of one flush
 * interval spread round-robin over the shards and gauge sets and deltas must be replayed in
 * stream order by the merger. Fed the same stream, both must expose the same series.
 *
 * The fixture holds 400 datagrams separated by blank lines, drawn once from a seeded
 * generator; edit it freely, the expectations below are computed from the file. Timer
 * values are exact binary fractions of a second and counter rates are 1/2 and 1/4, so every
 * sum is exact whatever order the shards add in, and the two expositions can be compared
 * character for character.
 */
const DATAGRAMS = readFileSync(
  new URL('../fixtures/ordering-stream.statsd', import.meta.url),
  'utf8',
)
  .trimEnd()
  .split('\n\n');

// Small enough that a batch never fills a socket buffer or a ring before the daemon drains it.
const DATAGRAMS_PER_BATCH = 25;

interface FixtureLine {
  name: string;
  value: string;
  type: string;
  sampleRate: number;
  tags: string[];
}

/** The fixture's own line shapes only; deliberately not the daemon's parser. */
function readFixtureLines(): FixtureLine[] {
  const pattern = /^([^:]+):([^|]+)\|(c|g|ms|h|s)(?:\|@([0-9.]+))?(?:\|#(.*))?$/;
  return DATAGRAMS.flatMap((datagram) => datagram.split('\n')).map((line) => {
    const match = pattern.exec(line);
    if (match === null) throw new Error(`fixture line not understood: ${line}`);
    const [, name, value, type, rate, tags] = match;
    return {
      name,
      value,
      type,
      sampleRate: rate ? Number(rate) : 1,
      tags: tags ? tags.split(',') : [],
    };
  });
}

function hasTags(line: FixtureLine, wanted: string[]): boolean {
  return wanted.length === line.tags.length && wanted.every((tag) => line.tags.includes(tag));
}

/** Counter: every value over its rate. */
function expectedCounter(lines: FixtureLine[], name: string, tags: string[]): number {
  return lines
    .filter((line) => line.name === name && line.type === 'c' && hasTags(line, tags))
    .reduce((sum, line) => sum + Number(line.value) / line.sampleRate, 0);
}

/** Gauge, in stream order: a leading sign adjusts the value, no sign sets it. */
function expectedGauge(lines: FixtureLine[], name: string, tags: string[]): number {
  let value = 0;
  for (const line of lines) {
    if (line.name !== name || line.type !== 'g' || !hasTags(line, tags)) continue;
    const isDelta = line.value.startsWith('+') || line.value.startsWith('-');
    value = isDelta ? value + Number(line.value) : Number(line.value);
  }
  return value;
}

/** Timer in seconds: count and sum of every value / 1000. */
function expectedTimer(
  lines: FixtureLine[],
  name: string,
  tags: string[],
): { count: number; sum: number } {
  const values = lines
    .filter((line) => line.name === name && line.type === 'ms' && hasTags(line, tags))
    .map((line) => Number(line.value) / 1000);
  return { count: values.length, sum: values.reduce((sum, value) => sum + value, 0) };
}

/** The exposition without the daemon's own families: what the traffic alone produced. */
function trafficLines(exposition: string): string[] {
  return exposition
    .split('\n')
    .filter((line) => line !== '' && !/^(# (HELP|TYPE) )?catalyst_/.test(line));
}

function totalOf(samples: readonly ExpositionSample[], name: string): number {
  return samples.filter((sample) => sample.name === name).reduce((sum, s) => sum + s.value, 0);
}

/** Sends the stream in batches, waiting after each until the daemon has taken it all in. */
async function sendPaced(daemons: RunningDaemon[]): Promise<void> {
  for (let start = 0; start < DATAGRAMS.length; start += DATAGRAMS_PER_BATCH) {
    const batch = DATAGRAMS.slice(start, start + DATAGRAMS_PER_BATCH);
    for (const daemon of daemons) {
      // One at a time: each send completes before the next, so arrival order is send order.
      for (const datagram of batch) await daemon.sendUdp(datagram);
    }
    const sentCount = start + batch.length;
    await Promise.all(
      daemons.map((daemon) =>
        daemon.waitForSamples(
          (samples) =>
            (valueOf(samples, 'catalyst_ingest_datagrams_total', { transport: 'udp' }) ?? 0) >=
            sentCount,
          `${sentCount} datagrams received`,
        ),
      ),
    );
  }
}

describe('one stream through 1 worker and through 4 workers', () => {
  let oneWorker: RunningDaemon;
  let fourWorkers: RunningDaemon;
  let oneWorkerText: string;
  let fourWorkersText: string;

  beforeAll(async () => {
    [oneWorker, fourWorkers] = await Promise.all([
      startDaemon(['--workers', '1']),
      startDaemon(['--workers', '4']),
    ]);
    await sendPaced([oneWorker, fourWorkers]);
    await Promise.all([oneWorker.nextFlush(), fourWorkers.nextFlush()]);
    [oneWorkerText, fourWorkersText] = await Promise.all([
      oneWorker.scrape(),
      fourWorkers.scrape(),
    ]);
  }, 120_000);

  afterAll(async () => {
    expect(await oneWorker.stop()).toBe(0);
    expect(await fourWorkers.stop()).toBe(0);
  });

  it('receives every datagram, drops none, refuses no line and folds nothing late', () => {
    const lineCount = DATAGRAMS.join('\n').split('\n').length;
    const expected = {
      datagrams: DATAGRAMS.length,
      lines: lineCount,
      ringDropped: 0,
      parseErrors: 0,
      samplesDropped: 0,
      // A delta folded after its interval was rendered would replay gauges out of order.
      lateDeltas: 0,
    };
    for (const text of [oneWorkerText, fourWorkersText]) {
      const samples = parseExposition(text);
      expect({
        datagrams: valueOf(samples, 'catalyst_ingest_datagrams_total', { transport: 'udp' }),
        lines: valueOf(samples, 'catalyst_ingest_lines_total', { transport: 'udp' }),
        ringDropped: totalOf(samples, 'catalyst_ring_dropped_messages_total'),
        parseErrors: totalOf(samples, 'catalyst_parse_errors_total'),
        samplesDropped: totalOf(samples, 'catalyst_samples_dropped_total'),
        lateDeltas: valueOf(samples, 'catalyst_merge_late_deltas_total'),
      }).toEqual(expected);
    }
  });

  it('exposes identical traffic series, line for line', () => {
    expect(trafficLines(fourWorkersText)).toEqual(trafficLines(oneWorkerText));
    expect(trafficLines(oneWorkerText).length).toBeGreaterThan(0);
  });

  it('matches values computed from the fixture for named series', () => {
    const lines = readFixtureLines();
    const latency = expectedTimer(lines, 'api.latency', ['route:/pay']);
    const expected: Array<[string, Record<string, string>, number]> = [
      [
        'orders_placed_total',
        { region: 'eu', shop: 'web' },
        expectedCounter(lines, 'orders.placed', ['region:eu', 'shop:web']),
      ],
      [
        'orders_placed_total',
        { region: 'us', shop: 'app' },
        expectedCounter(lines, 'orders.placed', ['region:us', 'shop:app']),
      ],
      ['api_errors_total', { route: '/pay' }, expectedCounter(lines, 'api.errors,route=/pay', [])],
      ['queue_depth', { queue: 'a' }, expectedGauge(lines, 'queue.depth', ['queue:a'])],
      ['queue_depth', { queue: 'b' }, expectedGauge(lines, 'queue.depth', ['queue:b'])],
      ['workers_busy', {}, expectedGauge(lines, 'workers.busy', [])],
      ['api_latency_count', { route: '/pay' }, latency.count],
      ['api_latency_sum', { route: '/pay' }, latency.sum],
    ];
    const samples = parseExposition(fourWorkersText);
    const actual = expected.map(([name, labels]) => [name, labels, valueOf(samples, name, labels)]);
    expect(actual).toEqual(expected);
  });

  it('shows each set at 0 once a flush interval passes without members', () => {
    const samples = parseExposition(fourWorkersText);
    expect(valueOf(samples, 'visitors', { shop: 'web' })).toBe(0);
  });
});
