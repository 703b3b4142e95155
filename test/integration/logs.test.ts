import { describe, expect, it } from 'vitest';
import { startDaemon } from '../helpers/daemon.js';
import { valueOf } from '../helpers/exposition.js';

/** What an operator reads on stdout: start-up lines at info, rate-limited bad input at debug. */
describe('daemon logs', () => {
  it('logs each listener with its address, the worker count and the HTTP engine at start', async () => {
    const daemon = await startDaemon(['--workers', '2']);
    try {
      const byMessage = (msg: string) => daemon.logs.filter((entry) => entry.msg === msg);
      expect(byMessage('starting')[0]).toMatchObject({ level: 30, workers: 2 });
      expect(byMessage('shards started')[0]).toMatchObject({ count: 2 });
      for (const [msg, port] of [
        ['statsd udp listening', daemon.ports.statsdUdp],
        ['statsd tcp listening', daemon.ports.statsdTcp],
      ] as const) {
        expect(byMessage(msg)).toEqual([expect.objectContaining({ address: '127.0.0.1', port })]);
      }
      // Two HTTP listeners: --http and the OTLP one (--otlp-http).
      expect(byMessage('http listening')).toEqual([
        expect.objectContaining({
          component: 'http',
          address: '127.0.0.1',
          port: daemon.ports.http,
        }),
        expect.objectContaining({
          component: 'http.otlp',
          address: '127.0.0.1',
          port: daemon.ports.otlpHttp,
        }),
      ]);
      expect(byMessage('http listening')[0].engine).toEqual(expect.any(String));
      expect(daemon.logs.every((entry) => (entry.level as number) >= 30)).toBe(true);
    } finally {
      await daemon.stop();
    }
  });

  it('logs refused lines at debug, at most 10 per reason per minute, and counts them all', async () => {
    const daemon = await startDaemon(['--log-level', 'debug', '--workers', '1']);
    try {
      const badLines = Array.from({ length: 15 }, (_, i) => `bad${i}:x|c`);
      await daemon.sendUdp(`${badLines.join('\n')}\nweird:1|zz\ngood:1|c`);
      await daemon.waitForSamples(
        (s) => valueOf(s, 'good_total') === 1 && valueOf(s, 'catalyst_ingest_samples_total') === 1,
        'the datagram processed',
      );

      // Workers write to the same stdout pipe; give its last lines a bounded moment to arrive.
      const badLineLogsNow = () => daemon.logs.filter((entry) => entry.msg === 'bad statsd line');
      const deadline = Date.now() + 10_000;
      while (badLineLogsNow().length < 11 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const badLineLogs = badLineLogsNow();
      expect(badLineLogs.map((entry) => [entry.reason, entry.line])).toEqual([
        ...badLines.slice(0, 10).map((line) => ['bad_value', line]),
        ['unknown_type', 'weird:1|zz'],
      ]);
      expect(badLineLogs[0]).toMatchObject({ level: 20, component: 'shard', transport: 'udp' });
      const errors = await daemon.samples();
      expect(
        valueOf(errors, 'catalyst_parse_errors_total', { transport: 'udp', reason: 'bad_value' }),
      ).toBe(15);
    } finally {
      await daemon.stop();
    }
  });
});
