import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  readCpuProfiles,
  summariseCpuProfile,
  type CpuProfile,
} from '../../../../bench/report/cpu-profile.js';

const DIST = 'file:///repo/dist';

/** A profile of 100 ms: samples name node ids, each lasting the delta given beside it. */
function profile(nodes: Array<[number, string, string]>, samples: Array<[number, number]>) {
  const built: CpuProfile = {
    nodes: nodes.map(([id, functionName, url]) => ({
      id,
      callFrame: { functionName, url, lineNumber: 9 },
    })),
    startTime: 1_000_000,
    endTime: 1_100_000,
    samples: samples.map(([id]) => id),
    timeDeltas: samples.map(([, us]) => us),
  };
  return built;
}

const MERGER_NODES: Array<[number, string, string]> = [
  [1, '(root)', ''],
  [2, '(idle)', ''],
  [3, '(garbage collector)', ''],
  [4, 'renderExposition', `${DIST}/workers/merge/exposition.js`],
  [5, 'foldEpoch', `${DIST}/workers/merge/fold.js`],
  [6, 'join', ''],
];

describe('summariseCpuProfile', () => {
  it('sums self time from time deltas, names file and line, and keeps idle and GC apart', () => {
    const merger = profile(MERGER_NODES, [
      [2, 40_000],
      [4, 20_000],
      [4, 10_000],
      [5, 15_000],
      [3, 5_000],
      [6, 10_000],
    ]);

    const summary = summariseCpuProfile(merger, '/r/CPU.20261203.162111.16687.2.003.cpuprofile');

    expect(summary).toEqual({
      thread: 'merger',
      file: 'CPU.20261203.162111.16687.2.003.cpuprofile',
      profiledMs: 100,
      idlePercent: 40,
      gcPercent: 5,
      top: [
        {
          function: 'renderExposition dist/workers/merge/exposition.js:10',
          selfMs: 30,
          selfPercent: 30,
        },
        { function: 'foldEpoch dist/workers/merge/fold.js:10', selfMs: 15, selfPercent: 15 },
        { function: 'join', selfMs: 10, selfPercent: 10 },
      ],
    });
  });

  it('keeps only the eight functions with the most self time', () => {
    const nodes: Array<[number, string, string]> = Array.from({ length: 10 }, (_, i) => [
      i + 1,
      `f${i + 1}`,
      `${DIST}/workers/shard/shard.js`,
    ]);
    const samples: Array<[number, number]> = nodes.map(([id]) => [id, id * 1000]);

    const summary = summariseCpuProfile(profile(nodes, samples), 'CPU.1.2.3.1.001.cpuprofile');

    expect(summary.thread).toBe('shard');
    expect(summary.top.map((entry) => entry.function.split(' ')[0])).toEqual([
      'f10',
      'f9',
      'f8',
      'f7',
      'f6',
      'f5',
      'f4',
      'f3',
    ]);
  });

  it.each([
    {
      name: 'thread id 0 is the main thread',
      file: 'CPU.1.2.3.0.001.cpuprofile',
      url: '',
      want: 'main',
    },
    {
      name: 'shard code makes a shard',
      file: 'CPU.1.2.3.1.001.cpuprofile',
      url: `${DIST}/workers/shard/shard.js`,
      want: 'shard',
    },
    {
      name: 'log worker code makes logs',
      file: 'CPU.1.2.3.3.001.cpuprofile',
      url: `${DIST}/workers/logs/log-file.js`,
      want: 'logs',
    },
    {
      name: 'no known code makes a worker',
      file: 'CPU.1.2.3.4.001.cpuprofile',
      url: 'node:internal/x',
      want: 'worker',
    },
  ])('names the thread: $name', ({ file, url, want }) => {
    const summary = summariseCpuProfile(profile([[1, 'f', url]], [[1, 1000]]), file);

    expect(summary.thread).toBe(want);
  });
});

describe('readCpuProfiles', () => {
  let directory = '';
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('reads every .cpuprofile of a directory, main thread first, and nothing else', () => {
    directory = mkdtempSync(path.join(os.tmpdir(), 'cpu-profile-test-'));
    const merger = profile(MERGER_NODES, [[4, 1000]]);
    const main = profile([[1, 'onMessage', `${DIST}/src/ingest/udp.js`]], [[1, 1000]]);
    writeFileSync(path.join(directory, 'CPU.1.2.9.1.001.cpuprofile'), JSON.stringify(merger));
    writeFileSync(path.join(directory, 'CPU.1.2.9.0.002.cpuprofile'), JSON.stringify(main));
    writeFileSync(path.join(directory, 'notes.txt'), 'not a profile');

    const threads = readCpuProfiles(directory).map((summary) => summary.thread);

    expect(threads).toEqual(['main', 'merger']);
  });

  it('returns no profiles for a directory that does not exist', () => {
    directory = path.join(os.tmpdir(), 'cpu-profile-test-absent');

    expect(readCpuProfiles(directory)).toEqual([]);
  });
});
