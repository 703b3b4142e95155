import { describe, expect, it } from 'vitest';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { valueOf } from '../helpers/exposition.js';

/**
 * The log worker terminated (--debug-fault-injection): it is replaced like a shard, its
 * counts carry on, and pushes are taken again.
 */

const RECORD = '{"service":"billing","severity":"info","message":"invoice sent"}';
// A loaded machine is slow: wait generously, never sleep blindly.
const GENEROUS_MS = 60_000;

async function push(daemon: RunningDaemon): Promise<number> {
  const response = await fetch(`${daemon.baseUrl}/api/v1/logs`, {
    method: 'POST',
    body: RECORD,
    headers: { 'content-type': 'application/x-ndjson' },
  });
  await response.arrayBuffer();
  return response.status;
}

function billingRecords(samples: Parameters<typeof valueOf>[0]): number | undefined {
  return valueOf(samples, 'catalyst_log_records_total', { service: 'billing', severity: 'info' });
}

describe('a log worker that is terminated', () => {
  it('is replaced and counted, and its record count carries on', async () => {
    const daemon = await startDaemon(['--debug-fault-injection', 'on']);
    try {
      expect(await push(daemon)).toBe(202);
      await daemon.waitForSamples((s) => billingRecords(s) === 1, 'one record counted');

      const killed = await fetch(`${daemon.baseUrl}/debug/kill-log-worker`, { method: 'POST' });
      expect(killed.status).toBe(202);
      await daemon.waitForSamples(
        (s) => valueOf(s, 'catalyst_worker_restarts_total', { worker: 'log' }) === 1,
        'the log worker restart counted',
        GENEROUS_MS,
      );

      // Answered 503 while the replacement starts; bounded retries until it takes the body.
      let status = 0;
      for (let attempt = 0; attempt < 100 && status !== 202; attempt++) {
        status = await push(daemon);
        if (status !== 202) await daemon.nextFlush();
      }
      expect(status).toBe(202);
      await daemon.waitForSamples(
        (s) => billingRecords(s) === 2,
        'the second record counted on top of the first',
        GENEROUS_MS,
      );
      expect(
        daemon.logs.filter((e) => e.msg === 'log worker failed; starting a new one'),
      ).toHaveLength(1);
    } finally {
      expect(await daemon.stop()).toBe(0);
    }
  });
});
