import type { PushAck } from '../protocol.js';

/**
 * HTTP pushes waiting for their shard's verdict, by record seq.
 *
 *   route ──dispatchPush──▶ ring (seq) ──▶ shard decodes, stores ──PushAck(seq)──▶ settle
 *
 * The main thread never parses a body, so a response cannot be sent until the shard that
 * read the record says what it made of it. A record lost with a failed shard generation
 * never gets an ack: its waiter is answered after `timeoutMs` as timed out.
 */
export type PushVerdict = { kind: 'ack'; ack: PushAck } | { kind: 'timeout' };

export interface PushRepliesOptions {
  timeoutMs: number;
  /** Injected for tests; setTimeout/clearTimeout in the daemon. */
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

interface Pending {
  settle(verdict: PushVerdict): void;
  timer: unknown;
}

export class PushReplies {
  readonly #pending = new Map<number, Pending>();
  readonly #timeoutMs: number;
  readonly #setTimer: (callback: () => void, ms: number) => unknown;
  readonly #clearTimer: (timer: unknown) => void;

  constructor(options: PushRepliesOptions) {
    this.#timeoutMs = options.timeoutMs;
    this.#setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
    this.#clearTimer =
      options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
  }

  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Resolves with the shard's ack for `seq`, or with a timeout. Call right after dispatch. */
  wait(seq: number): Promise<PushVerdict> {
    return new Promise((resolve) => {
      const timer = this.#setTimer(() => {
        this.#pending.delete(seq);
        resolve({ kind: 'timeout' });
      }, this.#timeoutMs);
      this.#pending.set(seq, { settle: resolve, timer });
    });
  }

  /** Hands an ack to its waiter; an ack nobody waits for any more (timed out) is ignored. */
  settle(ack: PushAck): void {
    const pending = this.#pending.get(ack.seq);
    if (pending === undefined) return;
    this.#pending.delete(ack.seq);
    this.#clearTimer(pending.timer);
    pending.settle({ kind: 'ack', ack });
  }
}
