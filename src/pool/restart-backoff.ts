/**
 * The wait before a failed worker (a shard, the merger, the log worker) is started again:
 * it doubles with each failure in a row, up to `maxDelayMs`, so a poison input cannot spin a
 * core. cancel() ends a wait at once, so a stop never sits out a backoff.
 */
export class RestartBackoff {
  readonly #firstDelayMs: number;
  readonly #maxDelayMs: number;
  #failures = 0;
  #isCancelled = false;
  #timer: NodeJS.Timeout | undefined;
  #wake: () => void = () => {};

  constructor(firstDelayMs: number, maxDelayMs = 5000) {
    this.#firstDelayMs = firstDelayMs;
    this.#maxDelayMs = maxDelayMs;
  }

  /** Failures in a row since the last reset(). */
  get failures(): number {
    return this.#failures;
  }

  /** Counts one more failure and waits its delay. False when cancelled: do not restart. */
  async wait(): Promise<boolean> {
    if (this.#isCancelled) return false;
    const delayMs = Math.min(this.#maxDelayMs, this.#firstDelayMs * 2 ** this.#failures);
    this.#failures++;
    await new Promise<void>((resolve) => {
      this.#wake = resolve;
      this.#timer = setTimeout(resolve, delayMs);
    });
    return !this.#isCancelled;
  }

  /** The restarted worker has shown it works: the next failure waits the first delay again. */
  reset(): void {
    this.#failures = 0;
  }

  /** Ends the wait in progress, and every later one, with false. */
  cancel(): void {
    this.#isCancelled = true;
    clearTimeout(this.#timer);
    this.#wake();
  }
}
