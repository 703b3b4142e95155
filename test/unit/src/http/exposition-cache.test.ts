import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ExpositionCache } from '../../../../src/http/exposition-cache.js';
import type { Exposition, ExpositionFormat } from '../../../../src/protocol.js';

const INTEREST_MS = 5 * 60 * 1000;
const RENDER_WAIT_MS = 2000;

function exposition(format: ExpositionFormat, epoch: number): Exposition {
  const plain = new TextEncoder().encode(`${format} ${epoch}\n`);
  return { kind: 'exposition', epoch, format, plain, gzip: plain };
}

function setUp() {
  const clock = { nowMs: 1_000_000 };
  const requested: ExpositionFormat[] = [];
  const cache = new ExpositionCache({
    requestRender: (format) => requested.push(format),
    now: () => clock.nowMs,
  });
  return { clock, requested, cache };
}

/** The promise's outcome so far: 'pending' until it settles. */
function track<T>(promise: Promise<T>): { outcome: T | 'pending' } {
  const state: { outcome: T | 'pending' } = { outcome: 'pending' };
  void promise.then((value) => (state.outcome = value));
  return state;
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('ExpositionCache', () => {
  it('serves the latest text rendering and nothing before the first', () => {
    const { cache } = setUp();
    expect(cache.text).toBeNull();

    const first = exposition('text', 0);
    const second = exposition('text', 1);
    cache.accept(first);
    cache.accept(second);
    expect(cache.text).toBe(second);
  });

  it('returns OpenMetrics as fresh as the text without asking for a rendering', async () => {
    const { cache, requested } = setUp();
    const openMetrics = exposition('openmetrics', 3);
    cache.accept(exposition('text', 3));
    cache.accept(openMetrics);

    expect(await cache.openMetrics()).toBe(openMetrics);
    expect(requested).toEqual([]);
  });

  it('asks once for a rendering and wakes every waiting scrape with it', async () => {
    const { cache, requested } = setUp();
    cache.accept(exposition('text', 4));
    cache.accept(exposition('openmetrics', 3));

    const first = track(cache.openMetrics());
    const second = track(cache.openMetrics());
    expect(requested).toEqual(['openmetrics']);

    // A text rendering does not answer an OpenMetrics scrape.
    cache.accept(exposition('text', 5));
    await vi.advanceTimersByTimeAsync(0);
    expect(first.outcome).toBe('pending');

    const fresh = exposition('openmetrics', 5);
    cache.accept(fresh);
    await vi.advanceTimersByTimeAsync(0);
    expect(first.outcome).toBe(fresh);
    expect(second.outcome).toBe(fresh);
  });

  it('gives up after the render wait with null, and asks again on the next scrape', async () => {
    const { cache, requested } = setUp();
    cache.accept(exposition('text', 0));

    const waiting = track(cache.openMetrics());
    await vi.advanceTimersByTimeAsync(RENDER_WAIT_MS - 1);
    expect(waiting.outcome).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(waiting.outcome).toBeNull();

    const next = track(cache.openMetrics());
    expect(requested).toEqual(['openmetrics', 'openmetrics']);
    const late = exposition('openmetrics', 0);
    cache.accept(late);
    await vi.advanceTimersByTimeAsync(0);
    expect(next.outcome).toBe(late);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('wants OpenMetrics rendered every flush for five minutes after a scrape of it', async () => {
    const { cache, clock } = setUp();
    expect(cache.isOpenMetricsWanted()).toBe(false);

    cache.accept(exposition('text', 0));
    cache.accept(exposition('openmetrics', 0));
    await cache.openMetrics();

    clock.nowMs += INTEREST_MS - 1;
    expect(cache.isOpenMetricsWanted()).toBe(true);
    clock.nowMs += 1;
    expect(cache.isOpenMetricsWanted()).toBe(false);
  });
});
