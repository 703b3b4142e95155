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
import { RestartBackoff } from '../pool/restart-backoff.js';
import { addLogStats } from './log-stats-sum.js';

export interface LogWorkerClientOptions {
  tailRecordsPerService: number;
  maxServices: number;
  maxInflatedBytes: number;
  statsIntervalMs: number;
  file: { path: string; maxBytes: number; maxFiles: number; maxQueuedBytes: number } | null;
  /** How long a request waits for the worker's answer before it is given up as unavailable. */
  answerTimeoutMs: number;
  logLevel: string;
  /** Counts one replacement of a failed log worker. */
  onRestart?: () => void;
  log: Logger;
}

export interface IngestOutcome {
  accepted: number;
  refused: Partial<Record<LogRefusalReason, number>>;
  otlpResponse?: Uint8Array;
}

const LOG_TASK = new URL('../../workers/logs/log-task.js', import.meta.url).href;
const FIRST_RESTART_DELAY_MS = 50;

/**
 * Main thread's end of the log worker: one piscina thread running one long-lived task that
 * owns parsing, counters, the tail and the file. Bodies are transferred, not copied; each
 * request is answered by id, or rejected after answerTimeoutMs.
 *
 * A worker that fails (threw, or was terminated) is replaced, like a shard. Lost with it:
 * the requests it had not answered (answered 503 at once), the in-memory tail, and the
 * --logs-file queue. Its counts are not lost: the replacement's are added to them. While
 * no worker runs (the backoff before a replacement), requests are answered 503 at once.
 */
export class LogWorkerClient {
  readonly #options: LogWorkerClientOptions;
  readonly #pool: Piscina;
  readonly #pending = new Map<number, (answer: LogWorkerOutbound | null) => void>();
  #port: MessagePort;
  #running: Promise<unknown>;
  #isStopping = false;
  // False from a failure until the replacement is started: nothing would answer.
  #isWorkerRunning = true;
  // Reset by the replacement's first report: it works.
  readonly #backoff = new RestartBackoff(FIRST_RESTART_DELAY_MS);
  #nextId = 1;
  #stats: LogStats | null = null;
  // What failed generations had reported, added to the current one's running totals.
  #statsBefore: LogStats | null = null;
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
    [this.#port, this.#running] = this.#start();
  }

  /** Debug fault injection: terminates the worker thread, as a crash would. */
  async terminate(): Promise<void> {
    await this.#pool.threads[0]?.terminate();
  }

  #start(): [MessagePort, Promise<unknown>] {
    const { port1, port2 } = new MessageChannel();
    port2.on('message', (message: LogWorkerOutbound) => this.#receive(message));
    const { answerTimeoutMs: _timeout, log: _log, onRestart: _restart, ...task } = this.#options;
    const running = this.#pool
      .run({ ...task, port: port1 }, { transferList: [port1] as never })
      .catch((err: unknown) => this.#restart(err, port2));
    this.#isWorkerRunning = true;
    return [port2, running];
  }

  async #restart(err: unknown, port: MessagePort): Promise<void> {
    port.close();
    this.#isWorkerRunning = false;
    if (this.#isStopping) return;
    this.#options.log.error(
      { err, count: this.#pending.size },
      'log worker failed; starting a new one',
    );
    // The dead worker answers nothing more: its callers get 503 now, not at their timeout.
    for (const settle of this.#pending.values()) settle(null);
    this.#pending.clear();
    if (this.#stats !== null) {
      this.#statsBefore =
        this.#statsBefore === null ? this.#stats : addLogStats(this.#statsBefore, this.#stats);
      this.#stats = null;
    }
    this.#options.onRestart?.();
    // Back off when the worker keeps failing, so a poison body cannot spin a core.
    if (!(await this.#backoff.wait())) return;
    [this.#port, this.#running] = this.#start();
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
    const reported =
      this.#statsBefore === null || this.#stats === null
        ? (this.#stats ?? this.#statsBefore)
        : addLogStats(this.#statsBefore, this.#stats);
    if (reported === null && this.#tooLargeBodies === 0) return null;
    const stats = reported ?? {
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
    this.#isStopping = true;
    this.#backoff.cancel();
    this.#port.postMessage({ kind: 'stop' } satisfies LogWorkerInbound);
    await this.#running;
    this.#port.close();
    await this.#pool.destroy();
  }

  #request(
    build: (id: number) => LogWorkerInbound,
    transfer: ArrayBuffer[],
  ): Promise<LogWorkerOutbound | null> {
    if (!this.#isWorkerRunning) return Promise.resolve(null);
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
      this.#backoff.reset();
      return;
    }
    const settle = this.#pending.get(message.id);
    this.#pending.delete(message.id);
    settle?.(message);
  }
}
