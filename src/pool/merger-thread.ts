import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { Logger } from '../log.js';
import type {
  Exposition,
  ExpositionFormat,
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
  onExposition(exposition: Exposition): void;
  log: Logger;
}

const MERGER_TASK = new URL('../../workers/merge/merger-task.js', import.meta.url).href;

/** The main thread's handle on the merger: one piscina thread running one long-lived task. */
export class MergerThread {
  readonly #port: MessagePort;
  readonly #pool: Piscina;
  readonly #task: Promise<unknown>;

  private constructor(port: MessagePort, pool: Piscina, task: Promise<unknown>) {
    this.#port = port;
    this.#pool = pool;
    this.#task = task;
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
    const ready = new Promise<void>((resolve, reject) => {
      port1.on('message', (message: MergerOutbound) => {
        if (message.kind === 'ready') resolve();
        else if (message.kind === 'exposition') options.onExposition(message);
        else if (message.kind === 'notice') options.log[message.level](message.fields, message.msg);
        else reject(new Error(message.error.message));
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
      },
      { transferList: [port2] as never },
    );
    task.catch((err: unknown) => options.log.error({ err }, 'merger failed'));
    await Promise.race([
      ready,
      task.then(() => Promise.reject(new Error('merger exited at start'))),
    ]);
    return new MergerThread(port1, pool, task);
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
    this.#send({ kind: 'stop', finalEpoch });
    await this.#task.catch(() => undefined);
    this.#port.close();
    await this.#pool.destroy();
  }

  #send(message: MergerInbound, transfer: MessagePort[] = []): void {
    this.#port.postMessage(message, transfer);
  }
}
