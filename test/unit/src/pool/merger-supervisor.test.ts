import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../../../src/log.js';
import {
  MergerSupervisor,
  type MergerHandle,
  type MergerSupervisorOptions,
} from '../../../../src/pool/merger-supervisor.js';
import type { MergerThreadOptions } from '../../../../src/pool/merger-thread.js';
import { EMPTY_MAPPING, type Exposition } from '../../../../src/protocol.js';
import { MergeProgress, createMergeProgressBuffer } from '../../../../src/ring/merge-progress.js';

/** A merger thread that never runs: it records ticks and fails when told to. */
interface FakeThread {
  firstEpoch: number;
  ticks: number[];
  isDiscarded: boolean;
  fail(): void;
  /** Hands main a rendering of `epoch`, as the merger does after a fold. */
  render(epoch: number): void;
}

function createHarness(options: { maxWaitEpochs?: number } = {}) {
  const threads: FakeThread[] = [];
  const events: string[] = [];
  const renderedEpochs: number[] = [];
  let epoch = 0;
  // While set, a starting thread comes up only when the test calls the release function.
  let heldStarts: Array<() => void> | null = null;
  const progressBuffer = createMergeProgressBuffer(1);
  const log = {
    error: (_fields: object, msg: string) => events.push(`error: ${msg}`),
    info: (_fields: object, msg: string) => events.push(`info: ${msg}`),
    fatal: (_fields: object, msg: string) => events.push(`fatal: ${msg}`),
  } as unknown as Logger;
  const startThread = async (thread: MergerThreadOptions): Promise<MergerHandle> => {
    if (heldStarts !== null) await new Promise<void>((resolve) => heldStarts!.push(resolve));
    const fake: FakeThread = {
      firstEpoch: thread.firstEpoch,
      ticks: [],
      isDiscarded: false,
      fail: () => thread.onFailed(new Error('gone')),
      render: (epoch) => thread.onExposition({ epoch } as Exposition),
    };
    threads.push(fake);
    const handle = {
      attach: () => {},
      tick: (tick: { epoch: number }) => fake.ticks.push(tick.epoch),
      requestRender: () => {},
      replaceMapping: () => {},
      cardinality: () => Promise.resolve('{}'),
      injectFault: () => {},
      stop: () => Promise.resolve(),
      discard: () => {
        fake.isDiscarded = true;
        return Promise.resolve();
      },
    };
    return handle as unknown as MergerHandle;
  };
  const supervisorOptions: MergerSupervisorOptions = {
    version: 'test',
    httpEngine: 'test',
    histogramBuckets: [1],
    maxWaitEpochs: options.maxWaitEpochs ?? 5,
    stateFile: null,
    maxSeries: 100,
    mapping: EMPTY_MAPPING,
    progress: progressBuffer,
    onExposition: (exposition) => renderedEpochs.push(exposition.epoch),
    currentEpoch: () => epoch,
    reattachShards: (fromEpoch) => events.push(`reattach from ${fromEpoch}`),
    onRestart: () => events.push('restart counted'),
    onGiveUp: () => events.push('gave up'),
    log,
    startThread,
  };
  return {
    threads,
    events,
    renderedEpochs,
    holdStarts: () => (heldStarts = []),
    releaseStarts: () => heldStarts?.splice(0).forEach((release) => release()),
    progress: new MergeProgress(progressBuffer),
    setEpoch: (next: number) => (epoch = next),
    start: () => MergerSupervisor.start(supervisorOptions),
  };
}

