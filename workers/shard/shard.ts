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
import type { DeltaMessage, MappingApplied, MappingUpdate, PushAck } from '../../src/protocol.js';
import { decodeGroupPush } from '../parse/group-push.js';
import { decodePush } from '../parse/json-push.js';
import { decodeOtlp } from '../parse/otlp.js';
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
  /** Mapping updates from the main thread; absent in tests that drive a shard directly. */
  controlPort?: MessagePort;
}

// Work for at most this long before giving the event loop a turn (messages, timers).
const SLICE_MS = 10;
// Sleep bound when idle; a doorbell or a flush tick wakes the shard sooner.
const IDLE_WAIT_MS = 250;

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
  #epoch: number;
  #epochStartSeq: number;
  /** Rules received and not yet acknowledged: that waits for the table restart. */
  #unacknowledgedVersion: number | null = null;

  constructor(options: ShardOptions) {
    this.#options = options;
    this.#reader = new RingReader(options.ring);
    this.#control = new Int32Array(options.control);
    this.#state = new ShardState(options);
    this.#unshipped = new Int32Array(options.unshipped ?? new SharedArrayBuffer(4 * 256));
    this.#faults = new Int32Array(options.faults ?? new SharedArrayBuffer(4 * 256));
    this.#epoch = options.startEpoch;
    this.#epochStartSeq = this.#cutOf(options.startEpoch);
    options.controlPort?.on('message', (update: MappingUpdate) => {
      this.#state.replaceMapping(update.mapping);
      this.#unacknowledgedVersion = update.version;
    });
  }

  /** Runs until the main thread sets STOP and everything before the final cut is shipped. */
  async run(): Promise<void> {
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

  #closeEpoch(): void {
    const { shard, generation, mergerPort } = this.#options;
    const delta = this.#state.takeDelta(shard, generation, this.#epoch);
    // Copy out of msgpackr's reusable buffer so the bytes can be transferred, not cloned.
    const payload = new Uint8Array(packr.pack(delta));
    const message: DeltaMessage = { kind: 'delta', shard, epoch: this.#epoch, payload };
    mergerPort.postMessage(message, [payload.buffer]);
    Atomics.store(this.#unshipped, this.#options.shard, 0);
    // takeDelta has started a fresh table under the new rules: every line from here uses them.
    if (this.#unacknowledgedVersion !== null) {
      const applied: MappingApplied = {
        kind: 'mapping-applied',
        version: this.#unacknowledgedVersion,
      };
      this.#options.controlPort?.postMessage(applied);
      this.#unacknowledgedVersion = null;
    }

    this.#epochStartSeq = this.#cutOf(this.#epoch + 1);
    this.#epoch++;
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
