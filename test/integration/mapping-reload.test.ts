import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { valueOf } from '../helpers/exposition.js';

const FIRST_RULES = `
mappings:
  - match: "app.*.hits"
    name: "app_hits"
    labels: { route: "$1" }
  - match: "app.debug.*"
    action: drop
catalyst:
  aggregations:
    - metric: app_hits
      drop_labels: [pod]
`;
// The first rules plus one: every series the first rules described is still described.
const SECOND_RULES = `${FIRST_RULES.replace('mappings:', 'mappings:\n  - match: "app.*.errors"\n    name: "app_errors"\n    labels: { route: "$1" }')}`;

// TCP, not UDP: the flood test may run beside this one, and loopback drops datagrams of
// every socket when its backlog overflows. Reload is what is tested here, not UDP.
describe('mapping file in the running daemon', () => {
  let daemon: RunningDaemon;
  let path: string;
  beforeAll(async () => {
    path = join(mkdtempSync(join(tmpdir(), 'cm-reload-')), 'mapping.yml');
    writeFileSync(path, FIRST_RULES);
    daemon = await startDaemon(['--workers', '2', '--mapping-config', path]);
  });
  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
  });

  it('adds up pods into one series and counts what a drop rule discards', async () => {
    await daemon.sendTcp('app.home.hits:1|c|#pod:a\napp.home.hits:2|c|#pod:b\napp.debug.x:1|c\n');
    const samples = await daemon.waitForSamples(
      (s) => valueOf(s, 'app_hits_total', { route: 'home' }) === 3,
      'app_hits_total{route="home"} at 3',
    );
    expect(samples.filter((s) => s.name === 'app_hits_total')).toHaveLength(1);
    expect(valueOf(samples, 'catalyst_samples_dropped_total', { reason: 'mapping_drop' })).toBe(1);
  });

  it('reloads on POST /-/reload under load without a counter going backwards', async () => {
    const before = valueOf(await daemon.samples(), 'app_hits_total', { route: 'home' })!;
    const seen: number[] = [];
    let sent = 0;
    for (let round = 0; round < 30; round++) {
      await daemon.sendTcp('app.home.hits:1|c|#pod:a\napp.home.hits:1|c|#pod:c\n');
      sent += 2;
      if (round === 10) {
        writeFileSync(path, SECOND_RULES);
        const response = await fetch(`${daemon.baseUrl}/-/reload`, { method: 'POST' });
        expect([response.status, await response.text()]).toEqual([200, 'reloaded\n']);
      }
      seen.push(valueOf(await daemon.samples(), 'app_hits_total', { route: 'home' }) ?? -1);
    }
    // A worker that lags behind the ring may read its copy of the rules after lines sent
    // later; the rules then apply from its next flush. Resend until the new rule shows.
    for (let attempt = 0; attempt < 50; attempt++) {
      await daemon.sendTcp('app.home.errors:1|c\n');
      const now = await daemon.samples();
      if (valueOf(now, 'app_errors_total', { route: 'home' }) !== undefined) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const after = await daemon
      .waitForSamples(
        (s) =>
          valueOf(s, 'app_hits_total', { route: 'home' }) === before + sent &&
          valueOf(s, 'app_errors_total', { route: 'home' })! >= 1,
        'every hit and the newly mapped error',
      )
      .catch(async (error: Error) => {
        const now = await daemon.samples();
        const hits = valueOf(now, 'app_hits_total', { route: 'home' });
        const errors = valueOf(now, 'app_errors_total', { route: 'home' });
        const names = now.filter((x) => x.name.includes('error')).map((x) => x.name);
        const problems = daemon.logs.filter((l) => Number(l.level) >= 40).map((l) => l.msg);
        throw new Error(
          `${error.message}; hits ${hits} of ${before + sent}, errors ${errors}, ` +
            `names ${names.join(' ')}, logs ${problems.join('; ')}`,
        );
      });

    const decreases = seen.filter((value, i) => i > 0 && value < seen[i - 1]);
    expect(decreases).toEqual([]);
    expect(valueOf(after, 'catalyst_config_reloads_total', { outcome: 'success' })).toBe(1);
  });

  it('keeps the rules in force when a reload finds a bad file, and counts it', async () => {
    writeFileSync(path, 'mappings:\n  - match: "app.*.hits"\n    nmae: "typo"\n');
    const response = await fetch(`${daemon.baseUrl}/-/reload`, { method: 'POST' });
    expect([response.status, await response.text()]).toEqual([
      500,
      `--mapping-config ${path}: mappings[0].nmae is not a supported key\n`,
    ]);

    const before = valueOf(await daemon.samples(), 'app_hits_total', { route: 'home' })!;
    await daemon.sendTcp('app.home.hits:1|c|#pod:z\n');
    const samples = await daemon.waitForSamples(
      (s) => valueOf(s, 'app_hits_total', { route: 'home' }) === before + 1,
      'the hit still mapped by the old rules',
    );
    expect(valueOf(samples, 'catalyst_config_reloads_total', { outcome: 'failure' })).toBe(1);
  });

  it('reloads on SIGHUP', async () => {
    writeFileSync(path, SECOND_RULES);
    daemon.process.kill('SIGHUP');
    await daemon.waitForSamples(
      (s) => valueOf(s, 'catalyst_config_reloads_total', { outcome: 'success' }) === 2,
      'a second successful reload',
    );
  });

  it('answers GET /debug/cardinality with metrics by series count', async () => {
    const response = await fetch(`${daemon.baseUrl}/debug/cardinality`);
    const report = (await response.json()) as {
      seriesCount: number;
      metrics: Array<{ name: string; series: number; labels: unknown[] }>;
    };
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(report.metrics.find((m) => m.name === 'app_hits_total')).toEqual({
      name: 'app_hits_total',
      series: 1,
      labels: [{ name: 'route', distinctValues: 1 }],
    });
    expect(report.seriesCount).toBe(2);
  });

  it('answers 200 only once every worker maps by the new rules: the next line uses them', async () => {
    const third = SECOND_RULES.replace(
      'mappings:',
      'mappings:\n  - match: "app.*.misses"\n    name: "app_misses"\n    labels: { route: "$1" }',
    );
    writeFileSync(path, third);
    const response = await fetch(`${daemon.baseUrl}/-/reload`, { method: 'POST' });
    expect([response.status, await response.text()]).toEqual([200, 'reloaded\n']);

    // Sent once, on whichever worker: no resending, unlike the reload under load above.
    await daemon.sendTcp('app.home.misses:1|c\n');
    const samples = await daemon.waitForSamples(
      (s) => valueOf(s, 'app_misses_total', { route: 'home' }) === 1,
      'app_misses_total{route="home"} at 1',
    );
    expect(samples.some((s) => s.name === 'app_home_misses_total')).toBe(false);
  });
});
