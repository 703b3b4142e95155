import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { SampleLimits } from '../../workers/parse/sample-limits.js';
import type { Logger } from '../log.js';
import type { PushAck } from '../protocol.js';
import { RestartBackoff } from './restart-backoff.js';
import type {
  MappingApplied,
  MappingConfig,
  MappingUpdate,
  MergerPortUpdate,
  ShardStarted,
} from '../protocol.js';

/** What each shard task is given (see workers/shard/shard.ts ShardOptions). */
interface ShardTaskOptions {
  shard: number;
  generation: number;
  startEpoch: number;
  ring: SharedArrayBuffer;
  control: SharedArrayBuffer;
  mergerPort: MessagePort;
  ackPort: MessagePort;
  histogramBuckets: readonly number[];
  keepsGaugeOrder: boolean;
  logLevel: string;
  limits: SampleLimits;
  unshipped: SharedArrayBuffer;
  faults: SharedArrayBuffer;
  mapping: MappingConfig;
  maxSpellings: number;
  /**
   * New mapping rules and replacement merger ports arrive here between slices; the shard
   * says here when it applied the rules.
   */
  controlPort: MessagePort;
  progress: SharedArrayBuffer;
}

export interface ShardPoolOptions {
  rings: readonly SharedArrayBuffer[];
  control: SharedArrayBuffer;
  histogramBuckets: readonly number[];
  /** The daemon's log level; at debug, shards log refused lines (rate-limited). */
  logLevel: string;
  limits: SampleLimits;
  mapping: MappingConfig;
  maxSpellings: number;
  /** The merge-progress block (src/ring/merge-progress.ts), shared with the merger. */
  progress: SharedArrayBuffer;
  /** Tells the merger which port shard `shard`'s generation `generation` sends on. */
  attach(shard: number, generation: number, fromEpoch: number, port: MessagePort): void;
  /** The epoch being accumulated now: where a replacement shard starts. */
  currentEpoch(): number;
  /** Called on the main thread with every PushAck a shard posts. */
  onPushAck(ack: PushAck): void;
  /** `lostRecords`: ring records the failed generation consumed and never shipped. */
  onRestart(shard: number, lostRecords: number): void;
  /** A shard runs under mapping `version` (MappingApplied, or a start with the latest rules). */
  onMappingApplied?(shard: number, version: number): void;
  log: Logger;
}

const SHARD_TASK = new URL('../../workers/shard/shard-task.js', import.meta.url).href;
const FIRST_RESTART_DELAY_MS = 50;

/**
 * One piscina worker per ring, each running a single long-lived shard task. A task that
 * fails (the worker threw or was terminated) is run again as a new generation on the same
 * ring: what was still in the ring survives; the dead shard's unmerged delta does not.
 */
export class ShardPool {
  readonly #options: ShardPoolOptions;
  readonly #pool: Piscina;
  readonly #running: Array<Promise<unknown>> = [];
  readonly #controlPorts: MessagePort[] = [];
  readonly #generations: number[] = [];
  #mapping: MappingConfig;
  #mappingVersion = 0;
  #isStopping = false;
  // One per shard: the waits before its next generation double while it keeps failing.
  readonly #backoffs: RestartBackoff[] = [];
  // One Int32 per shard: records consumed since its last shipped delta (the shard writes).
  readonly #unshipped: Int32Array;
  // One Int32 per shard: a fault the shard should simulate (debug only; see shard.ts).
  readonly #faults: Int32Array;
  readonly #startedShards = new Set<number>();
  #resolveAllStarted: () => void = () => {};
  /** Resolves once every shard has begun running, in whichever generation (ShardStarted). */
  readonly allStarted = new Promise<void>((resolve) => (this.#resolveAllStarted = resolve));

  constructor(options: ShardPoolOptions) {
    this.#options = options;
    this.#mapping = options.mapping;
    const count = options.rings.length;
    this.#unshipped = new Int32Array(new SharedArrayBuffer(4 * count));
    this.#faults = new Int32Array(new SharedArrayBuffer(4 * count));
    this.#pool = new Piscina({
      filename: SHARD_TASK,
      name: 'default',
      minThreads: count,
      maxThreads: count,
      concurrentTasksPerWorker: 1,
      idleTimeout: Number.MAX_SAFE_INTEGER,
      // Shard tasks await Atomics.waitAsync; piscina's own blocking wait must stay out of it.
      atomics: 'disabled',
    });
  }

