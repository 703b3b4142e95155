/**
 * collectd with its statsd plugin in and write_prometheus out. Counters become derive
 * values that keep their running sum, so loss is measured from sums, as for ours.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PeerDefinition, PeerPorts } from './peer.js';

export function collectdConfig(ports: PeerPorts): string {
  return [
    'Interval 1',
    'Hostname "bench"',
    'FQDNLookup false',
    `BaseDir "${ports.directory}"`,
    `PIDFile "${path.join(ports.directory, 'collectd.pid')}"`,
    'PluginDir "/usr/lib/collectd"',
    'TypesDB "/usr/share/collectd/types.db"',
    'LoadPlugin statsd',
    'LoadPlugin write_prometheus',
    '<Plugin statsd>',
    '  Host "127.0.0.1"',
    `  Port "${ports.udpPort}"`,
    '</Plugin>',
    '<Plugin write_prometheus>',
    '  Host "127.0.0.1"',
    `  Port "${ports.httpPort}"`,
    '</Plugin>',
    '',
  ].join('\n');
}

export const collectdPeer: PeerDefinition = {
  name: 'collectd',
  binary: '/usr/sbin/collectd',
  configure(ports) {
    const file = path.join(ports.directory, 'collectd.conf');
    writeFileSync(file, collectdConfig(ports));
    return ['-f', '-C', file];
  },
  metricsUrl: (ports) => `http://127.0.0.1:${ports.httpPort}/metrics`,
  countedPrefix: 'collectd_statsd_derive_total{statsd="bench.c',
  countedUnit: 'counterSum',
  publishIntervalMs: 1000,
};
