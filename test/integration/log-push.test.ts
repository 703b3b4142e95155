import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { valueOf } from '../helpers/exposition.js';

// checkout, search, tailed, filtered, rotated: the services the tests before the bound test use.
const SERVICES_BEFORE_BOUND_TEST = 5;

let daemon: RunningDaemon;
let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'catalyst-log-push-'));
  daemon = await startDaemon([
    '--logs-tail-records',
    '3',
    '--logs-max-services',
    String(SERVICES_BEFORE_BOUND_TEST + 1),
    '--logs-file',
    join(directory, 'logs.ndjson'),
    '--logs-file-max-bytes',
    '1024',
    '--logs-file-max-files',
    '2',
  ]);
});

afterAll(async () => {
  await daemon.stop();
  await rm(directory, { recursive: true, force: true });
});

async function push(
  body: string | Uint8Array,
  headers: Record<string, string> = { 'content-type': 'application/x-ndjson' },
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${daemon.baseUrl}/api/v1/logs`, { method: 'POST', body, headers });
  return { status: response.status, json: await response.json() };
}

async function tail(query: string): Promise<Array<Record<string, unknown>>> {
  const response = await fetch(`${daemon.baseUrl}/api/v1/logs?${query}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { records: Array<Record<string, unknown>> }).records;
}

function lines(records: object[]): string {
  return records.map((record) => JSON.stringify(record)).join('\n');
}

