import { performance } from 'node:perf_hooks';
import type { MessagePort } from 'node:worker_threads';
import { Packr } from 'msgpackr';
import {
  CONTROL_CUT_BASE_SLOT,
  CONTROL_EPOCH_SLOT,
  CONTROL_STOP_SLOT,
  CUT_SLOTS,
  RecordKind,
  isSeqBefore,
} from '../../src/ring/layout.js';
import { MAX_UNFOLDED_DELTAS, MergeProgress } from '../../src/ring/merge-progress.js';
import type {
  DeltaMessage,
  MappingApplied,
  PushAck,
  ShardControl,
  ShardStarted,
} from '../../src/protocol.js';
import { decodeGroupPush } from '../parse/group-push.js';
import { decodePush } from '../parse/json-push.js';
import { decodeOtlp } from '../parse/otlp.js';
import { rebaseOrders } from './rebase-orders.js';
import { RingReader } from './ring-reader.js';
import { LINES_PER_RECORD, ShardState, type ShardStateOptions } from './shard-state.js';

export interface ShardOptions extends ShardStateOptions {
  shard: number;
  generation: number;
  /** The epoch this generation starts in; the merger expects deltas from it on. */
  startEpoch: number;
  ring: SharedArrayBuffer;
  control: SharedArrayBuffer;
  mergerPort: MessagePort;
  /** Where PushAcks go, one per push record (see protocol.ts). */
  ackPort: MessagePort;
  /** Int32 per shard: records released since the last posted delta (read by the pool). */
  unshipped?: SharedArrayBuffer;
  /** Int32 per shard: 1 throw, 2 end the thread; set only by debug fault injection. */
  faults?: SharedArrayBuffer;
  /** Mapping updates and new merger ports; absent in tests that drive a shard directly. */
  controlPort?: MessagePort;
  /** The merge-progress block (src/ring/merge-progress.ts); absent, the shard never holds. */
  progress?: SharedArrayBuffer;
  /** Longest hold before what is held is dropped and counted lost; tests shorten it. */
  maxHeldEpochs?: number;
}

// Work for at most this long before giving the event loop a turn (messages, timers).
const SLICE_MS = 10;
// Sleep bound when idle; a doorbell or a flush tick wakes the shard sooner.
const IDLE_WAIT_MS = 250;
// A hold this long means the merger is gone for good (it gave up) or far behind: held
// state (gauge ± logs, set members, OTLP points) grows with traffic, so past either bound
// it is dropped and its records counted lost. The watchdog replaces a hung merger sooner.
const MAX_HELD_EPOCHS = 4 * CUT_SLOTS;
const MAX_HELD_RECORDS = 1 << 20;

const packr = new Packr({ moreTypes: true, useRecords: false });

/**
 * The shard actor: the only reader of its ring and the only owner of its state. It parses
 * records in ring order and, at every flush cut, ships what it aggregated to the merger.
 *
 * An epoch closes in one of two ways:
 *  - the next record's seq is at or past the cut the main thread published for it;
 *  - the ring is empty and the cut was published before HEAD was read, so every record
 *    before the cut has been consumed.
 * EPOCH is read once before HEAD (for the second rule) and once after (for the first):
 * a record visible in HEAD was written after any cut that precedes it was published.
 */
export class Shard {
  readonly #options: ShardOptions;
  readonly #reader: RingReader;
  readonly #control: Int32Array;
  readonly #state: ShardState;
  readonly #unshipped: Int32Array;
  readonly #faults: Int32Array;
  readonly #progress: MergeProgress | null;
  #mergerPort: MessagePort;
  #epoch: number;
  #epochStartSeq: number;
  // Deltas posted and not yet folded, oldest first, with the ring records each carried.
  #inFlight: Array<{ epoch: number; records: number }> = [];
  // First epoch aggregated into the pending delta when the shard held epochs back; else null.
  #heldFrom: number | null = null;
  /** Rules received and not yet acknowledged: that waits for the table restart. */
  #unacknowledgedVersion: number | null = null;

  constructor(options: ShardOptions) {
    this.#options = options;
    this.#reader = new RingReader(options.ring);
    this.#control = new Int32Array(options.control);
    this.#state = new ShardState(options);
    this.#unshipped = new Int32Array(options.unshipped ?? new SharedArrayBuffer(4 * 256));
    this.#faults = new Int32Array(options.faults ?? new SharedArrayBuffer(4 * 256));
    this.#progress = options.progress === undefined ? null : new MergeProgress(options.progress);
    this.#mergerPort = options.mergerPort;
    this.#epoch = options.startEpoch;
    this.#epochStartSeq = this.#cutOf(options.startEpoch);
    options.controlPort?.on('message', (message: ShardControl) => {
      if (message.kind === 'mapping') {
        this.#state.replaceMapping(message.mapping);
        this.#unacknowledgedVersion = message.version;
      } else {
        this.#useMergerPort(message.port);
      }
    });
  }

