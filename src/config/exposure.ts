import type { Logger } from '../log.js';
import type { DaemonConfig } from './config.js';
import { isLoopback, type ListenAddress } from './listen-address.js';

/** Logs one warning per listener bound beyond loopback: the daemon has no TLS. */
export function warnIfExposed(config: DaemonConfig, log: Logger): void {
  const listeners: Array<[string, ListenAddress | null]> = [
    ['statsd-udp', config.statsdUdp],
    ['statsd-tcp', config.statsdTcp],
    ['http', config.http],
    ['otlp-http', config.otlpHttp],
  ];
  for (const [listener, address] of listeners) {
    if (address !== null && !isLoopback(address)) {
      log.warn(
        { listener, address: address.host, port: address.port },
        'listening beyond loopback',
      );
    }
  }
}
