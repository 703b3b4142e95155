import type { MessagePort } from 'node:worker_threads';
import type { Logger } from '../log.js';
import type { MappingConfig, MergerFault, MergerTick } from '../protocol.js';
import { MAX_UNFOLDED_DELTAS, MergeProgress } from '../ring/merge-progress.js';
import { MergerThread, type MergerThreadOptions } from './merger-thread.js';

export interface MergerSupervisorOptions extends Omit<
  MergerThreadOptions,
  'firstEpoch' | 'onFailed' | 'log'
> {
  /** The epoch being accumulated now: where a replacement merger starts. */
  currentEpoch(): number;
  /** Gives every running shard a port to the new merger (ShardPool.reattach). */
  reattachShards(fromEpoch: number): void;
  /** Counts one replacement (catalyst_worker_restarts_total{worker="merger"}). */
  onRestart(): void;
  /** Every attempt failed: /metrics must stop serving the frozen rendering. */
  onGiveUp(): void;
  log: Logger;
  /** Starts a merger thread; tests pass a fake. */
  startThread?: (options: MergerThreadOptions) => Promise<MergerHandle>;
}

/** What the supervisor uses of a MergerThread. */
export type MergerHandle = Pick<
  MergerThread,
  | 'attach'
  | 'tick'
  | 'requestRender'
  | 'replaceMapping'
  | 'cardinality'
  | 'injectFault'
  | 'stop'
  | 'discard'
>;

// Consecutive failed replacements before giving up; the waits between them double.
const MAX_RESTART_ATTEMPTS = 5;
const FIRST_RESTART_DELAY_MS = 100;
const MAX_RESTART_DELAY_MS = 5000;

/**
 * Keeps one merger running. When it dies, a new one starts at main's current epoch, loads
 * --state-file if set, and every shard is handed a port to it. Lost with the old one: its
 * merged series (unless --state-file), and the deltas it had not folded, which the shards
 * count (merge-progress.ts). Until the new one renders, /metrics serves the last rendering.
 *
 * It also paces ticks: past maxWaitEpochs + MAX_UNFOLDED_DELTAS ticks unfolded, one more is
 * skipped; ticks carry running totals, and the next one sent stands for the skipped ones.
 * The epoch gate counts ticks to give up on a hung shard, so it must keep getting that many.
 */
export class MergerSupervisor {
  readonly #options: MergerSupervisorOptions;
  readonly #progress: MergeProgress;
  #current: MergerHandle | null = null;
  #mapping: MappingConfig;
  #replacing: Promise<void> | null = null;
  #isStopping = false;
  // Consecutive replacements that did not render an epoch of their own.
  #failures = 0;
  #firstEpoch = 0;
  #lastTickSent = -1;

  private constructor(options: MergerSupervisorOptions) {
    this.#options = options;
    this.#progress = new MergeProgress(options.progress);
    this.#mapping = options.mapping;
  }

  static async start(options: MergerSupervisorOptions): Promise<MergerSupervisor> {
    const supervisor = new MergerSupervisor(options);
    supervisor.#current = await supervisor.#startThread(0);
    return supervisor;
  }

  /** Epochs main has closed (through `closedEpoch`) that the merger has not folded. */
  backlogEpochs(closedEpoch: number): number {
    return Math.max(0, closedEpoch - this.#foldedEpoch());
  }

  attach(shard: number, generation: number, fromEpoch: number, port: MessagePort): void {
    // With no live merger the port is dropped: the replacement re-attaches every shard.
    this.#current?.attach(shard, generation, fromEpoch, port);
  }

  /** `isFinal`: the stop tick, which is never skipped. */
  tick(tick: Omit<MergerTick, 'kind'>, isFinal = false): void {
    const unfolded = this.#lastTickSent - this.#foldedEpoch();
    if (!isFinal && unfolded >= this.#options.maxWaitEpochs + MAX_UNFOLDED_DELTAS) return;
    this.#lastTickSent = tick.epoch;
    this.#current?.tick(tick);
  }

  requestRender(format: Parameters<MergerThread['requestRender']>[0]): void {
    this.#current?.requestRender(format);
  }

  /** `version` is acknowledged through onMappingApplied once the merger runs the rules. */
  replaceMapping(mapping: MappingConfig | null, version = 0): void {
    if (mapping !== null) this.#mapping = mapping;
    this.#current?.replaceMapping(mapping, version);
  }

  cardinality(): Promise<string> {
    return this.#current?.cardinality() ?? Promise.resolve('{"error":"no merger running"}\n');
  }

  /** Debug fault injection (--debug-fault-injection on). */
  injectFault(fault: MergerFault['fault'], delayMs = 0): boolean {
    if (this.#current === null) return false;
    this.#current.injectFault(fault, delayMs);
    return true;
  }

  /** Called for every rendering: one of its own epochs shows the replacement works. */
  noteRendered(epoch: number): void {
    if (epoch >= this.#firstEpoch) this.#failures = 0;
  }

  async stop(finalEpoch: number): Promise<void> {
    this.#isStopping = true;
    await this.#replacing;
    await this.#current?.stop(finalEpoch);
  }

  #foldedEpoch(): number {
    // A replacement has folded nothing yet, and owes nothing from before its first epoch.
    return Math.max(this.#progress.foldedEpoch, this.#firstEpoch - 1);
  }

  #startThread(firstEpoch: number): Promise<MergerHandle> {
    const start = this.#options.startThread ?? ((options) => MergerThread.start(options));
    return start({
      ...this.#options,
      mapping: this.#mapping,
      firstEpoch,
      onFailed: (err) => this.#onFailed(err),
    });
  }

  #onFailed(err: unknown): void {
    if (this.#isStopping) return;
    this.#options.log.error({ err }, 'merger failed; starting a new one');
    // A replacement that dies while the previous replacement is still settling: queue.
    const next = (this.#replacing ?? Promise.resolve()).then(() => this.#replace());
    this.#replacing = next;
    void next.finally(() => {
      if (this.#replacing === next) this.#replacing = null;
    });
  }

  async #replace(): Promise<void> {
    const failed = this.#current;
    this.#current = null;
    await failed?.discard();
    while (!this.#isStopping) {
      if (this.#failures >= MAX_RESTART_ATTEMPTS) {
        this.#options.log.error(
          { count: this.#failures },
          'merger keeps failing; /metrics answers 503 until restart',
        );
        this.#options.onGiveUp();
        return;
      }
      // Back off when replacements keep failing, so a poison delta cannot spin a core.
      await delay(Math.min(MAX_RESTART_DELAY_MS, FIRST_RESTART_DELAY_MS * 2 ** this.#failures));
      this.#failures++;
      if (this.#isStopping) return;
      const firstEpoch = this.#options.currentEpoch();
      try {
        this.#current = await this.#startThread(firstEpoch);
      } catch (err) {
        this.#options.log.error({ err, count: this.#failures }, 'merger did not start');
        continue;
      }
      this.#firstEpoch = firstEpoch;
      this.#lastTickSent = firstEpoch - 1;
      this.#options.onRestart();
      this.#options.reattachShards(firstEpoch);
      this.#options.log.info({ epoch: firstEpoch }, 'merger replaced');
      return;
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
