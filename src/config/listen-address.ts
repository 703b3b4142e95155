import { isIP } from 'node:net';

/** Where a listener binds. */
export interface ListenAddress {
  host: string;
  port: number;
}

/**
 * `HOST:PORT`, `[IPv6]:PORT`, `:PORT` (every interface, as statsd_exporter and Go read
 * it) or `off`. Returns null for `off`; throws an Error whose message says what is expected.
 */
export function parseListenAddress(text: string): ListenAddress | null {
  const value = text.trim();
  if (value === 'off') return null;

  const colon = value.lastIndexOf(':');
  if (colon < 0) throw new Error('expected HOST:PORT, :PORT or off');
  let host = value.slice(0, colon);
  const portText = value.slice(colon + 1);

  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) {
    throw new Error('expected a port from 0 to 65535 after the last ":"');
  }
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (host === '') host = '0.0.0.0';
  if (host !== 'localhost' && isIP(host) === 0) {
    throw new Error('expected an IP address or "localhost" before the port');
  }
  return { host, port: Number(portText) };
}

export function formatListenAddress(address: ListenAddress | null): string {
  if (address === null) return 'off';
  return isIP(address.host) === 6
    ? `[${address.host}]:${address.port}`
    : `${address.host}:${address.port}`;
}

/** Loopback only: 127.0.0.0/8, ::1 and localhost. Anything else is reachable from outside. */
export function isLoopback(address: ListenAddress): boolean {
  return address.host === 'localhost' || address.host === '::1' || address.host.startsWith('127.');
}
