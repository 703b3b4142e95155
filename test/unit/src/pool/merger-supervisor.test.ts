import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../../../src/log.js';
import {
  MergerSupervisor,
  type MergerHandle,
  type MergerSupervisorOptions,
} from '../../../../src/pool/merger-supervisor.js';
import type { MergerThreadOptions } from '../../../../src/pool/merger-thread.js';
import { EMPTY_MAPPING } from '../../../../src/protocol.js';
import { MergeProgress, createMergeProgressBuffer } from '../../../../src/ring/merge-progress.js';

/** A merger thread that never runs: it records ticks and fails when told to. */
interface FakeThread {
  firstEpoch: number;
  ticks: number[];
  isDiscarded: boolean;
  fail(): void;
}

function createHarness(options: { maxWaitEpochs?: number } = {}) {
  const threads: FakeThread[] = [];
  const events: string[] = [];
  let epoch = 0;
  const progressBuffer = createMergeProgressBuffer(1);
  const log = {
    error: (_fields: object, msg: string) => events.push(`error: ${msg}`),
    info: (_fields: object, msg: string) => events.push(`info: ${msg}`),
  } as unknown as Logger;
  const startThread = (thread: MergerThreadOptions): Promise<MergerHandle> => {
    const fake: FakeThread = {
      firstEpoch: thread.firstEpoch,
      ticks: [],
      isDiscarded: false,
      fail: () => thread.onFailed(new Error('gone')),
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
    return Promise.resolve(handle as unknown as MergerHandle);
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
    onExposition: () => {},
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
      'error: merger keeps failing; /metrics answers 503 until restart',
      'gave up',
    ]);
  });

  it('starts counting failures afresh once a replacement renders an epoch of its own', async () => {
    const harness = createHarness();
    const supervisor = await harness.start();
    harness.setEpoch(7);
    harness.threads[0].fail();
    await vi.advanceTimersByTimeAsync(100);

    supervisor.noteRendered(7);
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
});
