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
} from '../../src/ring/layout.js';

/** A record as the consumer sees it. `payload` is only valid until `release()`. */
export interface RingRecord {
  seq: number;
  kind: number;
  payload: Buffer;
}

/**
 * The consumer end of one ring (see src/ring/layout.ts). Only the shard worker that owns
 * the ring holds one. `peek` exposes the oldest record in place, without copying; `release`
 * hands its bytes back to the producer, after which the payload must not be read.
 */
export class RingReader {
  readonly #header: Int32Array;
  readonly #words: Uint32Array;
  readonly #bytes: Uint8Array;
  readonly #buffer: Buffer;
  readonly #capacity: number;
  readonly #mask: number;
  // The consumer owns TAIL, so a local copy is always current.
  #tail: number;
  #head: number;
  #current: RingRecord = { seq: 0, kind: 0, payload: Buffer.alloc(0) };
  #currentBytes = 0;

  constructor(ring: SharedArrayBuffer) {
    this.#capacity = ringCapacity(ring);
    this.#mask = this.#capacity - 1;
    this.#header = new Int32Array(ring, 0, RING_HEADER_BYTES / 4);
    this.#words = new Uint32Array(ring, RING_HEADER_BYTES);
    this.#bytes = new Uint8Array(ring, RING_HEADER_BYTES);
    this.#buffer = Buffer.from(ring, RING_HEADER_BYTES, this.#capacity);
    this.#tail = Atomics.load(this.#header, TAIL_SLOT) >>> 0;
    this.#head = this.#tail;
  }

  /** Reloads HEAD. Call before a batch; records published after it wait for the next call. */
  refresh(): void {
    this.#head = Atomics.load(this.#header, HEAD_SLOT) >>> 0;
  }

  isEmpty(): boolean {
    return this.#tail === this.#head;
  }

  /** The oldest unreleased record seen by the last `refresh`, or null. Reuses one object. */
  peek(): RingRecord | null {
    if (this.#tail === this.#head) return null;
    let position = this.#tail & this.#mask;
    if (this.#words[position >>> 2] === WRAP_MARKER) {
      this.#tail = (this.#tail + (this.#capacity - position)) >>> 0;
      Atomics.store(this.#header, TAIL_SLOT, this.#tail | 0);
      if (this.#tail === this.#head) return null;
      position = 0;
    }

    const word = position >>> 2;
    const payloadBytes = this.#words[word];
    const start = position + RECORD_HEADER_BYTES;
    this.#current.seq = this.#words[word + 1];
    this.#current.kind = this.#bytes[position + 8];
    this.#current.payload = this.#buffer.subarray(start, start + payloadBytes);
    this.#currentBytes = RECORD_HEADER_BYTES + alignTo4(payloadBytes);
    return this.#current;
  }

  /** Frees the record returned by the last `peek`. */
  release(): void {
    this.#tail = (this.#tail + this.#currentBytes) >>> 0;
    this.#currentBytes = 0;
    Atomics.store(this.#header, TAIL_SLOT, this.#tail | 0);
  }

  /**
   * Resolves when the producer rings the doorbell or after `timeoutMs`. Announces sleep
   * first and re-checks HEAD, so a record published in between is never slept through.
   */
  async waitForData(timeoutMs: number): Promise<void> {
    const bell = Atomics.load(this.#header, DOORBELL_SLOT);
    Atomics.store(this.#header, SLEEPING_SLOT, 1);
    this.refresh();
    if (!this.isEmpty()) {
      Atomics.store(this.#header, SLEEPING_SLOT, 0);
      return;
    }
    const result = Atomics.waitAsync(this.#header, DOORBELL_SLOT, bell, timeoutMs);
    if (result.async) await result.value;
    Atomics.store(this.#header, SLEEPING_SLOT, 0);
  }
}
