import type { DaemonConfig } from './config.js';
import { DEFAULTS, DEFAULT_BUCKETS, defaultWorkerCount } from './defaults.js';
import {
  parseAddress,
  parseBuckets,
  parseHttpEngine,
  parseInteger,
  parseLogLevel,
  parseOnOff,
  parseOptionalText,
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
  group: 'Listeners' | 'Pipeline' | 'Limits' | 'Security' | 'Operation';
  description: string;
  defaultText: string;
  parse: (text: string) => DaemonConfig[K];
  /** Left out of --help: test machinery, not for operators. */
  isHidden?: boolean;
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
    key: 'maxDatagramBytes',
    flag: '--max-datagram-bytes',
    aliases: [],
    valueName: 'N',
    group: 'Limits',
    description: 'longest UDP datagram; a longer one is dropped whole and counted',
    defaultText: String(DEFAULTS.maxDatagramBytes),
    parse: parseInteger(1, 65535),
  }),
  option({
    key: 'tcpMaxConnections',
    flag: '--tcp-max-connections',
    aliases: [],
    valueName: 'N',
    group: 'Limits',
    description: 'TCP connections open at once; one more is closed and counted',
    defaultText: String(DEFAULTS.tcpMaxConnections),
    parse: parseInteger(1, 1000000),
  }),
  option({
    key: 'maxNameBytes',
    flag: '--max-name-bytes',
    aliases: [],
    valueName: 'N',
    group: 'Limits',
    description: 'longest metric name in UTF-8 bytes; a line with a longer one is refused',
    defaultText: String(DEFAULTS.maxNameBytes),
    parse: parseInteger(1, 1048576),
  }),
  option({
    key: 'maxLabelsPerSample',
    flag: '--max-labels-per-sample',
    aliases: [],
    valueName: 'N',
    group: 'Limits',
    description: 'most tags on one line; a line with more is refused',
    defaultText: String(DEFAULTS.maxLabelsPerSample),
    parse: parseInteger(1, 100000),
  }),
  option({
    key: 'maxLabelValueBytes',
    flag: '--max-label-value-bytes',
    aliases: [],
    valueName: 'N',
    group: 'Limits',
    description: 'longest tag value in UTF-8 bytes; a line with a longer one is refused',
    defaultText: String(DEFAULTS.maxLabelValueBytes),
    parse: parseInteger(1, 1048576),
  }),
  option({
    key: 'pushToken',
    flag: '--push-token',
    aliases: [],
    valueName: 'TOKEN',
    group: 'Security',
    description: 'bearer token the HTTP push receivers require; none by default',
    defaultText: '',
    parse: parseOptionalText,
  }),
  option({
    key: 'pushTokenFile',
    flag: '--push-token-file',
    aliases: [],
    valueName: 'PATH',
    group: 'Security',
    description: 'file holding the push token (trailing newline ignored)',
    defaultText: '',
    parse: parseOptionalText,
  }),
  option({
    key: 'metricsToken',
    flag: '--metrics-token',
    aliases: [],
    valueName: 'TOKEN',
    group: 'Security',
    description: 'bearer token GET /metrics requires; /metrics is open by default',
    defaultText: '',
    parse: parseOptionalText,
  }),
  option({
    key: 'metricsTokenFile',
    flag: '--metrics-token-file',
    aliases: [],
    valueName: 'PATH',
    group: 'Security',
    description: 'file holding the metrics token (trailing newline ignored)',
    defaultText: '',
    parse: parseOptionalText,
  }),
  option({
    key: 'stateFile',
    flag: '--state-file',
    aliases: [],
    valueName: 'PATH',
    group: 'Operation',
    description: 'keep cumulative counters, gauges and histograms here across restarts',
    defaultText: '',
    parse: parseOptionalText,
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
  option({
    key: 'debugFaultInjection',
    flag: '--debug-fault-injection',
    aliases: [],
    valueName: 'on|off',
    group: 'Operation',
    description: 'POST /debug/kill-worker?shard=N&fault=throw|exit ends a shard (tests only)',
    defaultText: 'off',
    parse: parseOnOff,
    isHidden: true,
  }),
] as const satisfies readonly OptionSpec[];
