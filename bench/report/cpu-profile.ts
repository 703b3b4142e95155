/**
 * Summaries of the V8 .cpuprofile files `node --cpu-prof` writes, one per thread: which
 * thread it was, how much of its time went idle and to GC, and the functions with the most
 * self time. Pure functions over the parsed JSON, plus one reader of a directory.
 *
 * Format (V8 Profiler.Profile): `nodes` is the call tree, each with a `callFrame` and child
 * ids; `samples[i]` is the id of the node on top of the stack at sample i, and
 * `timeDeltas[i]` the microseconds since the sample before it. Self time of a node is the
 * sum of the deltas of its samples, which hit counts times the interval only approximate.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }>;
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface FunctionSelfTime {
  /** `name file:line`, the file relative to the build directory where it lies in it. */
  function: string;
  selfMs: number;
  /** Of the thread's whole profiled time, idle included. */
  selfPercent: number;
}

export interface ThreadProfile {
  /** `main`, `merger`, `shard`, `logs` or `worker`, from the code the thread ran. */
  thread: string;
  file: string;
  profiledMs: number;
  idlePercent: number;
  gcPercent: number;
  top: FunctionSelfTime[];
}

export const TOP_FUNCTIONS = 8;

// V8's pseudo-frames: time not spent in any JavaScript function.
const IDLE = '(idle)';
const GC = '(garbage collector)';

export function summariseCpuProfile(profile: CpuProfile, file: string): ThreadProfile {
  const frameById = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const selfUsByFunction = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const frame = frameById.get(profile.samples[i]);
    if (frame === undefined) continue;
    const key = describeFrame(frame);
    selfUsByFunction.set(key, (selfUsByFunction.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }

  const profiledUs = Math.max(1, profile.endTime - profile.startTime);
  const percent = (us: number): number => Math.round((us / profiledUs) * 1000) / 10;
  const top = [...selfUsByFunction]
    .filter(([key]) => key !== IDLE && key !== GC)
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP_FUNCTIONS)
    .map(([key, us]) => ({
      function: key,
      selfMs: Math.round(us / 1000),
      selfPercent: percent(us),
    }));
  return {
    thread: threadOf(profile, file),
    file: path.basename(file),
    profiledMs: Math.round(profiledUs / 1000),
    idlePercent: percent(selfUsByFunction.get(IDLE) ?? 0),
    gcPercent: percent(selfUsByFunction.get(GC) ?? 0),
    top,
  };
}

/** Every .cpuprofile in `directory`, main thread first; none when it does not exist. */
export function readCpuProfiles(directory: string): ThreadProfile[] {
  let names: string[];
  try {
    names = readdirSync(directory).filter((name) => name.endsWith('.cpuprofile'));
  } catch {
    return [];
  }
  return names
    .map((name) => {
      const file = path.join(directory, name);
      return summariseCpuProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, file);
    })
    .sort((a, b) => threadRank(a.thread) - threadRank(b.thread) || a.file.localeCompare(b.file));
}

/** `CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile`: thread id 0 is the main thread. */
function threadOf(profile: CpuProfile, file: string): string {
  if (path.basename(file).split('.')[4] === '0') return 'main';
  const urls = profile.nodes.map((node) => node.callFrame.url);
  if (urls.some((url) => url.includes('/workers/merge/'))) return 'merger';
  if (urls.some((url) => url.includes('/workers/shard/'))) return 'shard';
  if (urls.some((url) => url.includes('/workers/logs/'))) return 'logs';
  return 'worker';
}

const THREAD_ORDER = ['main', 'shard', 'merger', 'logs', 'worker'];

function threadRank(thread: string): number {
  return THREAD_ORDER.indexOf(thread);
}

function describeFrame(frame: CpuProfile['nodes'][number]['callFrame']): string {
  if (frame.url === '') return frame.functionName || '(anonymous)';
  const file = frame.url.replace(/^file:\/\//, '').replace(/^.*\/(dist|node_modules)\//, '$1/');
  return `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
}
