import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { valueOf, type ExpositionSample } from '../helpers/exposition.js';
import { MAX_UNFOLDED_DELTAS } from '../../src/ring/merge-progress.js';

/**
 * The merger thread under faults (--debug-fault-injection): ended or thrown out of, it is
 * replaced and every shard re-attached; slowed below the flush rate, the shards hold epochs
 * back instead of queueing deltas, and nothing accepted is lost.
 */

const directory = mkdtempSync(join(tmpdir(), 'catalyst-merger-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

// Restarts back off and a loaded machine is slow: wait generously, never sleep blindly.
const GENEROUS_MS = 60_000;

async function injectMergerFault(daemon: RunningDaemon, query: string): Promise<void> {
  const response = await fetch(`${daemon.baseUrl}/debug/merger-fault?${query}`, {
    method: 'POST',
  });
  expect(response.status).toBe(202);
}

function mergerRestarts(samples: ExpositionSample[]): number | undefined {
  return valueOf(samples, 'catalyst_worker_restarts_total', { worker: 'merger' });
}

describe('a merger that fails', () => {
  it('is replaced under load; /metrics answers throughout; what it lost is counted exactly', async () => {
    const daemon = await startDaemon(['--workers', '2', '--debug-fault-injection', 'on']);
    try {
      for (let i = 0; i < 100; i++) await daemon.sendUdp('before.kill:1|c\n'.repeat(10));
      await daemon.waitForSamples(
        (s) => valueOf(s, 'before_kill_total') === 1000,
        'the first load folded by the first merger',
        GENEROUS_MS,
      );
      await injectMergerFault(daemon, 'fault=exit');
      const deadline = Date.now() + GENEROUS_MS;
      while (!daemon.logs.some((entry) => entry.msg === 'merger failed; starting a new one')) {
        if (Date.now() > deadline) throw new Error('the merger did not fail in time');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }

      // Load from the moment it is gone: no line of it can be in the dead merger's state.
      const statuses = new Set<number>();
      for (let i = 1; i <= 200; i++) {
        await daemon.sendUdp('load.hits:1|c\n'.repeat(10));
        if (i % 20 === 0) statuses.add((await daemon.scrapeRaw()).status);
      }
      // Each of those datagrams is one ring record of ten lines: counted by the new merger,
      // or in a delta posted to the dead one and counted lost when the shard re-attached.
      const received = (s: ExpositionSample[]): number =>
        (valueOf(s, 'catalyst_ingest_datagrams_total', { transport: 'udp' }) ?? 0) - 100;
      const accounted = (s: ExpositionSample[]): number =>
        (valueOf(s, 'load_hits_total') ?? 0) +
        10 * (valueOf(s, 'catalyst_worker_lost_records_total') ?? 0);
      const samples = await daemon.waitForSamples(
        (s) => mergerRestarts(s) === 1 && received(s) === 200 && accounted(s) === 2000,
        'every line of the load counted or counted as lost',
        GENEROUS_MS,
      );
      expect(valueOf(samples, 'catalyst_ring_dropped_messages_total', { transport: 'udp' })).toBe(
        0,
      );
      // The last rendering is served while the replacement starts: never a 503.
      expect([...statuses]).toEqual([200]);
      expect(valueOf(samples, 'catalyst_worker_restarts_total', { worker: 'shard' })).toBe(0);
      const messages = daemon.logs.map((entry) => entry.msg);
      expect(messages.filter((msg) => msg === 'merger failed; starting a new one')).toHaveLength(1);
      expect(messages.filter((msg) => msg === 'merger replaced')).toHaveLength(1);

      // Both shards ship to the new merger: counts from each land (TCP spreads over both).
      const before = valueOf(samples, 'after_kill_total') ?? 0;
      for (let i = 0; i < 6; i++) await daemon.sendTcp('after.kill:1|c\n');
      await daemon.waitForSamples(
        (s) => valueOf(s, 'after_kill_total') === before + 6,
        'six new lines counted by the new merger',
        GENEROUS_MS,
      );
    } finally {
      expect(await daemon.stop()).toBe(0);
    }
  });

  it('with --state-file, the replacement starts from the last periodic write', async () => {
    const stateFile = join(directory, 'merger.state');
    const daemon = await startDaemon(['--state-file', stateFile, '--debug-fault-injection', 'on']);
    try {
      await daemon.sendTcp('kept.hits:1|c\n'.repeat(50));
      await daemon.waitForSamples((s) => valueOf(s, 'kept_hits_total') === 50, 'fifty counted');
      // The state is written every 10 s after a fold: wait for a write that holds the fifty.
      const countedAtMs = Date.now();
      await daemon.waitForSamples(
        () => writtenAtMs(stateFile) > countedAtMs,
        'a periodic state write after the fifty were counted',
        GENEROUS_MS,
      );

      await injectMergerFault(daemon, 'fault=throw');
      await daemon.waitForSamples(
        (s) => mergerRestarts(s) === 1 && valueOf(s, 'kept_hits_total') === 50,
        'the replacement restored fifty from the state file',
        GENEROUS_MS,
      );
      await daemon.sendTcp('kept.hits:1|c\n'.repeat(5));
      await daemon.waitForSamples(
        (s) => valueOf(s, 'kept_hits_total') === 55,
        'counting on from fifty',
        GENEROUS_MS,
      );
    } finally {
      expect(await daemon.stop()).toBe(0);
    }
  });
});

describe('a merger that hangs or fails at shutdown', () => {
  it(
    'is replaced when it folds nothing while ticks keep coming, and counted',
    async () => {
      const daemon = await startDaemon(['--workers', '2', '--debug-fault-injection', 'on']);
      try {
        await daemon.sendTcp('hang.hits:1|c\n'.repeat(10));
        await daemon.waitForSamples((s) => valueOf(s, 'hang_hits_total') === 10, 'ten counted');
        // One fold that blocks for a minute: the thread is alive, and folds nothing.
        await injectMergerFault(daemon, 'fault=slow&delay-ms=60000');
        await daemon.sendTcp('hang.hits:1|c\n');

        await daemon.waitForSamples(
          (s) => mergerRestarts(s) === 1,
          'the hung merger replaced',
          2 * GENEROUS_MS,
        );
        const messages = daemon.logs.map((entry) => entry.msg);
        expect(messages.filter((msg) => msg === 'merger failed; starting a new one')).toHaveLength(
          1,
        );
        await daemon.sendTcp('after.hang:1|c\n'.repeat(3));
        await daemon.waitForSamples(
          (s) => valueOf(s, 'after_hang_total') === 3,
          'the replacement counts',
          GENEROUS_MS,
        );
      } finally {
        expect(await daemon.stop()).toBe(0);
      }
    },
    4 * GENEROUS_MS,
  );

  it('exits 0 when SIGTERM comes while a replacement is starting', async () => {
    const daemon = await startDaemon(['--workers', '2', '--debug-fault-injection', 'on']);
    await injectMergerFault(daemon, 'fault=exit');
    const deadline = Date.now() + GENEROUS_MS;
    while (!daemon.logs.some((entry) => entry.msg === 'merger failed; starting a new one')) {
      if (Date.now() > deadline) throw new Error('the merger did not fail in time');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }

    // The replacement is backing off or starting now; the daemon's own stop timer is 10 s.
    expect(await daemon.stop()).toBe(0);
    expect(daemon.logs.some((entry) => entry.msg === 'stopped')).toBe(true);
  });
});

describe('a merger slower than the flush interval', () => {
  it('gets held-back epochs instead of a growing queue, and counts stay exact', async () => {
    const daemon = await startDaemon(['--workers', '2', '--debug-fault-injection', 'on']);
    try {
      // Four times the flush interval per fold: without holding back, deltas would pile up.
      await injectMergerFault(daemon, 'fault=slow&delay-ms=400');
      const LINES = 20;
      let maxBacklog = 0;
      for (let burst = 0; burst < 20; burst++) {
        await daemon.sendTcp('slow.hits:1|c\n'.repeat(LINES));
        const samples = await daemon.samples();
        maxBacklog = Math.max(maxBacklog, valueOf(samples, 'catalyst_merge_backlog_epochs') ?? 0);
      }
      await daemon.waitForSamples(
        (s) => (valueOf(s, 'catalyst_shard_held_epochs_total') ?? 0) > 0,
        'shards held epochs back while the merger was slow',
        GENEROUS_MS,
      );

      await injectMergerFault(daemon, 'fault=slow&delay-ms=0');
      const samples = await daemon.waitForSamples(
        (s) =>
          valueOf(s, 'slow_hits_total') === 20 * LINES &&
          (valueOf(s, 'catalyst_merge_backlog_epochs') ?? Infinity) <= 1,
        'every line counted once the merger caught up',
        GENEROUS_MS,
      );
      expect(maxBacklog).toBeGreaterThan(0);
      // What holding back is for: the backlog stays within the gate's wait plus the deltas a
      // shard may have unfolded (maxWaitEpochs is 50 at --flush-interval-ms 100).
      expect(maxBacklog).toBeLessThanOrEqual(50 + MAX_UNFOLDED_DELTAS + 1);
      expect(valueOf(samples, 'catalyst_worker_lost_records_total')).toBe(0);
    } finally {
      expect(await daemon.stop()).toBe(0);
    }
  });
});

function writtenAtMs(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}
