import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  describeEnvironment,
  readPreviousResults,
  resultsBaseName,
  writeResults,
  type BenchResults,
} from '../../../../bench/report/result-file.js';

const directories: string[] = [];
function temporaryDirectory(): string {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'bench-results-'));
  directories.push(directory);
  return directory;
}
afterEach(() => {
  for (const directory of directories.splice(0))
    rmSync(directory, { recursive: true, force: true });
});

const NOW = new Date('2026-12-03T15:04:56.789Z');

describe('results file', () => {
  it('is named by the run start time without colons, so names sort by date', () => {
    expect(resultsBaseName(NOW)).toBe('2026-12-03T15-04-56Z');
  });

  it('records Node version, CPU model, core count, commit, date and load average', () => {
    const environment = describeEnvironment(true, NOW);

    expect(environment).toMatchObject({
      nodeVersion: process.version,
      cpuCores: os.cpus().length,
      date: '2026-12-03T15:04:56.789Z',
      isQuick: true,
    });
    expect(environment.cpuModel).toBe(os.cpus()[0].model);
    expect(environment.commit).toMatch(/^([0-9a-f]{40}|unknown)$/);
    expect(environment.loadAverage).toHaveLength(3);
  });

  it('writes the scenarios with name, losslessLinesPerSec, ceilingRatio and peerRatio', () => {
    const directory = temporaryDirectory();
    const results: BenchResults = {
      environment: describeEnvironment(false, NOW),
      scenarios: [
        {
          name: 'udp/packed 1k counters',
          losslessLinesPerSec: 3_000_000,
          ceilingRatio: 0.5,
          peerRatio: 1.6,
          figures: { netdataLinesPerSec: 1_875_000 },
        },
      ],
    };

    const file = writeResults(directory, resultsBaseName(NOW), results);

    expect(file).toBe(path.join(directory, '2026-12-03T15-04-56Z.json'));
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(results);
  });

  it('finds the newest other results file as the previous run', () => {
    const directory = temporaryDirectory();
    const empty = { environment: describeEnvironment(false, NOW), scenarios: [] };
    writeFileSync(path.join(directory, '2026-12-01T10-00-00Z.json'), JSON.stringify(empty));
    writeFileSync(path.join(directory, '2026-12-02T10-00-00Z.json'), JSON.stringify(empty));
    writeFileSync(path.join(directory, '2026-12-02T10-00-00Z.svg'), '<svg/>');
    writeFileSync(path.join(directory, '2026-12-03T15-04-56Z.json'), JSON.stringify(empty));

    const previous = readPreviousResults(directory, '2026-12-03T15-04-56Z');

    expect(previous?.file).toBe(path.join(directory, '2026-12-02T10-00-00Z.json'));
  });

  it('has no previous run in an empty or missing directory', () => {
    expect(readPreviousResults(temporaryDirectory(), 'x')).toBeNull();
    expect(
      readPreviousResults(path.join(os.tmpdir(), 'bench-results-missing-dir'), 'x'),
    ).toBeNull();
  });
});
