/**
 * Shared-memory layout of the ingest rings and of the flush control block.
 *
 * One ring per shard worker: the main thread is its only producer, that worker its only
 * consumer (SPSC). Offsets are byte counters that only grow (mod 2^32); `& (capacity - 1)`
 * turns one into a position, so capacity is a power of two.
 *
 *   byte 0          64          128         192          RING_HEADER_BYTES
 *   +-----------+-----------+---------------------------+------------------------------+
 *   | HEAD      | TAIL      | SLEEPING | DOORBELL       | data: records, wrapping      |
 *   +-----------+-----------+---------------------------+------------------------------+
 *     producer    consumer    consumer sets SLEEPING=1 before Atomics.waitAsync on
 *     stores      stores      DOORBELL; the producer, seeing 1, clears it, bumps
 *     HEAD after  TAIL after  DOORBELL and calls Atomics.notify. HEAD and TAIL sit on
 *     the bytes   a record    their own cache lines so the two threads do not fight
 *     are written is used     over one line.
 *
 *   record, 4-byte aligned, never straddling the end of the data area:
 *   +--------------+--------------+---------+-------+--------------------+---------+
 *   | u32 payload  | u32 seq      | u8 kind | 3 pad | payload bytes      | pad → 4 |
 *   |     bytes    |              |         |       |                    |         |
 *   +--------------+--------------+---------+-------+--------------------+---------+
 *   When a record does not fit before the end, the producer writes WRAP_MARKER in the
 *   length slot and continues at position 0; the consumer skips to 0 when it reads it.
 *
 * Control block, one for all shards, written only by the main thread:
 *   EPOCH      the flush epoch; bumped once per flush interval
 *   STOP       1 when shards must drain and return
 *   CUT_SEQ[]  CUT_SLOTS entries; CUT_SEQ[e % CUT_SLOTS] is the first seq of epoch e
 * The main thread writes CUT_SEQ before it stores EPOCH (Atomics.store), so a shard that
 * loads the new EPOCH sees the cut for it. Every record with seq < cut belongs to the
 * epoch before: that is what makes a flush a consistent cut across all rings.
 */

export const RING_HEADER_BYTES = 256;
/** Int32 slot indexes into the ring header. */
export const HEAD_SLOT = 0;
export const TAIL_SLOT = 16;
export const SLEEPING_SLOT = 32;
export const DOORBELL_SLOT = 33;

export const RECORD_HEADER_BYTES = 12;
export const WRAP_MARKER = 0xffffffff;

/** What a record's payload holds, so the shard knows which parser to hand it to. */
export const RecordKind = {
  StatsdUdp: 1,
  StatsdTcp: 2,
  // One HTTP push body each, whole (never split): the shard answers every one with a
  // PushAck for its seq. The Gzip kinds carry the body still compressed.
  PushJson: 3,
  PushJsonGzip: 4,
  PushMsgpack: 5,
  PushMsgpackGzip: 6,
  // Pushgateway-style: a grouping-key header, then Prometheus text (workers/parse/group-push.ts).
  PushPromText: 7,
  PushPromTextGzip: 8,
  // OTLP/HTTP ExportMetricsServiceRequest, protobuf or JSON (workers/parse/otlp.ts).
  PushOtlpProto: 9,
  PushOtlpProtoGzip: 10,
  PushOtlpJson: 11,
  PushOtlpJsonGzip: 12,
} as const;
export type RecordKind = (typeof RecordKind)[keyof typeof RecordKind];

export const CONTROL_EPOCH_SLOT = 0;
export const CONTROL_STOP_SLOT = 1;
export const CONTROL_CUT_BASE_SLOT = 16;
export const CUT_SLOTS = 64;
export const CONTROL_BYTES = (CONTROL_CUT_BASE_SLOT + CUT_SLOTS) * 4;

export const MIN_RING_BYTES = 1 << 16;
export const MAX_RING_BYTES = 1 << 30;

export function alignTo4(n: number): number {
  return (n + 3) & ~3;
}

/** Bytes a record with this payload occupies in the data area. */
export function recordBytes(payloadBytes: number): number {
  return RECORD_HEADER_BYTES + alignTo4(payloadBytes);
}

/** Allocates a ring whose data area holds `capacityBytes` (a power of two). */
export function createRingBuffer(capacityBytes: number): SharedArrayBuffer {
  if (!isPowerOfTwo(capacityBytes) || capacityBytes < MIN_RING_BYTES) {
    throw new RangeError(`ring capacity must be a power of two >= ${MIN_RING_BYTES}`);
  }
  return new SharedArrayBuffer(RING_HEADER_BYTES + capacityBytes);
}

export function ringCapacity(ring: SharedArrayBuffer): number {
  return ring.byteLength - RING_HEADER_BYTES;
}

export function createControlBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(CONTROL_BYTES);
}

/** True when seq `a` comes before seq `b`; valid while they are < 2^31 apart. */
export function isSeqBefore(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}
