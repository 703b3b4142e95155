import {
  DOORBELL_SLOT,
  HEAD_SLOT,
  RECORD_HEADER_BYTES,
  RING_HEADER_BYTES,
  SLEEPING_SLOT,
  TAIL_SLOT,
  WRAP_MARKER,
  alignTo4,
  ringCapacity,
  type RecordKind,
} from './layout.js';

/**
 * The producer end of one ring (see layout.ts). Only the main thread holds one. `write`
 * never waits: when the record does not fit it returns false and the caller counts a drop.
 */
export class RingWriter {
  readonly capacityBytes: number;
  readonly #header: Int32Array;
  readonly #words: Uint32Array;
  readonly #bytes: Uint8Array;
  readonly #mask: number;
  // The producer owns HEAD, so a local copy is always current.
  #head: number;

  constructor(ring: SharedArrayBuffer) {
    this.capacityBytes = ringCapacity(ring);
    this.#header = new Int32Array(ring, 0, RING_HEADER_BYTES / 4);
    this.#words = new Uint32Array(ring, RING_HEADER_BYTES);
    this.#bytes = new Uint8Array(ring, RING_HEADER_BYTES);
    this.#mask = this.capacityBytes - 1;
    this.#head = Atomics.load(this.#header, HEAD_SLOT) >>> 0;
  }

  /** The largest payload that can ever be written: half the ring, so a wrap always fits. */
  get maxPayloadBytes(): number {
    return this.capacityBytes / 2 - RECORD_HEADER_BYTES;
  }

  usedBytes(): number {
    return (this.#head - (Atomics.load(this.#header, TAIL_SLOT) >>> 0)) >>> 0;
  }

  /** Copies `payload[start, end)` into the ring as one record. False when it does not fit. */
  write(kind: RecordKind, seq: number, payload: Uint8Array, start: number, end: number): boolean {
    const payloadBytes = end - start;
    const needed = RECORD_HEADER_BYTES + alignTo4(payloadBytes);
    if (payloadBytes > this.maxPayloadBytes) return false;

    let head = this.#head;
    const free =
      this.capacityBytes - ((head - (Atomics.load(this.#header, TAIL_SLOT) >>> 0)) >>> 0);
    let position = head & this.#mask;
    const untilEnd = this.capacityBytes - position;

    // Not enough room before the end: the record starts over at 0 and the gap is wasted.
    if (needed > untilEnd) {
      if (free < untilEnd + needed) return false;
      this.#words[position >>> 2] = WRAP_MARKER;
      head = (head + untilEnd) >>> 0;
      position = 0;
    } else if (needed > free) {
      return false;
    }

    const word = position >>> 2;
    this.#words[word] = payloadBytes;
    this.#words[word + 1] = seq >>> 0;
    this.#bytes[position + 8] = kind;
    this.#bytes.set(payload.subarray(start, end), position + RECORD_HEADER_BYTES);

    this.#head = (head + needed) >>> 0;
    Atomics.store(this.#header, HEAD_SLOT, this.#head | 0);
    this.#wakeConsumerIfSleeping();
    return true;
  }

  /** Wakes the consumer even without new data, e.g. when the flush epoch advanced. */
  ring(): void {
    Atomics.store(this.#header, SLEEPING_SLOT, 0);
    Atomics.add(this.#header, DOORBELL_SLOT, 1);
    Atomics.notify(this.#header, DOORBELL_SLOT);
  }

  #wakeConsumerIfSleeping(): void {
    if (Atomics.load(this.#header, SLEEPING_SLOT) === 0) return;
    this.ring();
  }
}
