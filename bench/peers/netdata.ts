/**
 * netdata's StatsD server, every data-collection plugin off so it competes with its StatsD
 * thread only. Per-metric charts stop at 1000 by default, so the suite counts the counter
 * lines netdata reports having parsed (its statsd_events chart), not sums: a line count.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PeerDefinition, PeerPorts } from './peer.js';

const DISABLED_PLUGINS = [
  'proc',
  'diskspace',
  'cgroups',
  'tc',
  'idlejitter',
  'apps',
  'python.d',
  'charts.d',
  'go.d',
  'node.d',
  'ebpf',
  'timex',
];

export function netdataConfig(ports: PeerPorts): string {
  const dir = (name: string): string => path.join(ports.directory, name);
  return [
    '[global]',
    '\trun as user = root',
    '\thostname = bench',
    '[directories]',
    `\tconfig = ${ports.directory}`,
    '\tstock config = /usr/lib/netdata/conf.d',
    `\tcache = ${dir('cache')}`,
    `\tlib = ${dir('lib')}`,
    `\tlog = ${dir('log')}`,
    `\trun = ${dir('run')}`,
    '[logs]',
    '\tdebug log = none',
    `\terror log = ${dir('log/error.log')}`,
    '\taccess log = none',
    '[web]',
    `\tbind to = 127.0.0.1:${ports.httpPort}`,
    '[statsd]',
    '\tenabled = yes',
    `\tbind to = udp:127.0.0.1:${ports.udpPort}`,
    '[plugins]',
    '\tenable running new plugins = no',
    ...DISABLED_PLUGINS.map((plugin) => `\t${plugin} = no`),
    '[ml]',
    '\tenabled = no',
    '[health]',
    '\tenabled = no',
    '[cloud]',
    '\tenabled = no',
    '',
  ].join('\n');
}

export const netdataPeer: PeerDefinition = {
  name: 'netdata',
  binary: '/usr/sbin/netdata',
  configure(ports) {
    for (const name of ['cache', 'lib', 'log', 'run']) mkdirSync(path.join(ports.directory, name));
    const file = path.join(ports.directory, 'netdata.conf');
    writeFileSync(file, netdataConfig(ports));
    return ['-D', '-c', file];
  },
  metricsUrl: (ports) =>
    `http://127.0.0.1:${ports.httpPort}/api/v1/allmetrics?format=prometheus&data=as-collected`,
  countedPrefix:
    'netdata_netdata_statsd_events_total{chart="netdata.statsd_events",family="statsd",dimension="counters"}',
  countedUnit: 'lines',
  publishIntervalMs: 1000,
  // Gauge lines are counted apart from the counter lines measured, in the same chart: a
  // reading that counts the marker counts every line parsed before it. At 100k series
  // netdata publishes its event counts seconds late; two equal reads showed 100 % loss.
  marker: {
    line: 'bench.settle_marker:1|g',
    countedPrefix:
      'netdata_netdata_statsd_events_total{chart="netdata.statsd_events",family="statsd",dimension="gauges"}',
  },
};