  /** Runs until the main thread sets STOP and everything before the final cut is shipped. */
  async run(): Promise<void> {
    const started: ShardStarted = { kind: 'shard-started' };
    this.#options.controlPort?.postMessage(started);
    for (;;) {
      const publishedBefore = Atomics.load(this.#control, CONTROL_EPOCH_SLOT);
      const isStopping = Atomics.load(this.#control, CONTROL_STOP_SLOT) === 1;
      this.#reader.refresh();
      const publishedAfter = Atomics.load(this.#control, CONTROL_EPOCH_SLOT);

      this.#actOnInjectedFault();
      const hasMore = this.#drain(publishedBefore, publishedAfter);
      if (hasMore) {
        await yieldToEventLoop();
      } else if (isStopping && this.#epoch >= publishedBefore) {
        // Held epochs go out now, as the final epoch's delta, which the merger waits for.
        if (this.#heldFrom !== null) this.#ship(this.#epoch - 1);
        // A replacement merger's port, if any; the task closes the one it was given.
        this.#mergerPort.close();
        return;
      } else {
        await this.#reader.waitForData(IDLE_WAIT_MS);
      }
    }
  }

  /** Processes records for one time slice. True when records are left for the next slice. */
  #drain(publishedBefore: number, publishedAfter: number): boolean {
    const sliceEnd = performance.now() + SLICE_MS;
    for (let n = 1; ; n++) {
      const record = this.#reader.peek();
      if (record === null) {
        while (this.#epoch < publishedBefore) this.#closeEpoch();
        return false;
      }
      while (
        this.#epoch < publishedAfter &&
        !isSeqBefore(record.seq, this.#cutOf(this.#epoch + 1))
      ) {
        this.#closeEpoch();
      }

      this.#ingest(record.kind, record.seq, record.payload);
      this.#reader.release();
      Atomics.add(this.#unshipped, this.#options.shard, 1);
      if ((n & 63) === 0 && performance.now() > sliceEnd) return true;
    }
  }

  #ingest(kind: number, seq: number, payload: Buffer): void {
    // Signed: a new generation first reads what its failed predecessor left in the ring,
    // records of earlier epochs, which must sort before this epoch's own.
    const recordOrder = ((seq - this.#epochStartSeq) | 0) * LINES_PER_RECORD;
    if (kind === RecordKind.StatsdUdp || kind === RecordKind.StatsdTcp) {
      const transport = kind === RecordKind.StatsdTcp ? 1 : 0;
      this.#state.ingestStatsd(payload.toString('utf8'), transport, recordOrder);
      return;
    }

    if (kind === RecordKind.PushPromText || kind === RecordKind.PushPromTextGzip) {
      this.#ingestGroupPush(kind, seq, payload, recordOrder);
      return;
    }

    if (kind >= RecordKind.PushOtlpProto && kind <= RecordKind.PushOtlpJsonGzip) {
      const otlp = decodeOtlp(kind, payload);
      this.#state.addOtlpPoints(otlp.points, recordOrder);
      const ack: PushAck = {
        seq,
        // target_info is made from the resource, not sent as a point: not counted.
        accepted: otlp.points.filter((point) => point.family !== 'target_info').length,
        refused: otlp.refused,
        bodyError: otlp.bodyError,
        firstSampleError: otlp.firstSampleError,
      };
      this.#options.ackPort.postMessage(ack);
      return;
    }

    // A push: decode, store what is valid, and answer the waiting HTTP request.
    const decoded = decodePush(kind, payload);
    this.#state.ingestPush(decoded.samples, recordOrder);
    const ack: PushAck = {
      seq,
      accepted: decoded.samples.length,
      refused: decoded.refused,
      bodyError: decoded.bodyError,
      firstSampleError: decoded.firstSampleError,
    };
    this.#options.ackPort.postMessage(ack);
  }

  /** A whole group operation or nothing: a bad body leaves the group as it was. */
  #ingestGroupPush(kind: number, seq: number, payload: Buffer, order: number): void {
    const decoded = decodeGroupPush(kind, payload);
    const ack: PushAck =
      'error' in decoded
        ? {
            seq,
            accepted: 0,
            refused: { [decoded.reason]: 1 },
            bodyError: decoded.error,
            firstSampleError: null,
          }
        : { seq, accepted: decoded.samples, refused: {}, bodyError: null, firstSampleError: null };
    if (!('error' in decoded)) this.#state.addGroupOp({ ...decoded.op, order });
    this.#options.ackPort.postMessage(ack);
  }

  /**
   * Ships the epoch's delta, or holds it back while MAX_UNFOLDED_DELTAS of this shard's
   * deltas wait unfolded: the merger is behind, and each delta posted now would queue in
   * its port. A held epoch keeps aggregating into the same stores, so nothing is lost: its
   * samples land with the next delta shipped, and its stream order runs on unbroken.
   */
  #closeEpoch(): void {
    // The first epoch of a hold is only marked skipped once the next one is decided, so
    // the last epoch at stop is never skipped: the merger waits for its delta.
    const { shard } = this.#options;
    if (this.#heldFrom !== null) this.#progress?.skip(shard, this.#heldFrom, this.#epoch - 1);
    if (this.#mustHold()) {
      this.#heldFrom ??= this.#epoch;
      this.#progress?.countHeld(shard);
      if (this.#isHoldTooLong()) this.#dropHeld();
      this.#epoch++;
      return;
    }
    this.#ship(this.#epoch);
    this.#epochStartSeq = this.#cutOf(this.#epoch + 1);
    this.#epoch++;
  }

  #mustHold(): boolean {
    if (this.#progress === null) return false;
    const folded = this.#progress.foldedEpoch;
    while (this.#inFlight.length > 0 && this.#inFlight[0].epoch <= folded) this.#inFlight.shift();
    return this.#inFlight.length >= MAX_UNFOLDED_DELTAS;
  }

  #isHoldTooLong(): boolean {
    const heldEpochs = this.#epoch - this.#heldFrom! + 1;
    const heldRecords = Atomics.load(this.#unshipped, this.#options.shard);
    return (
      heldEpochs >= (this.#options.maxHeldEpochs ?? MAX_HELD_EPOCHS) ||
      heldRecords >= MAX_HELD_RECORDS
    );
  }

  /**
   * Drops what the hold aggregated, through the current epoch: its records are counted
   * lost, its epochs skipped, and since its new series never reached the merger, the next
   * delta defines every series again.
   */
  #dropHeld(): void {
    const { shard, generation } = this.#options;
    this.#state.takeDelta(shard, generation, this.#epoch);
    this.#progress?.countLost(shard, Atomics.exchange(this.#unshipped, shard, 0));
    this.#progress?.skip(shard, this.#heldFrom!, this.#epoch);
    this.#heldFrom = null;
    this.#epochStartSeq = this.#cutOf(this.#epoch + 1);
    this.#state.table.redefineAll();
  }

  /** Posts everything aggregated since the last delta as the delta of `epoch`. */
  #ship(epoch: number): void {
    const { shard, generation } = this.#options;
    const delta = this.#state.takeDelta(shard, generation, epoch);
    // A hold counted positions from its first epoch's cut; the merger compares from this one's.
    if (this.#heldFrom !== null) {
      rebaseOrders(delta, ((this.#cutOf(epoch) - this.#epochStartSeq) | 0) * LINES_PER_RECORD);
    }
    // Copy out of msgpackr's reusable buffer so the bytes can be transferred, not cloned.
    const payload = new Uint8Array(packr.pack(delta));
    const message: DeltaMessage = { kind: 'delta', shard, epoch, payload };
    if (this.#heldFrom !== null) message.heldFrom = this.#heldFrom;
    this.#mergerPort.postMessage(message, [payload.buffer]);
    const records = Atomics.exchange(this.#unshipped, shard, 0);
    this.#inFlight.push({ epoch, records });
    this.#heldFrom = null;
    // takeDelta has started a fresh table under the new rules: every line from here uses them.
    if (this.#unacknowledgedVersion !== null) {
      const applied: MappingApplied = {
        kind: 'mapping-applied',
        version: this.#unacknowledgedVersion,
      };
      this.#options.controlPort?.postMessage(applied);
      this.#unacknowledgedVersion = null;
    }
  }

  /**
   * The merger was replaced. What this shard shipped to the old one and saw no fold of is
   * gone with it: count those records. What it holds now goes to the new one, which has
   * never seen this table's ids, so the next delta defines them all again.
   */
  #useMergerPort(port: MessagePort): void {
    const { shard } = this.#options;
    this.#mustHold();
    const lost = this.#inFlight.reduce((sum, delta) => sum + delta.records, 0);
    this.#inFlight = [];
    this.#progress?.countLost(shard, lost);
    // The new merger waits for this shard from its first epoch; epochs closed before now
    // went to the old one (or are held and ride on the next delta).
    this.#progress?.skip(shard, 0, this.#epoch - 1);
    this.#mergerPort.close();
    this.#mergerPort = port;
    this.#state.table.redefineAll();
  }

  #actOnInjectedFault(): void {
    const fault = Atomics.load(this.#faults, this.#options.shard);
    if (fault === 1) throw new Error('injected fault');
    // process.exit in a worker thread ends that thread only, as a crash or terminate would.
    if (fault === 2) process.exit(1);
  }

  #cutOf(epoch: number): number {
    return Atomics.load(this.#control, CONTROL_CUT_BASE_SLOT + (epoch % CUT_SLOTS)) >>> 0;
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
