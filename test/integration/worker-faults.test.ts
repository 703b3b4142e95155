import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { valueOf, type ExpositionSample } from '../helpers/exposition.js';

/**
 * Shard workers killed under load (--debug-fault-injection): each is replaced, and every
 * line sent is either on /metrics or accounted for by a counter. Every datagram holds
 * LINES_PER_DATAGRAM lines, so a lost or dropped record costs exactly that many lines.
 */

const LINES_PER_DATAGRAM = 10;
const DATAGRAMS = 600;
const DATAGRAM = 'fault.hits:1|c\n'.repeat(LINES_PER_DATAGRAM);
const KILLS: Array<{ afterDatagram: number; query: string }> = [
  { afterDatagram: 200, query: 'shard=0&fault=exit' },
  { afterDatagram: 400, query: 'shard=1&fault=throw' },
];

let daemon: RunningDaemon;

beforeAll(async () => {
  daemon = await startDaemon(['--workers', '2', '--debug-fault-injection', 'on']);
});
afterAll(async () => {
  expect(await daemon.stop()).toBe(0);
});

function accounted(samples: ExpositionSample[]): number {
  const counted = valueOf(samples, 'fault_hits_total') ?? 0;
  const lost = valueOf(samples, 'catalyst_worker_lost_records_total') ?? 0;
  const dropped = valueOf(samples, 'catalyst_ring_dropped_messages_total', { transport: 'udp' });
  return counted + (lost + (dropped ?? 0)) * LINES_PER_DATAGRAM;
}

describe('a shard worker killed under load', () => {
  it('is replaced, and counted plus lost lines equal the lines sent', async () => {
    for (let i = 1; i <= DATAGRAMS; i++) {
      await daemon.sendUdp(DATAGRAM);
      const kill = KILLS.find((k) => k.afterDatagram === i);
      if (kill === undefined) continue;
      const response = await fetch(`${daemon.baseUrl}/debug/kill-worker?${kill.query}`, {
        method: 'POST',
      });
      expect(response.status).toBe(202);
    }

    const samples = await daemon.waitForSamples(
      (s) =>
        valueOf(s, 'catalyst_worker_restarts_total', { worker: 'shard' }) === KILLS.length &&
        valueOf(s, 'catalyst_ingest_datagrams_total', { transport: 'udp' }) === DATAGRAMS &&
        accounted(s) === DATAGRAMS * LINES_PER_DATAGRAM,
      'both shards replaced and every line sent counted or accounted as lost',
    );
    const failures = daemon.logs.filter((e) => e.msg === 'shard failed; starting a new generation');
    // Sorted: an exiting thread can be reported after a later throw on a loaded machine.
    const failed = failures.map((e) => [e.shard as number, e.generation as number]);
    expect(failed.sort((a, b) => a[0] - b[0])).toEqual([
      [0, 0],
      [1, 0],
    ]);
    // The log line and the counter tell the same story.
    const loggedLost = failures.reduce((sum, e) => sum + (e.count as number), 0);
    expect(valueOf(samples, 'catalyst_worker_lost_records_total')).toBe(loggedLost);
  });

  it('keeps serving after the replacements: a new line lands', async () => {
    const before = valueOf(await daemon.samples(), 'fault_hits_total') ?? 0;
    await daemon.sendUdp('fault.hits:1|c');
    await daemon.waitForSamples((s) => valueOf(s, 'fault_hits_total') === before + 1, 'one more');
  });

  it('answers 404 for the debug route when fault injection is off', async () => {
    const plain = await startDaemon();
    try {
      const response = await fetch(`${plain.baseUrl}/debug/kill-worker?shard=0`, {
        method: 'POST',
      });
      expect(response.status).toBe(404);
    } finally {
      await plain.stop();
    }
  });
});
