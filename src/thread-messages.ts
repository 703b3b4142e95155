/**
 * The messages threads post to each other (ticks, deltas, renderings, control and fault
 * messages), apart from the data shapes they carry, which stay in protocol.ts. Re-exported
 * from protocol.ts, so both sides still import one file.
 *
 *   main ──MergerTick, MappingUpdate, MergerFault──▶ merger ──Exposition, MergerNotice──▶ main
 *   main ──ShardControl──▶ shard ──MappingApplied, ShardStarted──▶ main
 *   shard ──DeltaMessage──▶ merger
 */
import type { MessagePort } from 'node:worker_threads';
import type { WireError } from './errors.js';
import type { MappingConfig } from './config/mapping-types.js';
import type { IngestSnapshot } from './protocol.js';

export interface MergerTick {
  kind: 'tick';
  epoch: number;
  ingest: IngestSnapshot;
  /** Render OpenMetrics as well this time: a scraper asked for it recently. */
  wantsOpenMetrics: boolean;
}

export interface DeltaMessage {
  kind: 'delta';
  shard: number;
  epoch: number;
  /** First epoch the delta carries when the shard held epochs back; absent otherwise. */
  heldFrom?: number;
  /** msgpackr-encoded ShardDelta. */
  payload: Uint8Array;
}

export type ExpositionFormat = 'text' | 'openmetrics';

/** A finished rendering. The main thread serves it as-is until the next one arrives. */
export interface Exposition {
  kind: 'exposition';
  epoch: number;
  format: ExpositionFormat;
  plain: Uint8Array;
  gzip: Uint8Array;
}

export interface RenderRequest {
  kind: 'render';
  format: ExpositionFormat;
}

/** Sent after the final tick: once that epoch is rendered, the merger task returns. */
export interface MergerStop {
  kind: 'stop';
  finalEpoch: number;
}

/** A lifecycle event the merger wants logged by the main thread's logger (it has none). */
export interface MergerNotice {
  kind: 'notice';
  level: 'info' | 'warn' | 'error';
  /** Fixed lowercase text; values go in `fields`. */
  msg: string;
  fields: Record<string, string | number>;
}
/** New mapping rules: shards and the merger switch at their next epoch boundary. */
export interface MappingUpdate {
  kind: 'mapping';
  mapping: MappingConfig;
  /** Increases with every reload; echoed in MappingApplied. */
  version: number;
}

/**
 * Sent back by the merger when it has the new rules, and by a shard (on its control port)
 * once it has started a fresh series table under them, so a reload can answer when both did.
 */
export interface MappingApplied {
  kind: 'mapping-applied';
  version: number;
}

/**
 * Posted by a shard on its control port as its task begins. Main starts the flush clock only
 * once every shard has: the gate counts ticks to give up on a shard, and ticks while worker
 * threads still boot (seconds on a loaded host) would make their first deltas late.
 */
export interface ShardStarted {
  kind: 'shard-started';
}

/** A replacement merger's port: the shard sends from its next delta on, with every definition. */
export interface MergerPortUpdate {
  kind: 'merger-port';
  port: MessagePort;
}

/** What the main thread sends a shard between slices. */
export type ShardControl = MappingUpdate | MergerPortUpdate;

/** Debug fault injection: the merger throws, ends its thread, or slows every fold. */
export interface MergerFault {
  kind: 'fault';
  fault: 'throw' | 'exit' | 'slow';
  /** With `slow`: how long each fold that has deltas blocks the merger thread; 0 undoes it. */
  delayMs: number;
}

/** A reload found the file bad: the old rules stay; the merger counts the failure. */
export interface ReloadFailed {
  kind: 'reload-failed';
}

/** Asks the merger for /debug/cardinality; answered by a CardinalityReport with the same id. */
export interface CardinalityRequest {
  kind: 'cardinality';
  id: number;
}

export interface CardinalityReport {
  kind: 'cardinality';
  id: number;
  /** The JSON body, ready to send. */
  json: string;
}

export type MergerInbound =
  | MergerTick
  | RenderRequest
  | ShardAttach
  | MergerStop
  | MappingUpdate
  | ReloadFailed
  | CardinalityRequest
  | MergerFault;
export type MergerOutbound =
  Exposition | MergerReady | MergerFailure | MergerNotice | CardinalityReport | MappingApplied;

/** Tells the merger which port a (new generation of a) shard sends on. */
export interface ShardAttach {
  kind: 'attach';
  shard: number;
  generation: number;
  /** First epoch this generation reports; earlier epochs are not waited for. */
  fromEpoch: number;
  port: MessagePort;
}

export interface MergerReady {
  kind: 'ready';
}

export interface MergerFailure {
  kind: 'failure';
  error: WireError;
}
