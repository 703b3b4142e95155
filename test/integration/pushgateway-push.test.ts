import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { valueOf, type ExpositionSample } from '../helpers/exposition.js';
import { startPrometheus, type RunningPrometheus } from '../helpers/prometheus.js';
import { push } from '../helpers/push.js';

/**
 * Pushgateway-compatible pushes as a client library or `curl --data-binary` sends them:
 * PUT/POST/DELETE /metrics/job/<job>{/<label>/<value>}, Prometheus text bodies.
 */

const TEXT = { 'content-type': 'text/plain; version=0.0.4' };

function groupSamples(samples: readonly ExpositionSample[], job: string): string[] {
  return samples
    .filter((s) => s.labels.job === job && s.name !== 'push_time_seconds')
    .map((s) => `${s.name}${JSON.stringify(s.labels)} ${s.value}`)
    .sort();
}

describe('Pushgateway-style pushes', () => {
  let daemon: RunningDaemon;
  let prometheus: RunningPrometheus;
  beforeAll(async () => {
    daemon = await startDaemon(['--workers', '2']);
    prometheus = await startPrometheus([
      { name: 'catalyst', target: `127.0.0.1:${daemon.ports.http}` },
    ]);
  }, 60_000);
  afterAll(async () => {
    await prometheus?.stop();
    expect(await daemon.stop()).toBe(0);
  });

  it('shows a PUT group with its grouping labels, push time and absolute counter', async () => {
    const body = [
      '# HELP backup_files_total Files backed up.',
      '# TYPE backup_files_total counter',
      'backup_files_total{disk="a"} 120',
      '# TYPE backup_duration_seconds histogram',
      'backup_duration_seconds_bucket{le="1"} 1',
      'backup_duration_seconds_bucket{le="+Inf"} 3',
      'backup_duration_seconds_sum 7.5',
      'backup_duration_seconds_count 3',
      '',
    ].join('\n');
    const startedSeconds = Date.now() / 1000;

    const first = await push(daemon.baseUrl, '/metrics/job/backup/instance/db1', body, TEXT, 'PUT');
    const second = await push(
      daemon.baseUrl,
      '/metrics/job/backup/instance/db1',
      body,
      TEXT,
      'PUT',
    );

    expect([first.status, second.status]).toEqual([200, 200]);
    const samples = await daemon.waitForSamples(
      (s) =>
        valueOf(s, 'backup_files_total', { job: 'backup', instance: 'db1', disk: 'a' }) === 120,
      'the pushed group',
    );
    expect(groupSamples(samples, 'backup')).toEqual([
      'backup_duration_seconds_bucket{"instance":"db1","job":"backup","le":"+Inf"} 3',
      'backup_duration_seconds_bucket{"instance":"db1","job":"backup","le":"1"} 1',
      'backup_duration_seconds_count{"instance":"db1","job":"backup"} 3',
      'backup_duration_seconds_sum{"instance":"db1","job":"backup"} 7.5',
      'backup_files_total{"disk":"a","instance":"db1","job":"backup"} 120',
    ]);
    const pushTime = valueOf(samples, 'push_time_seconds', { job: 'backup', instance: 'db1' })!;
    expect(pushTime).toBeGreaterThanOrEqual(Math.floor(startedSeconds));
    expect(pushTime).toBeLessThanOrEqual(Date.now() / 1000);
  });

  it('merges on POST, replaces on PUT and removes on DELETE', async () => {
    const path = '/metrics/job/sync';
    await push(daemon.baseUrl, path, 'sync_a 1\nsync_b 2\n', TEXT, 'PUT');
    const post = await push(daemon.baseUrl, path, 'sync_a 10\n', TEXT, 'POST');
    const afterPost = await daemon.waitForSamples(
      (s) => valueOf(s, 'sync_a', { job: 'sync' }) === 10,
      'the POSTed value',
    );
    const put = await push(daemon.baseUrl, path, 'sync_b 20\n', TEXT, 'PUT');
    const afterPut = await daemon.waitForSamples(
      (s) => valueOf(s, 'sync_b', { job: 'sync' }) === 20,
      'the PUT value',
    );
    const deleted = await push(daemon.baseUrl, path, '', {}, 'DELETE');
    const afterDelete = await daemon.waitForSamples(
      (s) => valueOf(s, 'push_time_seconds', { job: 'sync' }) === undefined,
      'the group gone',
    );

    expect([post.status, put.status, deleted.status]).toEqual([200, 200, 202]);
    expect(groupSamples(afterPost, 'sync')).toEqual([
      'sync_a{"job":"sync"} 10',
      'sync_b{"job":"sync"} 2',
    ]);
    expect(groupSamples(afterPut, 'sync')).toEqual(['sync_b{"job":"sync"} 20']);
    expect(groupSamples(afterDelete, 'sync')).toEqual([]);
  });

  it('reads base64 grouping-key values and gzip bodies', async () => {
    const response = await push(
      daemon.baseUrl,
      '/metrics/job/files/path@base64/L3Zhci90bXA',
      gzipSync('files_left 4\n'),
      { ...TEXT, 'content-encoding': 'gzip' },
      'PUT',
    );

    expect(response.status).toBe(200);
    const samples = await daemon.waitForSamples(
      (s) => valueOf(s, 'files_left', { job: 'files', path: '/var/tmp' }) === 4,
      'the base64 group',
    );
    expect(groupSamples(samples, 'files')).toEqual([
      'files_left{"job":"files","path":"/var/tmp"} 4',
    ]);
  });

  it('answers 400 for a bad body or path and leaves the group as it was', async () => {
    await push(daemon.baseUrl, '/metrics/job/kept', 'kept_value 1\n', TEXT, 'PUT');
    await daemon.waitForSamples((s) => valueOf(s, 'kept_value', { job: 'kept' }) === 1, 'kept');

    const badLine = await push(
      daemon.baseUrl,
      '/metrics/job/kept',
      'kept_value 2\nbroken\n',
      TEXT,
      'PUT',
    );
    const badGzip = await push(
      daemon.baseUrl,
      '/metrics/job/kept',
      'not gzip',
      { 'content-encoding': 'gzip' },
      'PUT',
    );
    const badPath = await push(
      daemon.baseUrl,
      '/metrics/job/kept/zone',
      'kept_value 3\n',
      TEXT,
      'PUT',
    );
    await daemon.nextFlush();

    expect(badLine).toEqual({ status: 400, body: 'line 2: expected a value\n' });
    expect(badGzip).toEqual({
      status: 400,
      body: 'body is not valid gzip, or inflates past 32 MiB\n',
    });
    expect(badPath).toEqual({ status: 400, body: 'grouping key needs a value for every label\n' });
    expect(groupSamples(await daemon.samples(), 'kept')).toEqual(['kept_value{"job":"kept"} 1']);
  });

  it('reaches a real Prometheus, the grouping job kept as exported_job', async () => {
    await push(
      daemon.baseUrl,
      '/metrics/job/nightly',
      '# TYPE rows_total counter\nrows_total 42\n',
      TEXT,
      'PUT',
    );
    await daemon.waitForSamples((s) => valueOf(s, 'rows_total', { job: 'nightly' }) === 42, 'rows');
    await prometheus.waitForScrapeAfter(Date.now());

    // Without honor_labels, Prometheus keeps the scrape job and renames the pushed one.
    const rows = await prometheus.query('rows_total{exported_job="nightly"}');
    expect(rows.map((sample) => [sample.labels.job, sample.value])).toEqual([['catalyst', 42]]);
  });
});
