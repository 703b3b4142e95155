import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { parseExposition, valueOf } from '../helpers/exposition.js';

/**
 * Many scrapers that stop reading a large /metrics body: past --max-concurrent-scrapes,
 * responses being written, the next scrape is refused with 503 and counted, not queued.
 * After --scrape-write-timeout-ms without progress the stalled responses are cut and
 * counted, and their places free up though those readers never leave.
 * The body must outgrow the loopback socket buffers (a few MiB) for a reader that does not
 * read to hold its response open: long label values make it so with few series.
 */

const MAX_SCRAPES = 3;
const SLOW_READERS = 6;
const SERIES = 4000;
// Long enough for the refused scrapes to be answered first on a loaded machine.
const WRITE_TIMEOUT_MS = 5000;
const LABEL_VALUE = 'v'.repeat(3000);
// A loaded machine is slow: wait generously, never sleep blindly.
const GENEROUS_MS = 60_000;

/** Sends GET /metrics, takes the first chunk of the answer, then stops reading. */
function openStalledScrape(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write('GET /metrics HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n');
    });
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      expect(chunk.toString('latin1', 0, 12)).toBe('HTTP/1.1 200');
      resolve(socket);
    });
    socket.on('error', reject);
  });
}

async function statusOfScrape(daemon: RunningDaemon): Promise<[number, string | null]> {
  const response = await fetch(`${daemon.baseUrl}/metrics`);
  await response.arrayBuffer();
  return [response.status, response.headers.get('retry-after')];
}

// Both engines: uWS writes with tryEnd/onWritable, node:http through its socket stream.
describe.each(['auto', 'node'])('a scrape storm of slow readers (--http-engine %s)', (engine) => {
  it(
    'holds at most the bound of responses open, refuses the rest with 503, cuts the stalled ones',
    async () => {
      const daemon = await startDaemon([
        '--http-engine',
        engine,
        '--max-concurrent-scrapes',
        String(MAX_SCRAPES),
        '--scrape-write-timeout-ms',
        String(WRITE_TIMEOUT_MS),
        // A rendering of this size every 100 ms would busy the merger for nothing here.
        '--flush-interval-ms',
        '1000',
      ]);
      const stalled: net.Socket[] = [];
      try {
        let lines = '';
        for (let i = 0; i < SERIES; i++) lines += `storm.series:1|c|#id:${i},pad:${LABEL_VALUE}\n`;
        await daemon.sendTcp(lines);
        await daemon.waitForSamples(
          (s) => valueOf(s, 'catalyst_ingest_samples_total') === SERIES,
          'every series rendered',
          GENEROUS_MS,
        );

        for (let i = 0; i < MAX_SCRAPES; i++)
          stalled.push(await openStalledScrape(daemon.ports.http));
        const refused: Array<[number, string | null]> = [];
        for (let i = MAX_SCRAPES; i < SLOW_READERS; i++) refused.push(await statusOfScrape(daemon));
        expect(refused).toEqual(
          Array.from({ length: SLOW_READERS - MAX_SCRAPES }, () => [503, '1']),
        );

        // The stalled readers stay connected: the write timeout cuts them and frees their places.
        let refusedWhileLeaving = 0;
        const deadline = Date.now() + GENEROUS_MS;
        while (Date.now() < deadline) {
          const response = await daemon.scrapeRaw();
          if (response.status !== 200) {
            refusedWhileLeaving++;
          } else {
            // The count reaches /metrics with the next flush after the refusal.
            const samples = parseExposition(response.body.toString());
            const counted = valueOf(samples, 'catalyst_http_scrapes_refused_total');
            const cut = valueOf(samples, 'catalyst_http_scrapes_cut_total');
            if (counted === SLOW_READERS - MAX_SCRAPES + refusedWhileLeaving && cut === MAX_SCRAPES)
              return;
            expect(counted).toBeLessThanOrEqual(SLOW_READERS - MAX_SCRAPES + refusedWhileLeaving);
            expect(cut).toBeLessThanOrEqual(MAX_SCRAPES);
          }
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        throw new Error('the stalled readers were not cut, or the refusals not counted, in time');
      } finally {
        for (const socket of stalled) socket.destroy();
        expect(await daemon.stop()).toBe(0);
      }
    },
    2 * GENEROUS_MS,
  );
});
