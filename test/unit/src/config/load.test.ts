import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DaemonConfig } from '../../../../src/config/config.js';
import { DEFAULT_BUCKETS, defaultWorkerCount } from '../../../../src/config/defaults.js';
import { loadCommandLine, type CommandLineOutcome } from '../../../../src/config/load.js';
import { OPTIONS } from '../../../../src/config/options.js';

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
  otlpHttp: { host: '127.0.0.1', port: 4318 },
  workers: defaultWorkerCount(),
  flushIntervalMs: 1000,
  buckets: DEFAULT_BUCKETS,
  ringBytes: 16 * 1024 * 1024,
  udpReceiveBufferBytes: 8 * 1024 * 1024,
  tcpMaxLineBytes: 64 * 1024,
  pushMaxBodyBytes: 4 * 1024 * 1024,
  maxDatagramBytes: 65507,
  tcpMaxConnections: 1024,
  tcpLineTimeoutMs: 10_000,
  httpRequestTimeoutMs: 30_000,
  pushMaxInflightBytes: 64 * 1024 * 1024,
  maxNameBytes: 1024,
  maxLabelsPerSample: 64,
  maxLabelValueBytes: 4096,
  maxConcurrentScrapes: 32,
  scrapeWriteTimeoutMs: 5000,
  pushToken: null,
  pushTokenFile: null,
  metricsToken: null,
  metricsTokenFile: null,
  adminToken: null,
  adminTokenFile: null,
  stateFile: null,
  debugFaultInjection: false,
  logLevel: 'info',
  httpEngine: 'auto',
  logsTailRecords: 1000,
  logsMaxServices: 1000,
  logsFile: null,
  logsFileMaxBytes: 64 * 1024 * 1024,
  logsFileMaxFiles: 5,
  mappingConfig: null,
  maxSeries: 200_000,
  maxSummarySeries: 10_000,
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
      name: '--otlp-http',
      argv: ['--otlp-http', 'off'],
      change: { otlpHttp: null },
    },
    {
      name: '--push-max-body-bytes',
      argv: ['--push-max-body-bytes', '1048576'],
      change: { pushMaxBodyBytes: 1048576 },
    },
    {
      name: '--statsd-udp',
      argv: ['--statsd-udp', '127.0.0.2:9125'],
      change: { statsdUdp: { host: '127.0.0.2', port: 9125 } },
    },
    {
      name: '--max-datagram-bytes',
      argv: ['--max-datagram-bytes', '1432'],
      change: { maxDatagramBytes: 1432 },
    },
    {
      name: '--tcp-max-connections',
      argv: ['--tcp-max-connections', '3'],
      change: { tcpMaxConnections: 3 },
    },
    {
      name: '--max-name-bytes',
      argv: ['--max-name-bytes', '200'],
      change: { maxNameBytes: 200 },
    },
    {
      name: '--max-labels-per-sample',
      argv: ['--max-labels-per-sample', '8'],
      change: { maxLabelsPerSample: 8 },
    },
    {
      name: '--max-label-value-bytes',
      argv: ['--max-label-value-bytes', '100'],
      change: { maxLabelValueBytes: 100 },
    },
    {
      name: '--max-concurrent-scrapes',
      argv: ['--max-concurrent-scrapes', '4'],
      change: { maxConcurrentScrapes: 4 },
    },
    {
      name: '--push-token',
      argv: ['--push-token', 's3cret'],
      change: { pushToken: 's3cret' },
    },
    {
      name: '--metrics-token-file',
      argv: ['--metrics-token-file', '/run/secrets/metrics'],
      change: { metricsTokenFile: '/run/secrets/metrics' },
    },
    {
      name: '--state-file',
      argv: ['--state-file', '/var/lib/catalyst/state'],
      change: { stateFile: '/var/lib/catalyst/state' },
    },
    {
      name: '--debug-fault-injection',
      argv: ['--debug-fault-injection', 'on'],
      change: { debugFaultInjection: true },
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
      name: '--logs-file with its rotation bounds',
      argv: ['--logs-file', '/var/log/catalyst/logs.ndjson', '--logs-file-max-bytes', '4096'],
      change: { logsFile: '/var/log/catalyst/logs.ndjson', logsFileMaxBytes: 4096 },
    },
    {
      name: '--logs-tail-records and --logs-max-services',
      argv: ['--logs-tail-records', '50', '--logs-max-services', '20'],
      change: { logsTailRecords: 50, logsMaxServices: 20 },
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
      'Configuration:',
      '--config <FILE>',
      '--check-config',
      '--print-config',
      'Precedence: flag > environment > file > default.',
      'Limits:',
      '--max-datagram-bytes <N>',
      'Security:',
      '--push-token <TOKEN>',
      '--metrics-token-file <PATH>',
      '--state-file <PATH>',
    ]) {
      expect(out).toContain(flag);
    }
  });

  it('keeps --debug-fault-injection out of the help', () => {
    expect(load(['--help']).out).not.toContain('--debug-fault-injection');
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

describe('loadCommandLine with a config file and the environment', () => {
  const directory = mkdtempSync(join(tmpdir(), 'catalyst-load-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  /** Writes `yaml` to a fresh file and returns its path. */
  let fileCount = 0;
  function configFile(yaml: string): string {
    fileCount += 1;
    const path = join(directory, `config-${fileCount}.yaml`);
    writeFileSync(path, yaml);
    return path;
  }

  function loadWith(argv: string[], env: Record<string, string>): Loaded {
    const loaded = { out: '', err: '' };
    const outcome = loadCommandLine(argv, '9.8.7', {
      writeOut: (text) => (loaded.out += text),
      writeErr: (text) => (loaded.err += text),
      env,
    });
    return { outcome, ...loaded };
  }

  function configWith(argv: string[], env: Record<string, string>): DaemonConfig {
    const { outcome, err } = loadWith(argv, env);
    if (outcome.kind !== 'run') throw new Error(`expected a config, got exit: ${err}`);
    return outcome.config;
  }

  it.each([
    {
      name: 'the default when nothing sets it',
      file: 'workers: 2',
      env: {},
      argv: [],
      flushIntervalMs: 1000,
    },
    {
      name: 'the file over the default',
      file: 'flush-interval-ms: 200',
      env: {},
      argv: [],
      flushIntervalMs: 200,
    },
    {
      name: 'the environment over the file',
      file: 'flush-interval-ms: 200',
      env: { CATALYST_FLUSH_INTERVAL_MS: '300' },
      argv: [],
      flushIntervalMs: 300,
    },
    {
      name: 'the flag over the environment and the file',
      file: 'flush-interval-ms: 200',
      env: { CATALYST_FLUSH_INTERVAL_MS: '300' },
      argv: ['--flush-interval-ms', '400'],
      flushIntervalMs: 400,
    },
  ])('takes $name', ({ file, env, argv, flushIntervalMs }) => {
    const config = configWith(['--config', configFile(file), ...argv], env);
    expect(config.flushIntervalMs).toBe(flushIntervalMs);
  });

  it('reads every option from the file, statsd_exporter spellings and YAML lists included', () => {
    const path = configFile(
      [
        'statsd.listen-udp: ":9125"',
        'statsd-tcp: "off"',
        'web.listen-address: 127.0.0.1:9200',
        'workers: 3',
        'flush-interval-ms: 250',
        'buckets: [0.1, 1, 10]',
        'ring-bytes: 262144',
        'udp-receive-buffer-bytes: 4096',
        'tcp-max-line-bytes: 100',
        'log-level: silent',
        'http-engine: node',
        'logs-tail-records: 10',
        'logs-max-services: 20',
        'logs-file: /tmp/logs.ndjson',
        'logs-file-max-bytes: 2048',
        'logs-file-max-files: 3',
      ].join('\n'),
    );
    // Options not named in the file keep their defaults; other issues keep adding options.
    expect(configWith(['--config', path], {})).toEqual({
      ...DEFAULT_CONFIG,
      statsdUdp: { host: '0.0.0.0', port: 9125 },
      statsdTcp: null,
      http: { host: '127.0.0.1', port: 9200 },
      workers: 3,
      flushIntervalMs: 250,
      buckets: [0.1, 1, 10],
      ringBytes: 262144,
      udpReceiveBufferBytes: 4096,
      tcpMaxLineBytes: 100,
      logLevel: 'silent',
      httpEngine: 'node',
      logsTailRecords: 10,
      logsMaxServices: 20,
      logsFile: '/tmp/logs.ndjson',
      logsFileMaxBytes: 2048,
      logsFileMaxFiles: 3,
    });
  });

  it('reads the config file named by CATALYST_CONFIG when no --config is given', () => {
    const path = configFile('workers: 5');
    expect(configWith([], { CATALYST_CONFIG: path }).workers).toBe(5);
  });

  it('takes an alias flag over the environment', () => {
    const config = configWith(['--statsd.listen-udp', ':9125'], {
      CATALYST_STATSD_UDP: '127.0.0.1:9999',
    });
    expect(config.statsdUdp).toEqual({ host: '0.0.0.0', port: 9125 });
  });

  it.each([
    {
      name: 'a bad value in the file, naming key, path, value and expectation',
      file: 'workers: many',
      env: {},
      err: "key 'workers' in PATH has 'many'; expected an integer from 1 to 256",
    },
    {
      name: 'a bad value in the environment, naming the variable',
      file: '',
      env: { CATALYST_RING_BYTES: '100000' },
      err:
        "environment variable CATALYST_RING_BYTES has '100000'; " +
        'expected a power of two from 65536 to 1073741824',
    },
    {
      name: 'an unknown key in the file',
      file: 'flush-interval: 5',
      env: {},
      err: "unknown key 'flush-interval' in PATH; expected one of statsd-udp, statsd.listen-udp,",
    },
    {
      name: 'a key given twice under two spellings',
      file: 'statsd-udp: ":1"\nstatsd.listen-udp: ":2"',
      env: {},
      err: "key 'statsd.listen-udp' in PATH sets --statsd-udp a second time; give only one spelling",
    },
    {
      name: 'a mapping where a value belongs',
      file: 'http:\n  port: 9102',
      env: {},
      err: `key 'http' in PATH has {"port":9102}; expected a string, a number or a list of numbers`,
    },
    {
      name: 'a file that is not a mapping',
      file: '- workers',
      env: {},
      err: '--config PATH must be a YAML mapping of option names to values',
    },
    {
      name: 'an unknown CATALYST_ variable',
      file: '',
      env: { CATALYST_WORKER: '2' },
      err: 'environment variable CATALYST_WORKER is not an option; expected one of CATALYST_CONFIG,',
    },
    {
      name: 'a combination the file makes impossible',
      file: 'ring-bytes: 65536\ntcp-max-line-bytes: 40000',
      env: {},
      err: '--tcp-max-line-bytes must be at most half of --ring-bytes minus 12 (32756), got 40000',
    },
  ])('refuses $name, exiting 2', ({ file, env, err }) => {
    const path = configFile(file);
    const loaded = loadWith(['--config', path], env);
    expect(loaded.outcome).toEqual({ kind: 'exit', exitCode: 2 });
    expect(loaded.out).toBe('');
    expect(loaded.err.startsWith(`catalyst-metrics: ${err.replace('PATH', path)}`)).toBe(true);
  });

  it('refuses a config file that does not exist, naming it', () => {
    const path = join(directory, 'missing.yaml');
    const loaded = loadWith(['--config', path], {});
    expect(loaded.outcome).toEqual({ kind: 'exit', exitCode: 2 });
    expect(loaded.err).toBe(
      `catalyst-metrics: --config ${path} cannot be read: ENOENT: no such file or directory, open '${path}'\n`,
    );
  });

  it('answers --check-config with exit 0 and one line when everything is valid', () => {
    const path = configFile('workers: 2');
    expect(loadWith(['--config', path, '--check-config'], {})).toEqual({
      outcome: { kind: 'exit', exitCode: 0 },
      out: 'catalyst-metrics: configuration is valid\n',
      err: '',
    });
  });

  it('answers --check-config with exit 2 and the reason when a value is bad', () => {
    expect(loadWith(['--check-config'], { CATALYST_LOG_LEVEL: 'loud' })).toEqual({
      outcome: { kind: 'exit', exitCode: 2 },
      out: '',
      err:
        "catalyst-metrics: environment variable CATALYST_LOG_LEVEL has 'loud'; " +
        'expected one of fatal, error, warn, info, debug, trace, silent\n',
    });
  });

  it('prints the effective configuration as YAML that --config reads back to the same config', () => {
    const path = configFile('flush-interval-ms: 250\nbuckets: [0.5, 2]');
    const argv = ['--config', path, '--statsd-tcp', 'off', '--workers', '3'];
    const env = { CATALYST_HTTP: ':9300' };
    const printed = loadWith([...argv, '--print-config'], env);
    expect(printed.outcome).toEqual({ kind: 'exit', exitCode: 0 });
    expect(printed.err).toBe('');
    const lines = printed.out.split('\n');
    expect(lines[0]).toBe('# catalyst-metrics 9.8.7: effective configuration');
    // Every option once, under its file key, in OPTIONS order; the values given win.
    const keys = lines
      .filter((line) => /^[a-z][a-z0-9.-]*:/.test(line))
      .map((l) => l.split(':')[0]);
    expect(keys).toEqual(OPTIONS.map((spec) => spec.flag.slice(2)));
    expect(lines).toEqual(
      expect.arrayContaining([
        'statsd-udp: 127.0.0.1:8125',
        'statsd-tcp: off',
        'http: :9300',
        'workers: 3',
        'flush-interval-ms: 250',
        'buckets:',
        '  - 0.5',
        '  - 2',
        'log-level: info',
      ]),
    );

    const reread = configWith(['--config', configFile(printed.out)], {});
    expect(reread).toEqual(configWith(argv, env));
  });
});
