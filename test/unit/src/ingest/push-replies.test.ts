import { describe, expect, it } from 'vitest';
import { PushReplies, type PushVerdict } from '../../../../src/ingest/push-replies.js';
import type { PushAck } from '../../../../src/protocol.js';

/** Timers that fire only when the test says so. */
function createManualTimers() {
  const due = new Map<number, () => void>();
  let next = 0;
  return {
    setTimer: (callback: () => void): unknown => {
      due.set(next, callback);
      return next++;
    },
    clearTimer: (timer: unknown): void => void due.delete(timer as number),
    fireAll: (): void => {
      for (const callback of [...due.values()]) callback();
      due.clear();
    },
    get armed(): number {
      return due.size;
    },
  };
}

function ack(seq: number, accepted: number): PushAck {
  return { seq, accepted, refused: {}, bodyError: null, firstSampleError: null };
}

describe('PushReplies', () => {
  it('hands each ack to the waiter of its seq and disarms its timer', async () => {
    const timers = createManualTimers();
    const replies = new PushReplies({ timeoutMs: 1000, ...timers });
    const first = replies.wait(7);
    const second = replies.wait(8);

    replies.settle(ack(8, 2));
    replies.settle(ack(7, 1));

    expect(await first).toEqual({ kind: 'ack', ack: ack(7, 1) });
    expect(await second).toEqual({ kind: 'ack', ack: ack(8, 2) });
    expect(timers.armed).toBe(0);
    expect(replies.pendingCount).toBe(0);
  });

  it('answers a push whose ack never comes as timed out, and ignores the late ack', async () => {
    const timers = createManualTimers();
    const replies = new PushReplies({ timeoutMs: 1000, ...timers });
    const waiting = replies.wait(3);

    timers.fireAll();
    replies.settle(ack(3, 1));

    expect(await waiting).toEqual<PushVerdict>({ kind: 'timeout' });
    expect(replies.pendingCount).toBe(0);
  });

  it('ignores an ack for a seq nobody waits for, keeping the others waiting', () => {
    const timers = createManualTimers();
    const replies = new PushReplies({ timeoutMs: 1000, ...timers });
    void replies.wait(1);

    replies.settle(ack(2, 1));

    expect(replies.pendingCount).toBe(1);
    expect(timers.armed).toBe(1);
  });
});