const TICK = { wantsOpenMetrics: false, ingest: {} as never };

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('MergerSupervisor', () => {
  it('replaces a failed merger at the current epoch, re-attaches the shards, counts it', async () => {
    const harness = createHarness();
    await harness.start();
    harness.setEpoch(42);

    harness.threads[0].fail();
    await vi.advanceTimersByTimeAsync(100);

    expect(harness.threads.map((t) => [t.firstEpoch, t.isDiscarded])).toEqual([
      [0, true],
      [42, false],
    ]);
    expect(harness.events).toEqual([
      'error: merger failed; starting a new one',
      'restart counted',
      'reattach from 42',
      'info: merger replaced',
    ]);
  });

  it('gives up after five replacements in a row that render nothing of their own', async () => {
    const harness = createHarness();
    await harness.start();

    // Waits double: 100, 200, 400, 800, 1600 ms.
    for (const waitMs of [100, 200, 400, 800, 1600]) {
      harness.threads.at(-1)!.fail();
      await vi.advanceTimersByTimeAsync(waitMs);
    }
    expect(harness.threads).toHaveLength(6);
    harness.threads.at(-1)!.fail();
    await vi.advanceTimersByTimeAsync(10_000);

    expect(harness.threads).toHaveLength(6);
    expect(harness.events.filter((event) => event === 'restart counted')).toHaveLength(5);
    expect(harness.events.slice(-2)).toEqual([
      'fatal: merger keeps failing; /metrics and /-/ready answer 503 until restart',
      'gave up',
    ]);
  });

  it('starts counting failures afresh once a replacement renders an epoch of its own', async () => {
    const harness = createHarness();
    const supervisor = await harness.start();
    harness.setEpoch(7);
    harness.threads[0].fail();
    await vi.advanceTimersByTimeAsync(100);

    harness.threads[1].render(7);
    harness.threads[1].fail();
    await vi.advanceTimersByTimeAsync(100);

    // The first wait again, not the second: the replacement worked for a while.
    expect(harness.threads).toHaveLength(3);
  });

  it('skips ticks past maxWaitEpochs + 4 unfolded, and never the final one', async () => {
    const harness = createHarness({ maxWaitEpochs: 2 });
    const supervisor = await harness.start();

    for (let epoch = 0; epoch < 8; epoch++) supervisor.tick({ epoch, ...TICK });
    harness.progress.markFolded(3);
    supervisor.tick({ epoch: 8, ...TICK });
    supervisor.tick({ epoch: 9, ...TICK });
    supervisor.tick({ epoch: 10, ...TICK }, true);

    // Nothing folded: epochs 0..5 go (6 unfolded), 6 and 7 are skipped; once 3 is folded,
    // 8 and 9 go (8 stands for 6 and 7 too); the final tick goes whatever the count.
    expect(harness.threads[0].ticks).toEqual([0, 1, 2, 3, 4, 5, 8, 9, 10]);
    expect(supervisor.backlogEpochs(10)).toBe(7);
  });

  it('discards a replacement that comes up after shutdown began, and stops at once', async () => {
    const harness = createHarness();
    const supervisor = await harness.start();
    harness.holdStarts();
    harness.threads[0].fail();
    await vi.advanceTimersByTimeAsync(100);

    // SIGTERM while the replacement is starting: the final tick finds no merger.
    supervisor.beginStop();
    supervisor.tick({ epoch: 3, ...TICK }, true);
    const stopped = supervisor.stop(3);
    harness.releaseStarts();
    await stopped;

    expect(harness.threads.map((t) => [t.ticks, t.isDiscarded])).toEqual([
      [[], true],
      [[], true],
    ]);
    expect(harness.events).toEqual(['error: merger failed; starting a new one']);
  });

  it('ends a backoff in progress when shutdown begins, starting nothing more', async () => {
    const harness = createHarness();
    const supervisor = await harness.start();
    harness.threads[0].fail();
    await vi.advanceTimersByTimeAsync(10);

    await supervisor.stop(0);

    expect(harness.threads).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('replaces a merger that folds nothing while ticks keep coming, and counts it', async () => {
    const harness = createHarness({ maxWaitEpochs: 2 });
    const supervisor = await harness.start();
    const hungAfter = supervisor.hungAfterEpochs();
    expect(hungAfter).toBe(2 * (2 + 4));
    harness.progress.markFolded(0);

    // Epoch 0 folded, then nothing: the watchdog fires on the hungAfter-th tick without a fold.
    for (let epoch = 1; epoch <= hungAfter; epoch++) supervisor.tick({ epoch, ...TICK });
    expect(harness.events).toEqual([]);
    harness.setEpoch(hungAfter + 2);
    supervisor.tick({ epoch: hungAfter + 1, ...TICK });
    await vi.advanceTimersByTimeAsync(100);

    expect(harness.threads.map((t) => [t.firstEpoch, t.isDiscarded])).toEqual([
      [0, true],
      [hungAfter + 2, false],
    ]);
    expect(harness.events).toEqual([
      'error: merger failed; starting a new one',
      'restart counted',
      `reattach from ${hungAfter + 2}`,
      'info: merger replaced',
    ]);
  });

  it('keeps a slow merger that folds now and then', async () => {
    const harness = createHarness({ maxWaitEpochs: 2 });
    const supervisor = await harness.start();

    for (let epoch = 0; epoch < 10 * supervisor.hungAfterEpochs(); epoch++) {
      supervisor.tick({ epoch, ...TICK });
      if (epoch % 8 === 0) harness.progress.markFolded(epoch / 2);
    }

    expect(harness.threads).toHaveLength(1);
  });

  it("passes on no rendering of a replacement's from before its first epoch", async () => {
    const harness = createHarness();
    await harness.start();
    harness.threads[0].render(-1);
    harness.threads[0].render(4);
    harness.setEpoch(9);
    harness.threads[0].fail();
    await vi.advanceTimersByTimeAsync(100);

    // Its self-metrics-only rendering (epoch 8) would read as a counter reset.
    harness.threads[1].render(8);
    harness.threads[1].render(9);

    expect(harness.renderedEpochs).toEqual([-1, 4, 9]);
  });
});
