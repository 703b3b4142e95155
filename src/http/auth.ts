import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import type { HttpExchange } from './exchange.js';

export type Route = (exchange: HttpExchange) => void;

/**
 * Bearer-token guard for a route. With a token, a request without `Authorization: Bearer
 * <token>` gets 401 and a `WWW-Authenticate: Bearer` challenge, and the route never runs
 * (a push body is not even read). Without one (null), the route is returned unchanged.
 *
 * Push receivers wrap their routes with the push token:
 *
 *   '/api/v1/push': { POST: requireBearer(pushToken, createPushRoute(...)) }
 */
export function requireBearer(token: string | null, route: Route): Route {
  if (token === null) return route;
  const expected = digestOf(token);
  return (exchange) => {
    if (!isBearer(exchange.header('authorization'), expected)) {
      exchange.respond(
        401,
        { 'content-type': 'text/plain', 'www-authenticate': 'Bearer realm="catalyst-metrics"' },
        'unauthorized\n',
      );
      return;
    }
    route(exchange);
  };
}

const BEARER_PREFIX = /^Bearer +/i;

function isBearer(header: string, expected: Buffer): boolean {
  const prefix = BEARER_PREFIX.exec(header);
  if (prefix === null) return false;
  // Compare digests, not the tokens: equal lengths for timingSafeEqual, and the time taken
  // says nothing about how much of the token matched or how long it is.
  return timingSafeEqual(digestOf(header.slice(prefix[0].length).trim()), expected);
}

function digestOf(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * The token an option pair gives: the value of `--x-token`, or the first line of the file
 * `--x-token-file` names, or null when neither is set. Both, an empty token or an unreadable
 * file stop the daemon at start, naming the option.
 */
export function resolveToken(
  flag: string,
  token: string | null,
  tokenFile: string | null,
): string | null {
  if (token !== null && tokenFile !== null) {
    throw new ConfigError(`${flag} and ${flag}-file both given; give only one`);
  }
  let value = token;
  if (tokenFile !== null) {
    try {
      value = readFileSync(tokenFile, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      throw new ConfigError(
        `${flag}-file must name a readable file, got ${tokenFile}: ${(error as Error).message}`,
      );
    }
  }
  if (value !== null && value.trim() === '') {
    throw new ConfigError(`${flag} must not be empty`);
  }
  return value;
}

/** Every method of every route in a table behind the same token (see requireBearer). */
export function guardRoutes<T extends Record<string, Partial<Record<string, Route>>>>(
  token: string | null,
  routes: T,
): T {
  if (token === null) return routes;
  const guarded: Record<string, Partial<Record<string, Route>>> = {};
  for (const [path, byMethod] of Object.entries(routes)) {
    guarded[path] = Object.fromEntries(
      Object.entries(byMethod).map(([method, route]) => [method, requireBearer(token, route!)]),
    );
  }
  return guarded as T;
}
