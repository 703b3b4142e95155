import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { valueOf } from '../helpers/exposition.js';

describe('daemon on 127.0.0.1', () => {
  let daemon: RunningDaemon;
  beforeAll(async () => {
    daemon = await startDaemon(['--workers', '2']);
  });
  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
  });

  it('exposes a counter sent over UDP and TCP as one summed series', async () => {
    await daemon.sendUdp('smoke.hits:2|c\nsmoke.hits:3|c');
    await daemon.sendTcp('smoke.hits:5|c\n');
    await daemon.nextFlush();
    expect(valueOf(await daemon.samples(), 'smoke_hits_total')).toBe(10);
  });

  it('answers /-/healthy and /-/ready with 200 once running', async () => {
    expect((await fetch(`${daemon.baseUrl}/-/healthy`)).status).toBe(200);
    expect((await fetch(`${daemon.baseUrl}/-/ready`)).status).toBe(200);
  });
});
