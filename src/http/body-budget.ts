/**
 * Request-body bytes held in memory at once, over every request of one HTTP engine (both
 * listeners). Each body alone is bounded by its route's limit, but not how many arrive
 * together: a hundred unfinished 4 MiB bodies held 450 MiB before this existed. A chunk
 * that would pass the budget ends its request with 503 instead (see the engines' readBody).
 *
 * Main thread only: plain numbers, no atomics.
 */
export class BodyBudget {
  readonly limitBytes: number;
  #heldBytes = 0;

  constructor(limitBytes: number) {
    this.limitBytes = limitBytes;
  }

  get heldBytes(): number {
    return this.#heldBytes;
  }

  /** Takes `bytes` from the budget, or takes nothing and answers false when it would pass. */
  tryTake(bytes: number): boolean {
    if (this.#heldBytes + bytes > this.limitBytes) return false;
    this.#heldBytes += bytes;
    return true;
  }

  /** Gives back what a request took, once its body is handed over or dropped. */
  give(bytes: number): void {
    this.#heldBytes -= bytes;
  }
}

export const BUSY_MESSAGE = 'too many request bodies in flight; retry later\n';
