import { loadCommandLine } from '../config/load.js';
import { createRootLogger } from '../log.js';
import { startDaemon, type Daemon } from '../main.js';
import { VERSION } from '../version.js';

/**
 * The embeddable API: the Catalyst router's observability plugin. The host process gets
 * typed counters and gauges of its own, and a server with /metrics and every push receiver
 * (JSON, Pushgateway text, OTLP) on one port; its metrics and what services push share that
 * one /metrics.
 *
 * The host's metrics take the JSON push path: counters are summed here and sent as
 * increments, gauges are kept here and sent as absolute values, once per flush interval,
 * so the main thread still parses nothing and the shards and merger do all the rest.
 */

/** Label values by label name; every name must be one declared when the metric was made. */
export type MetricLabels = Record<string, string>;

export interface Counter {
  /** Adds `value` (default 1, never negative) to the series with these labels. */
  inc(value?: number): void;
  inc(labels: MetricLabels, value?: number): void;
}

export interface Gauge {
  set(value: number): void;
  set(labels: MetricLabels, value: number): void;
  inc(labels?: MetricLabels, value?: number): void;
  dec(labels?: MetricLabels, value?: number): void;
}

export interface ObservabilityPlugin {
  /** A counter named as given; `_total` is added on /metrics when missing. */
  createCounter(name: string, help: string, labels?: string[]): Counter;
  createGauge(name: string, help: string, labels?: string[]): Gauge;
  /**
   * One sample or a `{ samples: [...] }` body of the JSON push API, validated as that API
   * validates it: refused samples are counted by reason, never thrown.
   */
  ingestMetric(metricData: unknown): void;
  /** Starts serving on 127.0.0.1:`port` (0: any free port; see `ready`). */
  startServer(port: number): void;
  /** Resolves with the bound port once serving; rejects when start-up failed. */
  ready(): Promise<number>;
  /** Sends what is pending, folds it, and releases every thread. */
  stop(): Promise<void>;
}

export interface PluginOptions {
  /** Extra command-line options of the daemon, e.g. ['--flush-interval-ms', '200']. */
  args?: string[];
}

interface PendingSample {
  name: string;
  type: 'counter' | 'gauge';
  value: number;
  labels: MetricLabels;
}

const DEFAULT_FLUSH_MS = 1000;

export function createObservabilityPlugin(options: PluginOptions = {}): ObservabilityPlugin {
  // Counters: summed increments since the last send. Gauges: current values, sent when set.
  const counters = new Map<string, PendingSample>();
  const gauges = new Map<string, PendingSample>();
  const changedGauges = new Set<string>();
  const ingested: unknown[] = [];
  const names = new Set<string>();
  let daemon: Daemon | null = null;
  let starting: Promise<number> | null = null;
  let timer: NodeJS.Timeout | null = null;

  const declare = (name: string, labelNames: readonly string[]) => {
    if (names.has(name)) throw new Error(`metric ${name} was already created`);
    names.add(name);
    const allowed = new Set(labelNames);
    return (labels: MetricLabels): string => {
      for (const label of Object.keys(labels)) {
        if (!allowed.has(label)) throw new Error(`metric ${name} has no label ${label}`);
      }
      return `${name}\u0000${JSON.stringify(Object.entries(labels).sort())}`;
    };
  };

  const send = async (): Promise<void> => {
    if (daemon === null) return;
    const samples: unknown[] = [...counters.values()];
    for (const key of changedGauges) samples.push(gauges.get(key));
    samples.push(...ingested.splice(0));
    counters.clear();
    changedGauges.clear();
    if (samples.length === 0) return;
    await daemon.submitJsonPush(Buffer.from(JSON.stringify({ samples })));
  };

  return {
    createCounter(name, _help, labelNames = []) {
      const keyOf = declare(name, labelNames);
      return {
        inc(first?: MetricLabels | number, second?: number) {
          const labels = typeof first === 'object' ? first : {};
          const value = typeof first === 'number' ? first : (second ?? 1);
          if (!(value >= 0)) throw new Error(`counter ${name} cannot move by ${value}`);
          const key = keyOf(labels);
          const pending = counters.get(key);
          if (pending === undefined) counters.set(key, { name, type: 'counter', value, labels });
          else pending.value += value;
        },
      };
    },

    createGauge(name, _help, labelNames = []) {
      const keyOf = declare(name, labelNames);
      const update = (labels: MetricLabels, next: (current: number) => number): void => {
        const key = keyOf(labels);
        const current = gauges.get(key)?.value ?? 0;
        gauges.set(key, { name, type: 'gauge', value: next(current), labels });
        changedGauges.add(key);
      };
      return {
        set(first: MetricLabels | number, second?: number) {
          const labels = typeof first === 'object' ? first : {};
          const value = typeof first === 'number' ? first : second!;
          update(labels, () => value);
        },
        inc: (labels = {}, value = 1) => update(labels, (current) => current + value),
        dec: (labels = {}, value = 1) => update(labels, (current) => current - value),
      };
    },

    ingestMetric(metricData) {
      const samples = (metricData as { samples?: unknown })?.samples;
      if (Array.isArray(samples)) ingested.push(...samples);
      else ingested.push(metricData);
    },

    startServer(port) {
      starting ??= (async () => {
        const outcome = loadCommandLine(
          [
            ...['--http', `127.0.0.1:${port}`, '--statsd-udp', 'off', '--statsd-tcp', 'off'],
            ...['--otlp-http', 'off', '--log-level', 'warn', ...(options.args ?? [])],
          ],
          VERSION,
          { writeOut: () => {}, writeErr: () => {} },
        );
        if (outcome.kind === 'exit') throw new Error(`invalid plugin options: ${options.args}`);
        daemon = await startDaemon(
          outcome.config,
          createRootLogger(outcome.config.logLevel, false),
        );
        const flushMs = outcome.config.flushIntervalMs ?? DEFAULT_FLUSH_MS;
        timer = setInterval(() => void send(), flushMs);
        timer.unref();
        return daemon.ports.http!;
      })();
      // Failures surface through ready(); an unobserved start must not crash the host.
      starting.catch(() => {});
    },

    ready() {
      if (starting === null) return Promise.reject(new Error('startServer was not called'));
      return starting;
    },

    async stop() {
      if (starting === null) return;
      await starting;
      if (timer !== null) clearInterval(timer);
      await send();
      await daemon!.stop();
      daemon = null;
    },
  };
}
