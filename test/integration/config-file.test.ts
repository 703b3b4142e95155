import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startDaemon } from '../helpers/daemon.js';
import { valueOf } from '../helpers/exposition.js';

/** The built command with a config file and CATALYST_* variables, as an operator runs it. */
const CLI = fileURLToPath(new URL('../../dist/src/cli.js', import.meta.url));

function runCli(args: string[], env: Record<string, string> = {}) {
  // Only the variables given: a CATALYST_ variable in the test's own environment must not leak.
  const result = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('catalyst-metrics with --config and CATALYST_* variables', () => {
  const directory = mkdtempSync(join(tmpdir(), 'catalyst-config-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('exits 2 from --check-config, naming the variable, value and expectation', () => {
    expect(runCli(['--check-config'], { CATALYST_FLUSH_INTERVAL_MS: '5' })).toEqual({
      status: 2,
      stdout: '',
      stderr:
        "catalyst-metrics: environment variable CATALYST_FLUSH_INTERVAL_MS has '5'; " +
        'expected an integer from 10 to 3600000\n',
    });
  });

  it('prints a configuration that --check-config accepts and prints back unchanged', () => {
    const path = join(directory, 'config.yaml');
    writeFileSync(path, 'flush-interval-ms: 500\nlog-level: warn\n');
    const printed = runCli(['--config', path, '--print-config', '--workers', '2']);
    expect(printed.status).toBe(0);
    expect(printed.stdout).toContain('flush-interval-ms: 500\n');
    expect(printed.stdout).toContain('workers: 2\n');

    const reprinted = join(directory, 'printed.yaml');
    writeFileSync(reprinted, printed.stdout);
    expect(runCli(['--config', reprinted, '--check-config'])).toEqual({
      status: 0,
      stdout: 'catalyst-metrics: configuration is valid\n',
      stderr: '',
    });
    expect(runCli(['--config', reprinted, '--print-config']).stdout).toBe(printed.stdout);
  });

  it('runs with the buckets the config file sets', async () => {
    const path = join(directory, 'buckets.yaml');
    writeFileSync(path, 'buckets: [0.25, 0.5]\nworkers: 1\n');
    const daemon = await startDaemon(['--config', path]);
    try {
      await daemon.sendUdp('request.time:300|ms');
      const samples = await daemon.waitForSamples(
        (s) => valueOf(s, 'request_time_count') === 1,
        'the timer observed',
      );
      expect(valueOf(samples, 'request_time_bucket', { le: '0.25' })).toBe(0);
      expect(valueOf(samples, 'request_time_bucket', { le: '0.5' })).toBe(1);
      expect(valueOf(samples, 'request_time_bucket', { le: '+Inf' })).toBe(1);
    } finally {
      await daemon.stop();
    }
  });
});
