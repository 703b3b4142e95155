import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { valueOf } from '../helpers/exposition.js';

/**
 * Clients that send a byte at a time: over TCP StatsD (--tcp-line-timeout-ms) and over
 * HTTP (slow-loris, headers or body), on both HTTP engines. The daemon closes them within
 * its bound and serves everyone else meanwhile. Times here are bounds the daemon must keep,
 * checked with generous slack; nothing measures speed.
 */

const LINE_TIMEOUT_MS = 1500;
const REQUEST_TIMEOUT_MS = 2000;
// uWS closes an HTTP connection that has not completed a request after 10 s (compiled in,
// checked every 4 s); the wait allows twice that on a loaded machine.
const UWS_TIMEOUT_BOUND_MS = 30_000;
const SLOW_HTTP_CONNECTIONS = 50;

interface Trickle {
  socket: net.Socket;
  /** Resolves with what the daemon answered and how many bytes went out before it closed. */
  closed: Promise<{ reply: string; sentBytes: number; afterMs: number }>;
}

/** Connects and writes `text` one byte every `everyMs`, until done or closed by the peer. */
function trickle(port: number, text: string, everyMs: number, untilMs: number): Trickle {
  const socket = net.connect(port, '127.0.0.1');
  const startedAt = Date.now();
  let sent = 0;
  let reply = '';
  const timer = setInterval(() => {
    if (sent < text.length && !socket.destroyed) socket.write(text[sent++]);
  }, everyMs);
  socket.on('data', (chunk: Buffer) => (reply += chunk.toString()));
  socket.on('error', () => undefined);
  const closed = new Promise<{ reply: string; sentBytes: number; afterMs: number }>(
    (resolve, reject) => {
      const limit = setTimeout(() => {
        clearInterval(timer);
        socket.destroy();
        reject(new Error(`the daemon kept a slow client open past ${untilMs} ms`));
      }, untilMs);
      socket.once('close', () => {
        clearInterval(timer);
        clearTimeout(limit);
        resolve({ reply, sentBytes: sent, afterMs: Date.now() - startedAt });
      });
    },
  );
  return { socket, closed };
}

function isOpen(socket: net.Socket): boolean {
  return !socket.destroyed && socket.readyState === 'open';
}

describe('a TCP StatsD client that sends a byte at a time', () => {
  let daemon: RunningDaemon;
  beforeAll(async () => {
    daemon = await startDaemon(['--tcp-line-timeout-ms', String(LINE_TIMEOUT_MS)]);
  });
  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
  });

  it('is closed once a line stays unfinished past --tcp-line-timeout-ms, counted as line_timeout, while others are served', async () => {
    const port = daemon.ports.statsdTcp!;
    const idle = net.connect(port, '127.0.0.1');
    idle.on('error', () => undefined);
    // Whole lines, a byte every 50 ms: each line ends well within the timeout.
    const steady = trickle(port, 'steady.hits:1|c\n'.repeat(3), 50, 20_000);
    const slow = trickle(port, 'slow.hits:1|c\n', 250, 20_000);

    await daemon.sendTcp('beside.hits:1|c\n');
    const { sentBytes } = await slow.closed;
    // Closed before the line could end: 14 bytes at 4 a second take 3.5 s.
    expect(sentBytes).toBeLessThan('slow.hits:1|c\n'.length);

    const samples = await daemon.waitForSamples(
      (s) => valueOf(s, 'steady_hits_total') === 3 && valueOf(s, 'beside_hits_total') === 1,
      'the steady and the neighbouring lines landed',
    );
    expect(valueOf(samples, 'catalyst_ingest_refused_total', { reason: 'line_timeout' })).toBe(1);
    expect(valueOf(samples, 'slow_hits_total')).toBeUndefined();
    // Idle between lines is not a timeout: clients keep a connection open for later.
    expect(isOpen(idle)).toBe(true);
    expect(isOpen(steady.socket)).toBe(true);
    idle.end();
    steady.socket.end();
  });
});

const SLOW_HEADERS = 'POST /api/v1/metrics HTTP/1.1\r\nHost: a\r\nX-Slow: ' + 'a'.repeat(200);
const SLOW_BODY_HEADERS =
  'POST /api/v1/metrics HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n';

const HTTP_ENGINES = [
  {
    engine: 'node:http',
    args: ['--http-engine', 'node', '--http-request-timeout-ms', String(REQUEST_TIMEOUT_MS)],
    boundMs: REQUEST_TIMEOUT_MS * 10,
  },
  { engine: 'auto', args: [] as string[], boundMs: UWS_TIMEOUT_BOUND_MS },
];

describe.each(HTTP_ENGINES)('slow HTTP clients on the $engine engine', ({ args, boundMs }) => {
  let daemon: RunningDaemon;
  beforeAll(async () => {
    daemon = await startDaemon(args);
  });
  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
  });

  it(
    'closes clients trickling headers or a body within the bound, and serves pushes and scrapes meanwhile',
    async () => {
      const port = daemon.ports.http!;
      const slow: Trickle[] = [];
      for (let i = 0; i < SLOW_HTTP_CONNECTIONS; i++) {
        slow.push(trickle(port, SLOW_HEADERS, 250, boundMs));
      }
      // Headers at once, then the body a byte at a time.
      const slowBody = trickle(port, '{'.repeat(200), 250, boundMs);
      slowBody.socket.write(SLOW_BODY_HEADERS);

      const push = await fetch(`${daemon.baseUrl}/api/v1/metrics`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ samples: [{ name: 'served_meanwhile', type: 'gauge', value: 5 }] }),
      });
      expect(push.status).toBe(200);
      await daemon.waitForSamples(
        (s) => valueOf(s, 'served_meanwhile') === 5,
        'a push landed while slow clients were connected',
      );

      const outcomes = await Promise.all([...slow, slowBody].map((client) => client.closed));
      for (const outcome of outcomes) {
        expect(outcome.sentBytes).toBeLessThan(SLOW_HEADERS.length);
        // node:http says why before closing; uWS closes without a word.
        if (args.includes('node')) expect(outcome.reply).toMatch(/^HTTP\/1\.1 408 /);
      }
      expect((await fetch(`${daemon.baseUrl}/-/healthy`)).status).toBe(200);
    },
    UWS_TIMEOUT_BOUND_MS + 10_000,
  );
});
