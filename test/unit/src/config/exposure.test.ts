import { describe, expect, it } from 'vitest';
import type { DaemonConfig } from '../../../../src/config/config.js';
import { warnIfExposed } from '../../../../src/config/exposure.js';
import type { Logger } from '../../../../src/log.js';

type Warning = [fields: Record<string, unknown>, message: string];

function warningsFor(
  addresses: Pick<DaemonConfig, 'statsdUdp' | 'statsdTcp' | 'http' | 'otlpHttp'>,
): Warning[] {
  const warnings: Warning[] = [];
  const log = {
    warn: (fields: Record<string, unknown>, message: string) => warnings.push([fields, message]),
  };
  warnIfExposed(addresses as DaemonConfig, log as unknown as Logger);
  return warnings;
}

const LOOPBACK = { host: '127.0.0.1', port: 8125 };

describe('warnIfExposed', () => {
  it('stays quiet when every listener is on loopback or off', () => {
    expect(
      warningsFor({
        statsdUdp: LOOPBACK,
        statsdTcp: { host: '::1', port: 8125 },
        http: null,
        otlpHttp: null,
      }),
    ).toEqual([]);
  });

  it('warns once per listener bound beyond loopback, naming it and the address', () => {
    expect(
      warningsFor({
        statsdUdp: { host: '0.0.0.0', port: 8125 },
        statsdTcp: LOOPBACK,
        http: { host: '10.1.2.3', port: 9102 },
        otlpHttp: { host: '0.0.0.0', port: 4318 },
      }),
    ).toEqual([
      [{ listener: 'statsd-udp', address: '0.0.0.0', port: 8125 }, 'listening beyond loopback'],
      [{ listener: 'http', address: '10.1.2.3', port: 9102 }, 'listening beyond loopback'],
      [{ listener: 'otlp-http', address: '0.0.0.0', port: 4318 }, 'listening beyond loopback'],
    ]);
  });
});
