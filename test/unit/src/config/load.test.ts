import { describe, expect, it } from 'vitest';
import type { DaemonConfig } from '../../../../src/config/config.js';
import { DEFAULT_BUCKETS, defaultWorkerCount } from '../../../../src/config/defaults.js';
import { loadCommandLine, type CommandLineOutcome } from '../../../../src/config/load.js';

interface Loaded {
  outcome: CommandLineOutcome;
  out: string;
  err: string;
}

function load(argv: string[]): Loaded {
  const loaded = { out: '', err: '' };
  const outcome = loadCommandLine(argv, '9.8.7', {
    writeOut: (text) => (loaded.out += text),
    writeErr: (text) => (loaded.err += text),
  });
  return { outcome, ...loaded };
}

/** The config a command line gives; fails the test when it asks to exit instead. */
function configOf(argv: string[]): DaemonConfig {
  const { outcome, err } = load(argv);
  if (outcome.kind !== 'run') throw new Error(`expected a config, got exit: ${err}`);
  return outcome.config;
}

const DEFAULT_CONFIG: DaemonConfig = {
  statsdUdp: { host: '127.0.0.1', port: 8125 },
  statsdTcp: { host: '127.0.0.1', port: 8125 },
  http: { host: '127.0.0.1', port: 9102 },
  workers: defaultWorkerCount(),
  flushIntervalMs: 1000,
  buckets: DEFAULT_BUCKETS,
  ringBytes: 16 * 1024 * 1024,
  udpReceiveBufferBytes: 8 * 1024 * 1024,
  tcpMaxLineBytes: 64 * 1024,
  logLevel: 'info',
  httpEngine: 'auto',
  mappingConfig: null,
  maxSeries: 200_000,
};

