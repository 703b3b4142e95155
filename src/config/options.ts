import type { DaemonConfig } from './config.js';
import { DEFAULTS, DEFAULT_BUCKETS, defaultWorkerCount } from './defaults.js';
import {
  parseAddress,
  parseBuckets,
  parseHttpEngine,
  parseInteger,
  parseLogLevel,
  parseOptionalPath,
  parseRingBytes,
} from './validate.js';

/**
 * Every option the daemon takes, once. The command line (load.ts) and --help are built
 * from this table, so a new option is one entry here.
 */
export interface OptionSpec<K extends keyof DaemonConfig = keyof DaemonConfig> {
  key: K;
  flag: string;
  /** Other spellings, e.g. statsd_exporter's; accepted, not listed first in --help. */
  aliases: string[];
  valueName: string;
  group: 'Listeners' | 'Pipeline' | 'Operation';
  description: string;
  defaultText: string;
  parse: (text: string) => DaemonConfig[K];
}

function option<K extends keyof DaemonConfig>(spec: OptionSpec<K>): OptionSpec<K> {
  return spec;
}

export const OPTIONS = [
  option({
    key: 'statsdUdp',
    flag: '--statsd-udp',
    aliases: ['--statsd.listen-udp'],
    valueName: 'HOST:PORT',
    group: 'Listeners',
    description: 'StatsD/DogStatsD over UDP, or off',
    defaultText: DEFAULTS.statsdUdp,
    parse: parseAddress,
  }),
  option({
    key: 'statsdTcp',
    flag: '--statsd-tcp',
    aliases: ['--statsd.listen-tcp'],
    valueName: 'HOST:PORT',
    group: 'Listeners',
    description: 'StatsD/DogStatsD over TCP, newline-separated lines, or off',
    defaultText: DEFAULTS.statsdTcp,
    parse: parseAddress,
  }),
  option({
    key: 'http',
    flag: '--http',
    aliases: ['--web.listen-address'],
    valueName: 'HOST:PORT',
    group: 'Listeners',
    description: 'HTTP: /metrics, /-/healthy, /-/ready; or off',
    defaultText: DEFAULTS.http,
    parse: parseAddress,
  }),
  option({
    key: 'workers',
    flag: '--workers',
    aliases: [],
    valueName: 'N',
    group: 'Pipeline',
    description: 'parser/aggregator worker threads; the default is cores - 1, at least 1',
    defaultText: String(defaultWorkerCount()),
    parse: parseInteger(1, 256),
  }),
  option({
    key: 'flushIntervalMs',
    flag: '--flush-interval-ms',
    aliases: [],
    valueName: 'N',
    group: 'Pipeline',
    description: 'how often shards are merged and /metrics re-rendered',
    defaultText: String(DEFAULTS.flushIntervalMs),
    parse: parseInteger(10, 3_600_000),
  }),
  option({
    key: 'buckets',
    flag: '--buckets',
    aliases: [],
    valueName: 'LIST',
    group: 'Pipeline',
    description: 'histogram upper bounds, ascending, comma-separated (seconds for ms timers)',
    defaultText: DEFAULT_BUCKETS.join(','),
    parse: parseBuckets,
  }),
  option({
    key: 'ringBytes',
    flag: '--ring-bytes',
    aliases: [],
    valueName: 'N',
    group: 'Pipeline',
    description: 'bytes of each worker ring buffer, a power of two',
    defaultText: String(DEFAULTS.ringBytes),
    parse: parseRingBytes,
  }),
  option({
    key: 'udpReceiveBufferBytes',
    flag: '--udp-receive-buffer-bytes',
    aliases: [],
    valueName: 'N',
    group: 'Pipeline',
    description: 'SO_RCVBUF to ask for; the kernel caps it at net.core.rmem_max',
    defaultText: String(DEFAULTS.udpReceiveBufferBytes),
    parse: parseInteger(4096, 1 << 30),
  }),
  option({
    key: 'tcpMaxLineBytes',
    flag: '--tcp-max-line-bytes',
    aliases: [],
    valueName: 'N',
    group: 'Pipeline',
    description: 'longest TCP line; a connection sending a longer one is closed',
    defaultText: String(DEFAULTS.tcpMaxLineBytes),
    parse: parseInteger(64, 16 * 1024 * 1024),
  }),
  option({
    key: 'mappingConfig',
    flag: '--mapping-config',
    aliases: ['--statsd.mapping-config'],
    valueName: 'FILE',
    group: 'Pipeline',
    description:
      'statsd_exporter mapping file (YAML), with our catalyst: section; reread on SIGHUP',
    defaultText: DEFAULTS.mappingConfig,
    parse: parseOptionalPath,
  }),
  option({
    key: 'maxSeries',
    flag: '--max-series',
    aliases: [],
    valueName: 'N',
    group: 'Pipeline',
    description: 'series over all metrics; samples of a new series past it are dropped and counted',
    defaultText: String(DEFAULTS.maxSeries),
    parse: parseInteger(1, 100_000_000),
  }),
  option({
    key: 'logLevel',
    flag: '--log-level',
    aliases: [],
    valueName: 'LEVEL',
    group: 'Operation',
    description: 'fatal, error, warn, info, debug, trace or silent',
    defaultText: DEFAULTS.logLevel,
    parse: parseLogLevel,
  }),
  option({
    key: 'httpEngine',
    flag: '--http-engine',
    aliases: [],
    valueName: 'ENGINE',
    group: 'Operation',
    description: 'auto (first native uWebSockets.js binding that loads) or node (node:http)',
    defaultText: DEFAULTS.httpEngine,
    parse: parseHttpEngine,
  }),
] as const satisfies readonly OptionSpec[];
