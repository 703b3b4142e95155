import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.js';

/** --admin-token-file guards POST /-/reload and every /debug route of the built daemon. */

const ADMIN_TOKEN = 'admin-token-from-file';
const PUSH_TOKEN = 'push-token';

let daemon: RunningDaemon;
let directory: string;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'catalyst-admin-'));
  const tokenFile = join(directory, 'admin-token');
  writeFileSync(tokenFile, `${ADMIN_TOKEN}\n`);
  daemon = await startDaemon([
    '--admin-token-file',
    tokenFile,
    '--push-token',
    PUSH_TOKEN,
    '--debug-fault-injection',
    'on',
  ]);
});
afterAll(async () => {
  expect(await daemon.stop()).toBe(0);
  rmSync(directory, { recursive: true, force: true });
});

const ROUTES = [
  { method: 'POST', path: '/-/reload', status: 200 },
  { method: 'GET', path: '/debug/cardinality', status: 200 },
  // A shard that does not exist: the token is checked, and no worker is harmed.
  { method: 'POST', path: '/debug/kill-worker?shard=99', status: 400 },
];

describe('--admin-token-file', () => {
  it.each(ROUTES)(
    'answers 401 to $method $path without the admin token, or with the push token',
    async ({ method, path }) => {
      const bare = await fetch(`${daemon.baseUrl}${path}`, { method });
      expect(bare.status).toBe(401);
      expect(bare.headers.get('www-authenticate')).toBe('Bearer realm="catalyst-metrics"');
      const pushToken = { authorization: `Bearer ${PUSH_TOKEN}` };
      expect((await fetch(`${daemon.baseUrl}${path}`, { method, headers: pushToken })).status).toBe(
        401,
      );
    },
  );

  it.each(ROUTES)(
    'serves $method $path with the token from the file',
    async ({ method, path, status }) => {
      const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
      expect((await fetch(`${daemon.baseUrl}${path}`, { method, headers })).status).toBe(status);
    },
  );

  it('leaves /metrics and the health routes open', async () => {
    for (const path of ['/metrics', '/-/healthy', '/-/ready']) {
      expect((await fetch(`${daemon.baseUrl}${path}`)).status).toBe(200);
    }
  });
});