  start(): void {
    for (let shard = 0; shard < this.#options.rings.length; shard++) {
      this.#backoffs[shard] = new RestartBackoff(FIRST_RESTART_DELAY_MS);
      this.#running[shard] = this.#run(shard, 0, this.#options.currentEpoch());
    }
  }

  /**
   * Debug fault injection: shard `shard` throws (`throw`) or ends its thread (`exit`) at its
   * next record or idle wake-up. False when there is no such shard.
   */
  injectFault(shard: number, fault: 'throw' | 'exit'): boolean {
    if (!Number.isInteger(shard) || shard < 0 || shard >= this.#faults.length) return false;
    Atomics.store(this.#faults, shard, fault === 'throw' ? 1 : 2);
    return true;
  }

  /** Every shard switches to `mapping` at its next epoch boundary; restarts start with it. */
  replaceMapping(mapping: MappingConfig, version = 0): void {
    this.#mapping = mapping;
    this.#mappingVersion = version;
    const update: MappingUpdate = { kind: 'mapping', mapping, version };
    for (const port of this.#controlPorts) port?.postMessage(update);
  }

  /**
   * A new merger runs: each shard gets a port to it (the old one's died with it) and the
   * merger waits for each from `fromEpoch`. A shard between generations needs none: its next
   * generation attaches itself.
   */
  reattach(fromEpoch: number): void {
    this.#controlPorts.forEach((controlPort, shard) => {
      const { port1, port2 } = new MessageChannel();
      this.#options.attach(shard, this.#generations[shard], fromEpoch, port2);
      const update: MergerPortUpdate = { kind: 'merger-port', port: port1 };
      controlPort.postMessage(update, [port1]);
    });
  }

  /** Resolves when every shard has returned after the stop request (see FlushControl). */
  async stop(): Promise<void> {
    this.#isStopping = true;
    for (const backoff of this.#backoffs) backoff.cancel();
    await Promise.allSettled(this.#running);
    for (const port of this.#controlPorts) port?.close();
    await this.#pool.destroy();
  }

  async #run(shard: number, generation: number, startEpoch: number): Promise<void> {
    const { port1, port2 } = new MessageChannel();
    this.#generations[shard] = generation;
    this.#options.attach(shard, generation, startEpoch, port2);
    const acks = new MessageChannel();
    acks.port2.on('message', (ack: PushAck) => this.#options.onPushAck(ack));
    // The ack port must not keep the process alive on its own once the shards are gone.
    acks.port2.unref();
    const control = new MessageChannel();
    this.#controlPorts[shard]?.close();
    this.#controlPorts[shard] = control.port1;
    control.port1.on('message', (message: MappingApplied | ShardStarted) => {
      if (message.kind === 'shard-started') {
        this.#startedShards.add(shard);
        if (this.#startedShards.size === this.#options.rings.length) this.#resolveAllStarted();
        return;
      }
      this.#options.onMappingApplied?.(shard, message.version);
    });
    control.port1.unref();
    // This generation starts with the latest rules, so it has applied them already.
    this.#options.onMappingApplied?.(shard, this.#mappingVersion);
    const task: ShardTaskOptions = {
      shard,
      generation,
      startEpoch,
      ring: this.#options.rings[shard],
      control: this.#options.control,
      mergerPort: port1,
      ackPort: acks.port1,
      histogramBuckets: this.#options.histogramBuckets,
      keepsGaugeOrder: this.#options.rings.length > 1,
      logLevel: this.#options.logLevel,
      limits: this.#options.limits,
      unshipped: this.#unshipped.buffer as SharedArrayBuffer,
      faults: this.#faults.buffer as SharedArrayBuffer,
      mapping: this.#mapping,
      maxSpellings: this.#options.maxSpellings,
      controlPort: control.port2,
      progress: this.#options.progress,
    };
    try {
      await this.#pool.run(task, { transferList: [port1, acks.port1, control.port2] as never });
    } catch (err) {
      // A push whose record died with this generation times out in PushReplies.
      acks.port2.close();
      if (this.#isStopping) return;
      // The thread is gone, so nothing writes this slot until the next generation starts.
      const lostRecords = Atomics.exchange(this.#unshipped, shard, 0);
      Atomics.store(this.#faults, shard, 0);
      this.#options.log.error(
        { err, shard, generation, count: lostRecords },
        'shard failed; starting a new generation',
      );
      this.#options.onRestart(shard, lostRecords);
      // Back off when a shard keeps failing, so a poison record cannot spin a core.
      if (!(await this.#backoffs[shard].wait())) return;
      this.#running[shard] = this.#run(shard, generation + 1, this.#options.currentEpoch());
    }
  }
}
