import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requireBearer, resolveToken } from '../../../../src/http/auth.js';
import type { HttpExchange } from '../../../../src/http/exchange.js';
import { fakeExchange } from '../../../helpers/fake-exchange.js';

const TOKEN = 's3cret-token';
const OK = { status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok\n' };
const UNAUTHORIZED = {
  status: 401,
  headers: { 'content-type': 'text/plain', 'www-authenticate': 'Bearer realm="catalyst-metrics"' },
  body: 'unauthorized\n',
};

function okRoute(exchange: HttpExchange): void {
  exchange.respond(200, { 'content-type': 'text/plain' }, 'ok\n');
}

function call(token: string | null, authorization: string | null) {
  const headers: Record<string, string> = authorization === null ? {} : { authorization };
  const { exchange, responses } = fakeExchange({ headers });
  requireBearer(token, okRoute)(exchange);
  return responses;
}

const CASES: Record<string, { authorization: string | null; isAllowed: boolean }> = {
  'the right token': { authorization: `Bearer ${TOKEN}`, isAllowed: true },
  'the scheme in lower case': { authorization: `bearer ${TOKEN}`, isAllowed: true },
  'no Authorization header': { authorization: null, isAllowed: false },
  'an empty header': { authorization: '', isAllowed: false },
  'a wrong token of the same length': { authorization: 'Bearer s3cret-tokeX', isAllowed: false },
  'a prefix of the token': { authorization: 'Bearer s3cret', isAllowed: false },
  'the token with a suffix': { authorization: `Bearer ${TOKEN}x`, isAllowed: false },
  'Basic credentials': { authorization: `Basic ${TOKEN}`, isAllowed: false },
  'the bare token without a scheme': { authorization: TOKEN, isAllowed: false },
  'Bearer with nothing after it': { authorization: 'Bearer ', isAllowed: false },
};

describe('requireBearer', () => {
  for (const [name, { authorization, isAllowed }] of Object.entries(CASES)) {
    it(`${isAllowed ? 'runs the route for' : 'answers 401 with a Bearer challenge to'} ${name}`, () => {
      expect(call(TOKEN, authorization)).toEqual([isAllowed ? OK : UNAUTHORIZED]);
    });
  }

  it('returns the route itself when no token is configured', () => {
    expect(requireBearer(null, okRoute)).toBe(okRoute);
    expect(call(null, null)).toEqual([OK]);
  });
});

const directory = mkdtempSync(join(tmpdir(), 'catalyst-auth-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('resolveToken', () => {
  it('gives null when neither the token nor its file is set', () => {
    expect(resolveToken('--push-token', null, null)).toBeNull();
  });

  it('gives the token given on the command line', () => {
    expect(resolveToken('--push-token', TOKEN, null)).toBe(TOKEN);
  });

  it('reads the token file without its trailing newline', () => {
    const file = join(directory, 'token');
    writeFileSync(file, `${TOKEN}\n`);
    expect(resolveToken('--push-token', null, file)).toBe(TOKEN);
  });

  it('refuses both the token and its file, naming the options', () => {
    expect(() => resolveToken('--push-token', TOKEN, '/x')).toThrow(
      '--push-token and --push-token-file both given; give only one',
    );
  });

  it('refuses an empty token file, naming the option', () => {
    const file = join(directory, 'empty');
    writeFileSync(file, '\n');
    expect(() => resolveToken('--metrics-token', null, file)).toThrow(
      '--metrics-token must not be empty',
    );
  });

  it('refuses a missing token file, naming the option and the path', () => {
    const file = join(directory, 'missing');
    expect(() => resolveToken('--metrics-token', null, file)).toThrow(
      `--metrics-token-file must name a readable file, got ${file}: ENOENT`,
    );
  });
});
