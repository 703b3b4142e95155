import StatsDClient, { type StatsCb, type StatsD } from 'hot-shots';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { valueOf, type ExpositionSample } from '../helpers/exposition.js';

/**
 * hot-shots, a StatsD / DogStatsD client services really use, against the built daemon:
 * what it puts on the wire must come out of /metrics with exact values, over UDP and TCP.
 * Every call is awaited through its callback, so lines reach the daemon in call order.
 */

type Protocol = 'udp' | 'tcp';

const CLIENT_CLOSE_TIMEOUT_MS = 5_000;
const SET_PUMP_MAX_ROUNDS = 2_000;

/** Resolves once hot-shots reports the call's bytes written (unbuffered mode). */
function sent(call: (done: StatsCb) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    call((error) => (error ? reject(error) : resolve()));
  });
}

function closeClient(client: StatsD): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`hot-shots client not closed within ${CLIENT_CLOSE_TIMEOUT_MS} ms`)),
      CLIENT_CLOSE_TIMEOUT_MS,
    );
    client.close((error?: Error) => {
      clearTimeout(timer);
      if (error) reject(error);
      else resolve();
    });
  });
}

function bucketsOf(
  samples: readonly ExpositionSample[],
  name: string,
  labels: Record<string, string>,
): Record<string, number | undefined> {
  const bounds = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10'];
  return Object.fromEntries(
    [...bounds, '+Inf'].map((le) => [le, valueOf(samples, `${name}_bucket`, { ...labels, le })]),
  );
}