describe('loadCommandLine', () => {
  it('gives the defaults for an empty command line, printing nothing', () => {
    expect(load([])).toEqual({
      outcome: { kind: 'run', config: DEFAULT_CONFIG },
      out: '',
      err: '',
    });
  });

  it.each([
    {
      name: '--statsd-udp',
      argv: ['--statsd-udp', '127.0.0.2:9125'],
      change: { statsdUdp: { host: '127.0.0.2', port: 9125 } },
    },
    {
      name: '--statsd-tcp',
      argv: ['--statsd-tcp', 'localhost:9126'],
      change: { statsdTcp: { host: 'localhost', port: 9126 } },
    },
    {
      name: '--http',
      argv: ['--http', '127.0.0.1:0'],
      change: { http: { host: '127.0.0.1', port: 0 } },
    },
    { name: '--workers', argv: ['--workers', '3'], change: { workers: 3 } },
    { name: '--workers=N', argv: ['--workers=4'], change: { workers: 4 } },
    {
      name: '--flush-interval-ms',
      argv: ['--flush-interval-ms', '250'],
      change: { flushIntervalMs: 250 },
    },
    { name: '--buckets', argv: ['--buckets', '0.1, 1,10'], change: { buckets: [0.1, 1, 10] } },
    { name: '--ring-bytes', argv: ['--ring-bytes', '262144'], change: { ringBytes: 262144 } },
    {
      name: '--udp-receive-buffer-bytes',
      argv: ['--udp-receive-buffer-bytes', '4096'],
      change: { udpReceiveBufferBytes: 4096 },
    },
    {
      name: '--tcp-max-line-bytes',
      argv: ['--tcp-max-line-bytes', '100'],
      change: { tcpMaxLineBytes: 100 },
    },
    { name: '--log-level', argv: ['--log-level', 'silent'], change: { logLevel: 'silent' } },
    { name: '--http-engine', argv: ['--http-engine', 'node'], change: { httpEngine: 'node' } },
    { name: 'off for UDP', argv: ['--statsd-udp', 'off'], change: { statsdUdp: null } },
    { name: 'off for TCP', argv: ['--statsd-tcp', 'off'], change: { statsdTcp: null } },
    { name: 'off for HTTP', argv: ['--http', 'off'], change: { http: null } },
    {
      name: ':PORT as every interface',
      argv: ['--http', ':9102'],
      change: { http: { host: '0.0.0.0', port: 9102 } },
    },
    {
      name: 'a bracketed IPv6 address',
      argv: ['--statsd-udp', '[::1]:8125'],
      change: { statsdUdp: { host: '::1', port: 8125 } },
    },
    {
      name: "statsd_exporter's --statsd.listen-udp",
      argv: ['--statsd.listen-udp', ':9125'],
      change: { statsdUdp: { host: '0.0.0.0', port: 9125 } },
    },
    {
      name: "statsd_exporter's --statsd.listen-tcp",
      argv: ['--statsd.listen-tcp', 'off'],
      change: { statsdTcp: null },
    },
    {
      name: "statsd_exporter's --web.listen-address",
      argv: ['--web.listen-address', '127.0.0.1:9200'],
      change: { http: { host: '127.0.0.1', port: 9200 } },
    },
  ])('reads $name', ({ argv, change }) => {
    expect(configOf(argv)).toEqual({ ...DEFAULT_CONFIG, ...change });
  });

  it('refuses an alias given together with the option it stands for, exiting 2', () => {
    const { outcome, out, err } = load(['--statsd.listen-udp', ':9125', '--statsd-udp', ':9126']);
    expect(outcome).toEqual({ kind: 'exit', exitCode: 2 });
    expect(out).toBe('');
    expect(err).toBe(
      'catalyst-metrics: --statsd.listen-udp and --statsd-udp are the same option; give only one\n',
    );
  });

  it('refuses a TCP line limit a ring record cannot hold, naming both options', () => {
    const { outcome, err } = load(['--ring-bytes', '65536', '--tcp-max-line-bytes', '40000']);
    expect(outcome).toEqual({ kind: 'exit', exitCode: 2 });
    expect(err).toBe(
      'catalyst-metrics: --tcp-max-line-bytes must be at most half of --ring-bytes minus 12 ' +
        '(32756), got 40000\n',
    );
  });

  it('refuses an unknown option, naming it, exiting 2', () => {
    expect(load(['--statsd.relay.address', 'x:1'])).toEqual({
      outcome: { kind: 'exit', exitCode: 2 },
      out: '',
      err: "catalyst-metrics: unknown option '--statsd.relay.address'\n",
    });
  });

  it('refuses a stray argument, exiting 2', () => {
    const { outcome, err } = load(['serve']);
    expect(outcome).toEqual({ kind: 'exit', exitCode: 2 });
    expect(err).toBe('catalyst-metrics: too many arguments. Expected 0 arguments but got 1.\n');
  });

  it.each([
    {
      name: 'a word for a count',
      argv: ['--workers', 'many'],
      err: "option '--workers <N>' argument 'many' is invalid. expected an integer from 1 to 256",
    },
    {
      name: 'a count out of range',
      argv: ['--workers', '0'],
      err: "option '--workers <N>' argument '0' is invalid. expected an integer from 1 to 256",
    },
    {
      name: 'a negative interval',
      argv: ['--flush-interval-ms', '-5'],
      err:
        "option '--flush-interval-ms <N>' argument '-5' is invalid. " +
        'expected an integer from 10 to 3600000',
    },
    {
      name: 'a ring size that is not a power of two',
      argv: ['--ring-bytes', '100000'],
      err:
        "option '--ring-bytes <N>' argument '100000' is invalid. " +
        'expected a power of two from 65536 to 1073741824',
    },
    {
      name: 'buckets out of order',
      argv: ['--buckets', '1,0.5'],
      err:
        "option '--buckets <LIST>' argument '1,0.5' is invalid. " +
        'expected finite numbers in ascending order, separated by commas',
    },
    {
      name: 'an address without a port',
      argv: ['--statsd-udp', 'localhost'],
      err:
        "option '--statsd-udp <HOST:PORT>' argument 'localhost' is invalid. " +
        'expected HOST:PORT, :PORT or off',
    },
    {
      name: 'a port past 65535',
      argv: ['--http', ':70000'],
      err:
        "option '--http <HOST:PORT>' argument ':70000' is invalid. " +
        'expected a port from 0 to 65535 after the last ":"',
    },
    {
      name: 'a host name other than localhost',
      argv: ['--web.listen-address', 'example.com:9102'],
      err:
        "option '--web.listen-address <HOST:PORT>' argument 'example.com:9102' is invalid. " +
        'expected an IP address or "localhost" before the port',
    },
    {
      name: 'an unknown log level',
      argv: ['--log-level', 'loud'],
      err:
        "option '--log-level <LEVEL>' argument 'loud' is invalid. " +
        'expected one of fatal, error, warn, info, debug, trace, silent',
    },
    {
      name: 'an unknown HTTP engine',
      argv: ['--http-engine', 'uws'],
      err: "option '--http-engine <ENGINE>' argument 'uws' is invalid. expected auto or node",
    },
    {
      name: 'a missing value',
      argv: ['--workers'],
      err: "option '--workers <N>' argument missing",
    },
  ])('refuses $name, naming option, value and expectation, exiting 2', ({ argv, err }) => {
    expect(load(argv)).toEqual({
      outcome: { kind: 'exit', exitCode: 2 },
      out: '',
      err: `catalyst-metrics: ${err}\n`,
    });
  });

  it('prints help listing every option and the statsd_exporter aliases, exiting 0', () => {
    const { outcome, out, err } = load(['--help']);
    expect(outcome).toEqual({ kind: 'exit', exitCode: 0 });
    expect(err).toBe('');
    expect(out.startsWith('Usage: catalyst-metrics [options]\n')).toBe(true);
    for (const flag of [
      '--statsd-udp <HOST:PORT>',
      '--flush-interval-ms <N>',
      '--http-engine <ENGINE>',
      'Aliases (statsd_exporter):',
      '--web.listen-address <HOST:PORT>',
    ]) {
      expect(out).toContain(flag);
    }
  });

  it('prints the version it was given, exiting 0', () => {
    expect(load(['--version'])).toEqual({
      outcome: { kind: 'exit', exitCode: 0 },
      out: '9.8.7\n',
      err: '',
    });
    expect(load(['-V']).out).toBe('9.8.7\n');
  });
});
