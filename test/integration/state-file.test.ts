import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startDaemon } from '../helpers/daemon.js';
import { valueOf } from '../helpers/exposition.js';

/**
 * --state-file across real restarts: what a stopped daemon had accepted is what the next
 * one starts from. TCP carries the traffic, so every byte sent has reached the daemon's
 * socket when sendTcp resolves and "accepted" is exact.
 */

const directory = mkdtempSync(join(tmpdir(), 'catalyst-state-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const BURST_LINES = 2_000;

function burst(name: string, lines: number): string {
  return `${name}:1|c\n`.repeat(lines);
}

describe('--state-file', () => {
  it('carries counters, gauges and histograms on across a restart', async () => {
    const stateFile = join(directory, 'carry.state');
    const first = await startDaemon(['--state-file', stateFile]);
    await first.sendTcp('carried.hits:5|c|#env:prod\ncarried.level:42|g\ncarried.lag:250|ms\n');
    await first.waitForSamples(
      (s) => valueOf(s, 'carried_hits_total', { env: 'prod' }) === 5,
      'the first daemon counted 5',
    );
    expect(await first.stop()).toBe(0);

    const second = await startDaemon(['--state-file', stateFile]);
    try {
      const restored = await second.samples();
      expect(valueOf(restored, 'carried_hits_total', { env: 'prod' })).toBe(5);
      expect(valueOf(restored, 'carried_level')).toBe(42);
      expect(valueOf(restored, 'carried_lag_count')).toBe(1);
      expect(valueOf(restored, 'carried_lag_sum')).toBe(0.25);
      expect(valueOf(restored, 'carried_lag_bucket', { le: '0.5' })).toBe(1);
      expect(second.logs.some((entry) => entry.msg === 'state restored')).toBe(true);

      await second.sendTcp('carried.hits:2|c|#env:prod\n');
      await second.waitForSamples(
        (s) => valueOf(s, 'carried_hits_total', { env: 'prod' }) === 7,
        'the second daemon counted on from 5 to 7',
      );
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });

  it('loses nothing accepted when SIGTERM follows a burst at once', async () => {
    const stateFile = join(directory, 'burst.state');
    const first = await startDaemon(['--state-file', stateFile]);
    await first.sendTcp(burst('burst.hits', BURST_LINES));
    expect(await first.stop()).toBe(0);

    const second = await startDaemon(['--state-file', stateFile]);
    try {
      expect(valueOf(await second.samples(), 'burst_hits_total')).toBe(BURST_LINES);
    } finally {
      await second.stop();
    }
  });

  it('refuses a foreign file, sets it aside, says why and starts empty', async () => {
    const stateFile = join(directory, 'foreign.state');
    writeFileSync(stateFile, 'this is not a state file, it is a shopping list\n');
    const daemon = await startDaemon(['--state-file', stateFile]);
    try {
      const refusal = daemon.logs.find(
        (entry) => entry.msg === 'state file refused; starting empty',
      );
      expect(refusal?.reason).toBe('not a catalyst-metrics state file (bad magic)');
      expect(readFileSync(`${stateFile}.refused`, 'utf8')).toContain('shopping list');
      expect(existsSync(stateFile)).toBe(false);

      await daemon.sendTcp('fresh.hits:1|c\n');
      await daemon.waitForSamples((s) => valueOf(s, 'fresh_hits_total') === 1, 'serving');
    } finally {
      await daemon.stop();
    }
  });

  it('refuses a file whose payload was altered after it was written', async () => {
    const stateFile = join(directory, 'altered.state');
    const first = await startDaemon(['--state-file', stateFile]);
    await first.sendTcp('altered.hits:3|c\n');
    await first.waitForSamples((s) => valueOf(s, 'altered_hits_total') === 3, 'counted 3');
    await first.stop();
    const bytes = readFileSync(stateFile);
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(stateFile, bytes);

    const second = await startDaemon(['--state-file', stateFile]);
    try {
      const refusal = second.logs.find(
        (entry) => entry.msg === 'state file refused; starting empty',
      );
      expect(refusal?.reason).toBe('checksum mismatch');
      expect(valueOf(await second.samples(), 'altered_hits_total')).toBeUndefined();
    } finally {
      await second.stop();
    }
  });
});
