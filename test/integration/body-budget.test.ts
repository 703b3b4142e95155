import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { valueOf } from '../helpers/exposition.js';

/**
 * --push-max-inflight-bytes bounds the request-body bytes held at once over all requests,
 * on both HTTP engines: each body is within its own limit, but many at once are not.
 */

const MiB = 1024 * 1024;
const BUDGET_BYTES = 8 * MiB;
const WAIT_MS = 10_000;

interface Uploader {
  socket: net.Socket;
  reply: () => string;
}

/** Declares a body of 4 MiB less 2 KiB and sends only the first `sentBytes` of it. */
function startUpload(port: number, sentBytes: number): Uploader {
  const socket = net.connect(port, '127.0.0.1');
  let reply = '';
  socket.on('data', (chunk: Buffer) => (reply += chunk.toString()));
  socket.on('error', () => undefined);
  socket.write(
    'POST /api/v1/metrics HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${4 * MiB - 2048}\r\n\r\n`,
  );
  socket.write(Buffer.alloc(sentBytes, 0x20));
  return { socket, reply: () => reply };
}

async function until(isDone: () => boolean, describe: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!isDone()) {
    if (Date.now() > deadline) throw new Error(`not within ${WAIT_MS} ms: ${describe}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const ENGINES = [
  { engine: 'auto', args: [] as string[] },
  { engine: 'node:http', args: ['--http-engine', 'node'] },
];

describe.each(ENGINES)('--push-max-inflight-bytes on the $engine engine', ({ args }) => {
  let daemon: RunningDaemon;
  beforeAll(async () => {
    daemon = await startDaemon([...args, '--push-max-inflight-bytes', String(BUDGET_BYTES)]);
  });
  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
  });

  it('answers 503 to the body that would pass the budget, serves small pushes, and recovers once bodies end', async () => {
    const port = daemon.ports.http!;
    // Three unfinished 3 MiB bodies against 8 MiB: whichever crosses it first is refused.
    const uploads = [0, 1, 2].map(() => startUpload(port, 3 * MiB));
    await until(() => uploads.some((upload) => upload.reply() !== ''), 'one upload answered');
    const answered = uploads.filter((upload) => upload.reply() !== '');
    expect(answered).toHaveLength(1);
    expect(answered[0].reply()).toMatch(/^HTTP\/1\.1 503 /);
    expect(answered[0].reply()).toContain('too many request bodies in flight; retry later');

    const small = JSON.stringify({
      samples: [{ name: 'beside_uploads', type: 'gauge', value: 3 }],
    });
    const push = (body: string) =>
      fetch(`${daemon.baseUrl}/api/v1/metrics`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    expect((await push(small)).status).toBe(200);

    // Clients gone: their bytes go back, and a body of 3 MiB (JSON padded) fits again.
    for (const upload of uploads) upload.socket.destroy();
    const padded = JSON.stringify({
      samples: [{ name: 'after_uploads', type: 'gauge', value: 4 }],
    }).padEnd(3 * MiB, ' ');
    // The daemon may read a retry before it sees the closes: retries are bounded and counted.
    let status = 0;
    let busyRetries = 0;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      status = (await push(padded)).status;
      if (status === 503) busyRetries++;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);

    const samples = await daemon.waitForSamples(
      (s) => valueOf(s, 'after_uploads') === 4 && valueOf(s, 'beside_uploads') === 3,
      'both pushes landed',
    );
    expect(
      valueOf(samples, 'catalyst_push_requests_total', { receiver: 'json', status: '503' }),
    ).toBe(1 + busyRetries);
  });
});
