import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RestartBackoff } from '../../../../src/pool/restart-backoff.js';

describe('RestartBackoff', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** Runs one wait and reports how long it took on the fake clock, and its answer. */
  async function timedWait(backoff: RestartBackoff): Promise<[number, boolean]> {
    const startMs = Date.now();
    let answer: boolean | null = null;
    const waiting = backoff.wait().then((value) => (answer = value));
    while (answer === null) await vi.advanceTimersByTimeAsync(10);
    await waiting;
    return [Date.now() - startMs, answer];
  }

  it('doubles the delay with each failure in a row, up to the cap', async () => {
    const backoff = new RestartBackoff(100, 500);
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) delays.push((await timedWait(backoff))[0]);
    expect(delays).toEqual([100, 200, 400, 500, 500]);
    expect(backoff.failures).toBe(5);
  });

  it('starts again from the first delay after a reset', async () => {
    const backoff = new RestartBackoff(100, 500);
    await timedWait(backoff);
    await timedWait(backoff);
    backoff.reset();
    expect(backoff.failures).toBe(0);
    expect(await timedWait(backoff)).toEqual([100, true]);
  });

  it('ends a wait in progress with false on cancel, and every later wait at once', async () => {
    const backoff = new RestartBackoff(1000);
    const waiting = backoff.wait();
    backoff.cancel();
    expect(await waiting).toBe(false);
    expect(await backoff.wait()).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });
});
