import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { Logger } from '../log.js';
import type {
  LogBodyFormat,
  LogRefusalReason,
  LogStats,
  LogTailQuery,
  LogWorkerInbound,
  LogWorkerOutbound,
} from '../protocol.js';

export interface LogWorkerClientOptions {
  tailRecordsPerService: number;
  maxServices: number;
  maxInflatedBytes: number;
  statsIntervalMs: number;
  file: { path: string; maxBytes: number; maxFiles: number; maxQueuedBytes: number } | null;
  /** How long a request waits for the worker's answer before it is given up as unavailable. */
  answerTimeoutMs: number;
  logLevel: string;
  log: Logger;
}

export interface IngestOutcome {
  accepted: number;
  refused: Partial<Record<LogRefusalReason, number>>;
  otlpResponse?: Uint8Array;
}

const LOG_TASK = new URL('../../workers/logs/log-task.js', import.meta.url).href;

/**
 * Main thread's end of the log worker: one piscina thread running one long-lived task that
 * owns parsing, counters, the tail and the file. Bodies are transferred, not copied; each
 * request is answered by id, or rejected after answerTimeoutMs.
 */
export class LogWorkerClient {
  readonly #options: LogWorkerClientOptions;
  readonly #pool: Piscina;
  readonly #port: MessagePort;
  readonly #pending = new Map<number, (answer: LogWorkerOutbound | null) => void>();
  readonly #running: Promise<unknown>;
  #nextId = 1;
  #stats: LogStats | null = null;
  #tooLargeBodies = 0;

  constructor(options: LogWorkerClientOptions) {
    this.#options = options;
    this.#pool = new Piscina({
      filename: LOG_TASK,
      name: 'default',
      minThreads: 1,
      maxThreads: 1,
      concurrentTasksPerWorker: 1,
      idleTimeout: Number.MAX_SAFE_INTEGER,
      // The task lives on port messages; piscina's blocking wait must stay out of its loop.
      atomics: 'disabled',
    });
    const { port1, port2 } = new MessageChannel();
    this.#port = port2;
    this.#port.on('message', (message: LogWorkerOutbound) => this.#receive(message));
    const { answerTimeoutMs: _timeout, log: _log, ...task } = options;
    this.#running = this.#pool
      .run({ ...task, port: port1 }, { transferList: [port1] as never })
      .catch((err: unknown) => options.log.error({ err }, 'log worker failed'));
  }

  /** Hands the body to the worker; `body` is detached afterwards. Null on timeout. */
  ingest(
    body: Buffer,
    isGzip: boolean,
    format: LogBodyFormat,
    receivedAtMs: number,
  ): Promise<IngestOutcome | null> {
    // Transfer needs an ArrayBuffer of its own: a pooled Buffer shares one with others.
    const owned =
      body.byteOffset === 0 && body.byteLength === body.buffer.byteLength
        ? (body.buffer as ArrayBuffer)
        : body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength);
    return this.#request(
      (id) => ({ kind: 'ingest', id, body: owned as ArrayBuffer, isGzip, format, receivedAtMs }),
      [owned as ArrayBuffer],
    ).then((answer) => {
      if (answer?.kind !== 'ingested') return null;
      const { accepted, refused, otlpResponse } = answer;
      return otlpResponse === undefined
        ? { accepted, refused }
        : { accepted, refused, otlpResponse };
    });
  }

  query(query: LogTailQuery): Promise<unknown[] | null> {
    return this.#request((id) => ({ kind: 'query', id, query }), []).then((answer) =>
      answer?.kind === 'queried' ? answer.records : null,
    );
  }

  /** Counts a body refused here, unread, for being over the size limit. */
  countTooLarge(): void {
    this.#tooLargeBodies++;
  }

  /** Running totals: the worker's last report plus what main refused itself; null before both. */
  snapshot(): LogStats | null {
    if (this.#stats === null && this.#tooLargeBodies === 0) return null;
    const stats = this.#stats ?? {
      records: [],
      bytes: 0,
      refused: {},
      servicesOverflowed: 0,
      fileWrittenRecords: 0,
      fileDroppedRecords: 0,
    };
    const tooLarge = (stats.refused.body_too_large ?? 0) + this.#tooLargeBodies;
    return { ...stats, refused: { ...stats.refused, body_too_large: tooLarge } };
  }

  /** Lets the worker finish what it holds (the file queue), then ends its thread. */
  async stop(): Promise<void> {
    this.#port.postMessage({ kind: 'stop' } satisfies LogWorkerInbound);
    await this.#running;
    this.#port.close();
    await this.#pool.destroy();
  }

  #request(
    build: (id: number) => LogWorkerInbound,
    transfer: ArrayBuffer[],
  ): Promise<LogWorkerOutbound | null> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        resolve(null);
      }, this.#options.answerTimeoutMs);
      this.#pending.set(id, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      this.#port.postMessage(build(id), transfer);
    });
  }

  #receive(message: LogWorkerOutbound): void {
    if (message.kind === 'stats') {
      this.#stats = message.stats;
      return;
    }
    const settle = this.#pending.get(message.id);
    this.#pending.delete(message.id);
    settle?.(message);
  }
}
