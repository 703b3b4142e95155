/**
 * The results JSON: figures per scenario plus the environment that produced them, one file
 * per run under bench/results/, named by its start time so that names sort by date.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ScenarioResult } from '../scenarios/scenario.js';

export interface BenchEnvironment {
  nodeVersion: string;
  cpuModel: string;
  cpuCores: number;
  commit: string;
  date: string;
  /** 1, 5 and 15 minute load averages at the start: the machine may be shared. */
  loadAverage: number[];
  isQuick: boolean;
}

export interface BenchResults {
  environment: BenchEnvironment;
  scenarios: ScenarioResult[];
}

export function describeEnvironment(isQuick: boolean, now: Date): BenchEnvironment {
  return {
    nodeVersion: process.version,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    cpuCores: os.cpus().length,
    commit: readCommit(),
    date: now.toISOString(),
    loadAverage: os.loadavg().map((load) => Math.round(load * 100) / 100),
    isQuick,
  };
}

function readCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'unknown';
  }
}

/** `2026-12-03T15-04-56Z`: an ISO time with the colons a file name cannot always hold. */
export function resultsBaseName(now: Date): string {
  return now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '-');
}

export function writeResults(directory: string, baseName: string, results: BenchResults): string {
  mkdirSync(directory, { recursive: true });
  const file = path.join(directory, `${baseName}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

/** The newest results file other than `exceptBaseName`, or null on a first run. */
export function readPreviousResults(
  directory: string,
  exceptBaseName: string,
): { file: string; results: BenchResults } | null {
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    return null;
  }
  const previous = names
    .filter((name) => name.endsWith('.json') && name !== `${exceptBaseName}.json`)
    .sort()
    .at(-1);
  if (previous === undefined) return null;
  const file = path.join(directory, previous);
  return { file, results: JSON.parse(readFileSync(file, 'utf8')) as BenchResults };
}
