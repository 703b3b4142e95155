import { gzipSync } from 'node:zlib';
import { pack } from 'msgpackr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { valueOf, type ExpositionSample } from '../helpers/exposition.js';
import { push } from '../helpers/push.js';

/** POST /api/v1/metrics through the real daemon: body → ring → shard → merger → /metrics. */

const PATH = '/api/v1/metrics';
const JSON_TYPE = { 'content-type': 'application/json' };

function pushedSamples(samples: readonly ExpositionSample[]): ExpositionSample[] {
  return samples.filter((s) => s.name.startsWith('pushed_'));
}

describe('the JSON push API', () => {
  let daemon: RunningDaemon;
  beforeAll(async () => {
    daemon = await startDaemon(['--workers', '2']);
  });
  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
  });

  it('shows the documented example on /metrics with exact values', async () => {
    const body = {
      samples: [
        { name: 'pushed_jobs_done', type: 'counter', value: 3, labels: { queue: 'a' } },
        { name: 'pushed_queue_depth', type: 'gauge', value: 7 },
        { name: 'pushed_job_seconds', type: 'histogram', observations: [0.2, 0.4] },
      ],
    };

    const response = await push(daemon.baseUrl, PATH, JSON.stringify(body), JSON_TYPE);

    expect(response).toEqual({ status: 200, body: { accepted: 3, refused: {} } });
    const samples = await daemon.waitForSamples(
      (s) => valueOf(s, 'pushed_job_seconds_count') === 2,
      'the pushed histogram',
    );
    expect(valueOf(samples, 'pushed_jobs_done_total', { queue: 'a' })).toBe(3);
    expect(valueOf(samples, 'pushed_queue_depth')).toBe(7);
    expect(valueOf(samples, 'pushed_job_seconds_bucket', { le: '0.1' })).toBe(0);
    expect(valueOf(samples, 'pushed_job_seconds_bucket', { le: '0.25' })).toBe(1);
    expect(valueOf(samples, 'pushed_job_seconds_bucket', { le: '0.5' })).toBe(2);
    expect(valueOf(samples, 'pushed_job_seconds_sum')).toBeCloseTo(0.6, 12);
  });

  it('adds msgpack, gzipped JSON and StatsD increments into the same counter', async () => {
    const increment = (value: number) => ({
      samples: [{ name: 'pushed_mixed', type: 'counter', value }],
    });

    const msgpack = await push(daemon.baseUrl, PATH, pack(increment(2)), {
      'content-type': 'application/msgpack',
    });
    const gzipped = await push(
      daemon.baseUrl,
      PATH,
      gzipSync(Buffer.from(JSON.stringify(increment(5)))),
      { ...JSON_TYPE, 'content-encoding': 'gzip' },
    );
    await daemon.sendUdp('pushed_mixed:10|c');

    expect([msgpack.status, gzipped.status]).toEqual([200, 200]);
    const samples = await daemon.waitForSamples(
      (s) => valueOf(s, 'pushed_mixed_total') === 17,
      'pushed_mixed_total at 17',
    );
    expect(valueOf(samples, 'pushed_mixed_total')).toBe(17);
  });

  it('keeps the valid samples of a body and reports the refused ones by reason', async () => {
    const body = {
      samples: [
        { name: 'pushed_partial_kept', type: 'gauge', value: 1.5 },
        { name: 'pushed_partial_bad', type: 'counter', value: '3' },
        { name: 'pushed_partial_odd', type: 'summary', value: 1 },
      ],
    };

    const response = await push(daemon.baseUrl, PATH, JSON.stringify(body), JSON_TYPE);

    expect(response).toEqual({
      status: 200,
      body: {
        accepted: 1,
        refused: { bad_value: 1, unknown_type: 1 },
        error: 'samples[1]: "value" must be a finite number',
      },
    });
    const samples = await daemon.waitForSamples(
      (s) => valueOf(s, 'pushed_partial_kept') === 1.5,
      'the kept gauge',
    );
    expect(samples.filter((s) => s.name.startsWith('pushed_partial_')).map((s) => s.name)).toEqual([
      'pushed_partial_kept',
    ]);
  });

  describe('bad bodies leave the samples already there untouched', () => {
    const rows: Array<{
      case: string;
      body: () => string | Uint8Array;
      headers: Record<string, string>;
      status: number;
      error: string;
    }> = [
      {
        case: 'truncated JSON',
        body: () => '{"samples":[{"name":"pushed_jobs_done","type":"counter","value":1',
        headers: JSON_TYPE,
        status: 400,
        error: 'body is not valid JSON',
      },
      {
        case: 'a wrongly typed value',
        body: () => '{"samples":[{"name":"pushed_jobs_done","type":"counter","value":[1]}]}',
        headers: JSON_TYPE,
        status: 400,
        error: 'samples[0]: "value" must be a finite number',
      },
      {
        case: 'bad gzip',
        body: () => Buffer.from('not gzip at all'),
        headers: { ...JSON_TYPE, 'content-encoding': 'gzip' },
        status: 400,
        error: 'body is not valid gzip, or inflates past 32 MiB',
      },
      {
        case: 'a body one byte over 4 MiB',
        body: () => Buffer.alloc(4 * 1024 * 1024 + 1, 0x20),
        headers: JSON_TYPE,
        status: 413,
        error: 'body exceeds 4194304 bytes',
      },
    ];
    for (const row of rows) {
      it(`answers ${row.status} for ${row.case}`, async () => {
        await daemon.nextFlush();
        const before = pushedSamples(await daemon.samples());

        const response = await push(daemon.baseUrl, PATH, row.body(), row.headers);
        await daemon.nextFlush();

        expect(response.status).toBe(row.status);
        expect((response.body as { error: string }).error).toBe(row.error);
        expect(pushedSamples(await daemon.samples())).toEqual(before);
      });
    }
  });
});

describe('the JSON push API on small rings', () => {
  let daemon: RunningDaemon;
  beforeAll(async () => {
    daemon = await startDaemon([
      '--workers',
      '1',
      '--ring-bytes',
      '65536',
      '--tcp-max-line-bytes',
      '1024',
    ]);
  });
  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
  });

  it('answers 413 for a body larger than half a ring, and counts it', async () => {
    const body = Buffer.alloc(40 * 1024, 0x20);

    const response = await push(daemon.baseUrl, PATH, body, JSON_TYPE);

    // Half of a 64 KiB ring, less the 12-byte record header.
    expect(response).toEqual({ status: 413, body: { error: 'body exceeds 32756 bytes' } });
    const samples = await daemon.waitForSamples(
      (s) => valueOf(s, 'catalyst_push_requests_total', { receiver: 'json', status: '413' }) === 1,
      'the 413 counted',
    );
    expect(
      valueOf(samples, 'catalyst_push_requests_total', { receiver: 'json', status: '413' }),
    ).toBe(1);
  });
});
