/**
 * What a scenario is to the runner. Adding one is one file exporting a `Scenario` (or a few)
 * and one line in ./index.ts.
 */
import type { TrialPoint } from '../load/udp-trial.js';
import type { SearchResult } from '../lossless-search.js';
import type { ThreadProfile } from '../report/cpu-profile.js';

export interface BenchContext {
  isQuick: boolean;
  /** Sender processes of the blaster. */
  senders: number;
  /** Replaces the progress line on the terminal. */
  progress(text: string): void;
  /** Whether installed peers run beside catalyst-metrics. */
  isPeersEnabled: boolean;
  /** Ceiling searches by datagram packing, shared by the scenarios of one run. */
  ceilings: Map<string, Promise<SearchResult>>;
  /**
   * --cpu-prof: where the scenario's daemons write their .cpuprofile files (one directory
   * per scenario, made by the runner); null when not profiling.
   */
  cpuProfileDirectory: string | null;
}

export type { TrialPoint } from '../load/udp-trial.js';

export interface ScenarioResult {
  name: string;
  /** Median lossless rate for throughput scenarios; null where the scenario has none. */
  losslessLinesPerSec: number | null;
  /** catalyst-metrics / count-only receiver, same blaster; null where not measured. */
  ceilingRatio: number | null;
  /** catalyst-metrics / the best peer present; absent when no peer ran. */
  peerRatio?: number;
  /** Installed peers not measured (or stopped early) at this scenario, with the reason. */
  skippedPeers?: Record<string, string>;
  /** Scenario-specific figures, each name carrying its unit. */
  figures: Record<string, number | string | boolean | null>;
  trials?: TrialPoint[];
  /** Wall time of the scenario, peers and ceiling searches included; set by the runner. */
  durationSec?: number;
  /** --cpu-prof: one summary per thread of every daemon the scenario ran. */
  profiles?: ThreadProfile[];
}

export interface Scenario {
  name: string;
  description: string;
  isInQuick: boolean;
  run(context: BenchContext): Promise<ScenarioResult>;
}
