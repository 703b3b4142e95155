import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { Logger } from '../log.js';
import type {
  CardinalityReport,
  Exposition,
  MappingConfig,
  ExpositionFormat,
  MergerFault,
  MergerInbound,
  MergerOutbound,
  MergerTick,
} from '../protocol.js';

export interface MergerThreadOptions {
  version: string;
  httpEngine: string;
  histogramBuckets: readonly number[];
  maxWaitEpochs: number;
  /** --state-file, or null. */
  stateFile: string | null;
  maxSeries: number;
  maxSummarySeries: number;
  mapping: MappingConfig;
  /** The first epoch to fold: 0 at start, main's current epoch for a replacement. */
  firstEpoch: number;
  /** The merge-progress block (src/ring/merge-progress.ts). */
  progress: SharedArrayBuffer;
  onExposition(exposition: Exposition): void;
  /** The thread threw or ended after it was ready (not called after `stop`). */
  onFailed(err: unknown): void;
  /** The merger runs under mapping `version` (MappingApplied). */
  onMappingApplied?(version: number): void;
  log: Logger;
}

const MERGER_GONE_JSON = '{"error":"the merger failed; ask again"}\n';
const MERGER_TASK = new URL('../../workers/merge/merger-task.js', import.meta.url).href;

/** The main thread's handle on the merger: one piscina thread running one long-lived task. */
export class MergerThread {
  readonly #port: MessagePort;
  readonly #pool: Piscina;
  readonly #task: Promise<unknown>;
  readonly #cardinalityWaiters = new Map<number, (json: string) => void>();
  #nextRequestId = 0;
  #isStopping = false;

  private constructor(port: MessagePort, pool: Piscina, task: Promise<unknown>) {
    this.#port = port;
    this.#pool = pool;
    this.#task = task;
  }

  /** The /debug/cardinality body, computed on the merger thread. */
  cardinality(): Promise<string> {
    const id = this.#nextRequestId++;
    return new Promise((resolve) => {
      this.#cardinalityWaiters.set(id, resolve);
      this.#send({ kind: 'cardinality', id });
    });
  }

  /** New rules for limits and TTLs; null counts a reload that kept the old rules. */
  replaceMapping(mapping: MappingConfig | null, version = 0): void {
    this.#send(
      mapping === null ? { kind: 'reload-failed' } : { kind: 'mapping', mapping, version },
    );
  }

  #onCardinality(report: CardinalityReport): void {
    this.#cardinalityWaiters.get(report.id)?.(report.json);
    this.#cardinalityWaiters.delete(report.id);
  }

  static async start(options: MergerThreadOptions): Promise<MergerThread> {
    const pool = new Piscina({
      filename: MERGER_TASK,
      minThreads: 1,
      maxThreads: 1,
      idleTimeout: Number.MAX_SAFE_INTEGER,
      atomics: 'disabled',
    });
    const { port1, port2 } = new MessageChannel();
    let thread: MergerThread | null = null;
    const ready = new Promise<void>((resolve, reject) => {
      port1.on('message', (message: MergerOutbound) => {
        if (message.kind === 'ready') resolve();
        else if (message.kind === 'exposition') options.onExposition(message);
        else if (message.kind === 'notice') options.log[message.level](message.fields, message.msg);
        else if (message.kind === 'mapping-applied') options.onMappingApplied?.(message.version);
        else if (message.kind === 'cardinality') {
          if (thread !== null) thread.#onCardinality(message);
        } else reject(new Error(message.error.message));
      });
    });
    const task = pool.run(
      {
        mainPort: port2,
        version: options.version,
        httpEngine: options.httpEngine,
        histogramBuckets: options.histogramBuckets,
        maxWaitEpochs: options.maxWaitEpochs,
        stateFile: options.stateFile,
        maxSeries: options.maxSeries,
        maxSummarySeries: options.maxSummarySeries,
        mapping: options.mapping,
        firstEpoch: options.firstEpoch,
        progress: options.progress,
      },
      { transferList: [port2] as never },
    );
    try {
      await Promise.race([
        ready,
        task.then(() => Promise.reject(new Error('merger exited at start'))),
      ]);
    } catch (err) {
      port1.close();
      await pool.destroy();
      throw err;
    }
    const started = new MergerThread(port1, pool, task);
    thread = started;
    task.then(
      () => started.#onEnded(new Error('merger returned without being asked to stop'), options),
      (err: unknown) => started.#onEnded(err, options),
    );
    return started;
  }

  /** Debug fault injection: the merger throws, ends its thread, or slows each fold. */
  injectFault(fault: MergerFault['fault'], delayMs = 0): void {
    this.#send({ kind: 'fault', fault, delayMs });
  }

  /** Releases what is left of a failed merger: its port and its (dead) thread. */
  async discard(): Promise<void> {
    this.#isStopping = true;
    this.#port.close();
    await this.#pool.destroy().catch(() => undefined);
  }

  #onEnded(err: unknown, options: MergerThreadOptions): void {
    if (this.#isStopping) return;
    // Requests the dead thread will never answer.
    for (const answer of this.#cardinalityWaiters.values()) answer(MERGER_GONE_JSON);
    this.#cardinalityWaiters.clear();
    options.onFailed(err);
  }

  attach(shard: number, generation: number, fromEpoch: number, port: MessagePort): void {
    this.#send({ kind: 'attach', shard, generation, fromEpoch, port }, [port]);
  }

  tick(tick: Omit<MergerTick, 'kind'>): void {
    this.#send({ kind: 'tick', ...tick });
  }

  requestRender(format: ExpositionFormat): void {
    this.#send({ kind: 'render', format });
  }

  /** Resolves once the merger has rendered `finalEpoch` and returned. */
  async stop(finalEpoch: number): Promise<void> {
    this.#isStopping = true;
    this.#send({ kind: 'stop', finalEpoch });
    await this.#task.catch(() => undefined);
    this.#port.close();
    await this.#pool.destroy();
  }

  #send(message: MergerInbound, transfer: MessagePort[] = []): void {
    this.#port.postMessage(message, transfer);
  }
}