describe('POST /api/v1/logs', () => {
  it('keeps the good records around a bad one and says what it refused', async () => {
    const body = [
      '{"service":"checkout","severity":"error","message":"card declined"}',
      '{"service":"checkout", broken',
      '{"service":"checkout","message":"retrying","attributes":{"try":2}}',
    ].join('\n');
    expect(await push(body)).toEqual({
      status: 202,
      json: { accepted: 2, refused: { malformed_json: 1 } },
    });

    const records = await tail('service=checkout');
    expect(records.map((record) => record.message)).toEqual(['card declined', 'retrying']);
    expect(records[1]).toMatchObject({ severity: 'unspecified', attributes: { try: 2 } });
  });

  it('takes a gzip JSON array and counts its records on /metrics', async () => {
    const array = [
      { service: 'search', severity: 'warn', message: 'slow query' },
      { service: 'search', severity: 'warn', message: 'slow again' },
    ];
    const body = gzipSync(JSON.stringify(array));
    const headers = { 'content-type': 'application/json', 'content-encoding': 'gzip' };
    expect(await push(body, headers)).toEqual({ status: 202, json: { accepted: 2, refused: {} } });

    const samples = await daemon.waitForSamples(
      (s) =>
        valueOf(s, 'catalyst_log_records_total', { service: 'search', severity: 'warn' }) === 2,
      'two search warn records counted',
    );
    expect(valueOf(samples, 'catalyst_log_received_bytes_total')).toBeGreaterThanOrEqual(
      body.length,
    );
  });

  it('answers 400 when nothing in the body is a valid record, counted by reason', async () => {
    const before = await daemon.samples();
    const missing =
      valueOf(before, 'catalyst_log_refused_total', { reason: 'missing_message' }) ?? 0;
    expect(await push('{"service":"x"}\n{"service":"y"}')).toEqual({
      status: 400,
      json: { accepted: 0, refused: { missing_message: 2 } },
    });
    await daemon.waitForSamples(
      (s) =>
        valueOf(s, 'catalyst_log_refused_total', { reason: 'missing_message' }) === missing + 2,
      'missing_message up by two',
    );
  });

  it('refuses a body over 4 MiB with 413 and a body that is not gzip with 400', async () => {
    const large = '{"service":"x","message":"' + 'a'.repeat(4 * 1024 * 1024) + '"}';
    expect((await push(large)).status).toBe(413);
    const notGzip = await push('plain text', { 'content-encoding': 'gzip' });
    expect(notGzip).toEqual({ status: 400, json: { accepted: 0, refused: { bad_gzip: 1 } } });
  });

  it('refuses a gzip bomb that inflates past the bound with 413', async () => {
    const bomb = gzipSync(Buffer.alloc(40 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(4 * 1024 * 1024);
    const response = await push(bomb, { 'content-encoding': 'gzip' });
    expect(response).toEqual({
      status: 413,
      json: { accepted: 0, refused: { body_too_large: 1 } },
    });
  });
});

describe('GET /api/v1/logs', () => {
  it('returns at most --logs-tail-records per service, newest last, within limit', async () => {
    const records = Array.from({ length: 5 }, (_, i) => ({ service: 'tailed', message: `m${i}` }));
    await push(lines(records));
    expect((await tail('service=tailed')).map((r) => r.message)).toEqual(['m2', 'm3', 'm4']);
    expect((await tail('service=tailed&limit=1')).map((r) => r.message)).toEqual(['m4']);
  });

  it('filters by lowest severity and since', async () => {
    await push(
      lines([
        { service: 'filtered', severity: 'debug', message: 'd', time: '2026-01-01T00:00:00Z' },
        { service: 'filtered', severity: 'error', message: 'old', time: '2026-01-01T00:00:00Z' },
        { service: 'filtered', severity: 'error', message: 'new', time: '2026-06-01T00:00:00Z' },
      ]),
    );
    const records = await tail('service=filtered&severity=warn&since=2026-03-01T00:00:00Z');
    expect(records).toEqual([
      {
        time: '2026-06-01T00:00:00.000Z',
        severity: 'error',
        service: 'filtered',
        message: 'new',
        attributes: {},
      },
    ]);
  });

  it('refuses a bad limit or severity with 400', async () => {
    for (const query of ['limit=0', 'limit=10001', 'limit=x', 'severity=loud']) {
      const response = await fetch(`${daemon.baseUrl}/api/v1/logs?${query}`);
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
    }
  });
});

describe('--logs-file', () => {
  it('writes every kept record as an NDJSON line, rotating under the size limit', async () => {
    const records = Array.from({ length: 40 }, (_, i) => ({
      service: 'rotated',
      message: `line ${String(i).padStart(3, '0')} ${'x'.repeat(60)}`,
    }));
    expect((await push(lines(records))).status).toBe(202);

    const path = join(directory, 'logs.ndjson');
    const deadline = Date.now() + 10_000;
    let files: string[] = [];
    while (Date.now() < deadline) {
      // The worker may rename the live file under the read: read it as empty then.
      const live = await readFile(path, 'utf8').catch(() => '');
      // The last record is written: no rotation follows, so the listing is final.
      if (live.includes('line 039')) {
        files = (await readdir(directory)).sort();
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(files).toEqual(['logs.ndjson', 'logs.ndjson.1', 'logs.ndjson.2']);

    const texts = await Promise.all(files.map((name) => readFile(join(directory, name), 'utf8')));
    for (const text of texts) expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1024);
    const newest = (await readFile(path, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(newest.at(-1)).toMatchObject({ service: 'rotated', message: records[39].message });
  });
});

describe('service bound', () => {
  it('counts services past --logs-max-services as other', async () => {
    // sixth takes the last slot; seventh and eighth are counted, and tailed, as other.
    const services = ['sixth', 'seventh', 'eighth'];
    await push(lines(services.map((service) => ({ service, message: service }))));
    const samples = await daemon.waitForSamples(
      (s) => valueOf(s, 'catalyst_log_other_service_records_total') === 2,
      'two records counted as other',
    );
    const other = { service: 'other', severity: 'unspecified' };
    expect(valueOf(samples, 'catalyst_log_records_total', other)).toBe(2);
    expect(valueOf(samples, 'catalyst_log_records_total', { ...other, service: 'sixth' })).toBe(1);
    expect((await tail('service=other')).map((r) => r.message)).toEqual(['seventh', 'eighth']);
  });
});
