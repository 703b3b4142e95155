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
  /** The default as the README states it, when defaultText depends on the machine. */
  documentedDefault?: string;
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
    description: 'HTTP: /metrics, /-/healthy, /-/ready and the push receivers; or off',
    defaultText: DEFAULTS.http,
    parse: parseAddress,
  }),
  option({
    key: 'otlpHttp',
    flag: '--otlp-http',
    aliases: [],
    valueName: 'HOST:PORT',
    group: 'Listeners',
    description: 'OTLP/HTTP metrics receiver (POST /v1/metrics, protobuf or JSON), or off',
    defaultText: DEFAULTS.otlpHttp,
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
    documentedDefault: 'cores - 1, at least 1',
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
    key: 'pushMaxBodyBytes',
    flag: '--push-max-body-bytes',
    aliases: [],
    valueName: 'N',
    group: 'Pipeline',
    description: 'largest HTTP push body (before gunzip); larger ones get 413',
    defaultText: String(DEFAULTS.pushMaxBodyBytes),
    parse: parseInteger(1024, 1 << 29),
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
    key: 'logsTailRecords',
    flag: '--logs-tail-records',
    aliases: [],
    valueName: 'N',
    group: 'Pipeline',
    description: 'pushed log records kept per service for GET /api/v1/logs',
    defaultText: String(DEFAULTS.logsTailRecords),
    parse: parseInteger(1, 1_000_000),
  }),
  option({
    key: 'logsMaxServices',
    flag: '--logs-max-services',
    aliases: [],
    valueName: 'N',
    group: 'Pipeline',
    description: 'distinct log services counted and tailed; later ones count as service="other"',
    defaultText: String(DEFAULTS.logsMaxServices),
    parse: parseInteger(1, 100_000),
  }),
  option({
    key: 'logsFile',
    flag: '--logs-file',
    aliases: [],
    valueName: 'PATH',
    group: 'Pipeline',
    description: 'write every pushed log record to PATH as one NDJSON line, or off',
    defaultText: DEFAULTS.logsFile,
    parse: parseOptionalPath,
  }),
  option({
    key: 'logsFileMaxBytes',
    flag: '--logs-file-max-bytes',
    aliases: [],
    valueName: 'N',
    group: 'Pipeline',
    description: 'rotate --logs-file before it grows past N bytes',
    defaultText: String(DEFAULTS.logsFileMaxBytes),
    parse: parseInteger(1024, 2 ** 40),
  }),
  option({
    key: 'logsFileMaxFiles',
    flag: '--logs-file-max-files',
    aliases: [],
    valueName: 'N',
    group: 'Pipeline',
    description: 'rotated --logs-file copies kept (PATH.1 newest), besides the live file',
    defaultText: String(DEFAULTS.logsFileMaxFiles),
    parse: parseInteger(1, 100),
  }),
] as const satisfies readonly OptionSpec[];
