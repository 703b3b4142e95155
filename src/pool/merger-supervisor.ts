import type { MessagePort } from 'node:worker_threads';
import type { Logger } from '../log.js';
import type { Exposition, MappingConfig, MergerFault, MergerTick } from '../protocol.js';
import { MAX_UNFOLDED_DELTAS, MergeProgress } from '../ring/merge-progress.js';
import { MergerThread, type MergerThreadOptions } from './merger-thread.js';
import { RestartBackoff } from './restart-backoff.js';

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
  /** Every attempt failed: /metrics must stop serving the frozen rendering, /-/ready fail. */
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

/**
 * Keeps one merger running. When it dies, a new one starts at main's current epoch, loads
 * --state-file if set, and every shard is handed a port to it. Lost with the old one: its
 * merged series (unless --state-file), and the deltas it had not folded, which the shards
 * count (merge-progress.ts). Until the new one renders, /metrics serves the last rendering.
 *
 * It also paces ticks: past maxWaitEpochs + MAX_UNFOLDED_DELTAS ticks unfolded, one more is
 * skipped; ticks carry running totals, and the next one sent stands for the skipped ones.
 * The epoch gate counts ticks to give up on a hung shard, so it must keep getting that many.
 *
 * A merger can fail in three ways, each ending in a replacement:
 *  - its thread throws or exits (MergerThread reports it);
 *  - it hangs: ticks keep coming and nothing is folded for hungAfterEpochs() of them, more
 *    than the gate ever waits for a hung shard plus the deltas a shard may have unfolded;
 *  - a replacement fails to start. After MAX_RESTART_ATTEMPTS in a row it gives up.
 */
export class MergerSupervisor {
  readonly #options: MergerSupervisorOptions;
  readonly #progress: MergeProgress;
  #current: MergerHandle | null = null;
  #mapping: MappingConfig;
  #replacing: Promise<void> | null = null;
  #isStopping = false;
  // Its failures() are the replacements in a row that did not render an epoch of their own.
  readonly #backoff = new RestartBackoff(FIRST_RESTART_DELAY_MS);
  #firstEpoch = 0;
  #hasReplaced = false;
  #lastTickSent = -1;
  // The watchdog: ticks sent while the folded epoch stood still.
  #lastFoldedSeen = -1;
  #ticksWithoutFold = 0;

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
    if (!isFinal) this.#watchFolds();
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

  /**
   * No replacement starts after this: one that is starting is discarded when it comes up, a
   * backoff in progress ends now. Called first thing at shutdown, before the final tick.
   */
  beginStop(): void {
    this.#isStopping = true;
    this.#backoff.cancel();
  }

  async stop(finalEpoch: number): Promise<void> {
    this.beginStop();
    await this.#replacing;
    await this.#current?.stop(finalEpoch);
  }

  /** Ticks without a fold after which a merger counts as hung. */
  hungAfterEpochs(): number {
    return 2 * (this.#options.maxWaitEpochs + MAX_UNFOLDED_DELTAS);
  }

  /**
   * A replacement renders once before its first fold, its self-metrics alone (epoch
   * firstEpoch - 1): served, it would read as a counter reset. Only its own epochs pass,
   * and the first of them shows it works.
   */
  #onExposition(exposition: Exposition): void {
    if (this.#hasReplaced && exposition.epoch < this.#firstEpoch) return;
    if (exposition.epoch >= this.#firstEpoch) this.#backoff.reset();
    this.#options.onExposition(exposition);
  }

  #watchFolds(): void {
    const folded = this.#progress.foldedEpoch;
    if (this.#current === null || folded !== this.#lastFoldedSeen) {
      this.#lastFoldedSeen = folded;
      this.#ticksWithoutFold = 0;
      return;
    }
    if (this.#lastTickSent <= this.#foldedEpoch()) return;
    if (++this.#ticksWithoutFold < this.hungAfterEpochs()) return;
    this.#ticksWithoutFold = 0;
    this.#onFailed(new Error(`merger folded nothing for ${this.hungAfterEpochs()} ticks`));
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
      onExposition: (exposition) => this.#onExposition(exposition),
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
      if (this.#backoff.failures >= MAX_RESTART_ATTEMPTS) {
        this.#options.log.fatal(
          { count: this.#backoff.failures },
          'merger keeps failing; /metrics and /-/ready answer 503 until restart',
        );
        this.#options.onGiveUp();
        return;
      }
      // Back off when replacements keep failing, so a poison delta cannot spin a core.
      if (!(await this.#backoff.wait())) return;
      const firstEpoch = this.#options.currentEpoch();
      let started: MergerHandle;
      try {
        started = await this.#startThread(firstEpoch);
      } catch (err) {
        this.#options.log.error({ err, count: this.#backoff.failures }, 'merger did not start');
        continue;
      }
      // Shutdown began while it started: its gate would wait for shards that are stopping.
      if (this.#isStopping) {
        await started.discard();
        return;
      }
      this.#current = started;
      this.#firstEpoch = firstEpoch;
      this.#hasReplaced = true;
      this.#lastTickSent = firstEpoch - 1;
      this.#options.onRestart();
      this.#options.reattachShards(firstEpoch);
      this.#options.log.info({ epoch: firstEpoch }, 'merger replaced');
      return;
    }
  }
}