describe.each<Protocol>(['udp', 'tcp'])('hot-shots over %s', (protocol) => {
  let daemon: RunningDaemon;
  let client: StatsD;
  const clientErrors: Error[] = [];

  beforeAll(async () => {
    daemon = await startDaemon(['--workers', '2']);
    client = new StatsDClient({
      host: '127.0.0.1',
      port: protocol === 'udp' ? daemon.ports.statsdUdp! : daemon.ports.statsdTcp!,
      protocol,
      // Plain DogStatsD: no Datadog agent extensions, no client telemetry, no DD_* env tags.
      datadog: false,
      includeDatadogTelemetry: false,
      includeDataDogTags: false,
      errorHandler: (error) => clientErrors.push(error),
    });
  });

  afterAll(async () => {
    await closeClient(client);
    expect(clientErrors).toEqual([]);
    expect(await daemon.stop()).toBe(0);
  });

  it('sums increments per tag set into _total counters', async () => {
    await sent((done) =>
      client.increment('checkout.orders', 3, { env: 'prod', region: 'eu' }, done),
    );
    await sent((done) =>
      client.increment('checkout.orders', 3, { env: 'prod', region: 'eu' }, done),
    );
    await sent((done) => client.increment('checkout.orders', 1, ['env:prod', 'region:us'], done));
    await daemon.nextFlush();

    const samples = await daemon.samples();
    expect(valueOf(samples, 'checkout_orders_total', { env: 'prod', region: 'eu' })).toBe(6);
    expect(valueOf(samples, 'checkout_orders_total', { env: 'prod', region: 'us' })).toBe(1);
  });

  it('scales a sampled increment by the rate hot-shots writes on the wire', async () => {
    // hot-shots samples client-side with Math.random(); 0 keeps the sample and sends |@0.25.
    const random = vi.spyOn(Math, 'random').mockReturnValue(0);
    try {
      await sent((done) => client.increment('checkout.retries', 2, 0.25, { env: 'prod' }, done));
    } finally {
      random.mockRestore();
    }
    await daemon.nextFlush();

    expect(valueOf(await daemon.samples(), 'checkout_retries_total', { env: 'prod' })).toBe(8);
  });

  it('refuses a decrement as bad_value and leaves the counter as it was', async () => {
    await sent((done) => client.increment('stock.reserved', 5, done));
    await sent((done) => client.decrement('stock.reserved', 2, done));
    await daemon.nextFlush();

    const samples = await daemon.samples();
    expect(valueOf(samples, 'stock_reserved_total')).toBe(5);
    expect(
      valueOf(samples, 'catalyst_parse_errors_total', { transport: protocol, reason: 'bad_value' }),
    ).toBe(1);
  });

  it('sets a gauge, then applies gaugeDelta steps in order', async () => {
    await sent((done) => client.gauge('pool.connections', 10, { pool: 'main' }, done));
    await sent((done) => client.gaugeDelta('pool.connections', -3, { pool: 'main' }, done));
    await sent((done) => client.gaugeDelta('pool.connections', 5, { pool: 'main' }, done));
    await sent((done) => client.gauge('heap.ratio', 0.75, done));
    await daemon.nextFlush();

    const samples = await daemon.samples();
    expect(valueOf(samples, 'pool_connections', { pool: 'main' })).toBe(12);
    expect(valueOf(samples, 'heap_ratio')).toBe(0.75);
  });

  it('turns timings in ms into a histogram in seconds on the default buckets', async () => {
    // Durations whose seconds are exact binary fractions, so the sum is exact in any order.
    for (const ms of [3.90625, 31.25, 250, 1250, 20_000]) {
      await sent((done) => client.timing('http.request.duration', ms, { route: '/cart' }, done));
    }
    await daemon.nextFlush();

    const samples = await daemon.samples();
    const labels = { route: '/cart' };
    expect(bucketsOf(samples, 'http_request_duration', labels)).toEqual({
      '0.005': 1,
      '0.01': 1,
      '0.025': 1,
      '0.05': 2,
      '0.1': 2,
      // `le` is inclusive: 250 ms lands in the 0.25 s bucket.
      '0.25': 3,
      '0.5': 3,
      '1': 3,
      '2.5': 4,
      '5': 4,
      '10': 4,
      '+Inf': 5,
    });
    expect(valueOf(samples, 'http_request_duration_sum', labels)).toBe(21.53515625);
    expect(valueOf(samples, 'http_request_duration_count', labels)).toBe(5);
  });

  it('keeps histogram and distribution values unscaled on the same buckets', async () => {
    for (const value of [0.5, 3, 7, 100]) {
      await sent((done) => client.histogram('queue.batch.size', value, { queue: 'mail' }, done));
    }
    for (const value of [0.125, 0.75]) {
      await sent((done) => client.distribution('render.seconds', value, done));
    }
    await daemon.nextFlush();

    const samples = await daemon.samples();
    expect(bucketsOf(samples, 'queue_batch_size', { queue: 'mail' })).toEqual({
      '0.005': 0,
      '0.01': 0,
      '0.025': 0,
      '0.05': 0,
      '0.1': 0,
      '0.25': 0,
      '0.5': 1,
      '1': 1,
      '2.5': 1,
      '5': 2,
      '10': 3,
      '+Inf': 4,
    });
    expect(valueOf(samples, 'queue_batch_size_sum', { queue: 'mail' })).toBe(110.5);
    expect(valueOf(samples, 'queue_batch_size_count', { queue: 'mail' })).toBe(4);
    expect(bucketsOf(samples, 'render_seconds', {})).toEqual({
      '0.005': 0,
      '0.01': 0,
      '0.025': 0,
      '0.05': 0,
      '0.1': 0,
      '0.25': 1,
      '0.5': 1,
      '1': 2,
      '2.5': 2,
      '5': 2,
      '10': 2,
      '+Inf': 2,
    });
    expect(valueOf(samples, 'render_seconds_sum')).toBe(0.875);
    expect(valueOf(samples, 'render_seconds_count')).toBe(2);
  });

  it('counts the distinct members a set received within one flush interval', async () => {
    // A set shows the members of the last flush interval only, so the four calls are
    // repeated until a rendering holds a whole round: then it must show exactly three.
    const seen = new Set<number | undefined>();
    let isPumping = true;
    const pump = (async () => {
      for (let round = 0; isPumping && round < SET_PUMP_MAX_ROUNDS; round++) {
        for (const member of ['alice', 'bob', 'alice', 'carol']) {
          await sent((done) => client.unique('checkout.visitors', member, { env: 'prod' }, done));
        }
      }
    })();
    try {
      await daemon.waitForSamples((samples) => {
        const distinct = valueOf(samples, 'checkout_visitors', { env: 'prod' });
        seen.add(distinct);
        return distinct === 3;
      }, 'checkout_visitors{env="prod"} to show 3 distinct members');
    } finally {
      isPumping = false;
      await pump;
    }

    // Before the first rendering with the set there is no series; never more than three.
    expect([...seen].filter((value) => value !== undefined && value > 3)).toEqual([]);
  });

  it('counts a DogStatsD event, which has no series of its own', async () => {
    const options = { alert_type: 'info' as const };
    await sent((done) =>
      client.event('deploy finished', 'version 1.2.3 rolled out', options, ['env:prod'], done),
    );
    await daemon.nextFlush();

    const samples = await daemon.samples();
    expect(valueOf(samples, 'catalyst_ingest_events_total')).toBe(1);
    expect(samples.filter((sample) => sample.name.startsWith('deploy'))).toEqual([]);
  });

  it('exposes a service check status as service_check_status{check=...}', async () => {
    const options = { hostname: 'db-1', message: 'replication lag' };
    await sent((done) =>
      client.check('db.primary', client.CHECKS.WARNING, options, { env: 'prod' }, done),
    );
    await daemon.nextFlush();

    const samples = await daemon.samples();
    expect(valueOf(samples, 'service_check_status', { check: 'db.primary', env: 'prod' })).toBe(1);
    expect(valueOf(samples, 'catalyst_ingest_service_checks_total')).toBe(1);
  });
});
