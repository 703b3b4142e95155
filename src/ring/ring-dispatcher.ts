import type { IngestCounters } from '../ingest/ingest-counters.js';
import type { RecordKind } from './layout.js';
import { RingWriter } from './ring-writer.js';

const NEWLINE = 0x0a;

/**
 * Hands each datagram or TCP chunk to one worker ring, stamping it with the next stream
 * sequence number. Rings are tried round-robin; a full ring passes the record to the next,
 * and when every ring is full the record is dropped and counted. Never waits.
 */
export class RingDispatcher {
  readonly writers: RingWriter[];
  readonly #counters: IngestCounters;
  #next = 0;
  // The seq of the next record written; flush cuts are expressed in it (see layout.ts).
  #seq = 0;

  constructor(rings: readonly SharedArrayBuffer[], counters: IngestCounters) {
    this.writers = rings.map((ring) => new RingWriter(ring));
    this.#counters = counters;
  }

  get nextSeq(): number {
    return this.#seq;
  }

  dispatch(
    kind: RecordKind,
    transport: number,
    bytes: Uint8Array,
    start: number,
    end: number,
  ): boolean {
    const writers = this.writers;
    for (let attempt = 0; attempt < writers.length; attempt++) {
      const writer = writers[this.#next];
      this.#next = this.#next + 1 === writers.length ? 0 : this.#next + 1;
      if (writer.write(kind, this.#seq, bytes, start, end)) {
        this.#seq = (this.#seq + 1) >>> 0;
        return true;
      }
    }
    // Every ring full: count the drop and return; the socket loop must never wait.
    this.#counters.ringDroppedMessages[transport]++;
    this.#counters.ringDroppedBytes[transport] += end - start;
    return false;
  }

  /**
   * Writes one push body as one record, never split (a body is parsed whole). Returns the
   * record's seq, or null when no ring has room for it; the caller answers 503 and counts.
   */
  dispatchPush(kind: RecordKind, bytes: Uint8Array): number | null {
    const writers = this.writers;
    for (let attempt = 0; attempt < writers.length; attempt++) {
      const writer = writers[this.#next];
      this.#next = this.#next + 1 === writers.length ? 0 : this.#next + 1;
      const seq = this.#seq;
      if (writer.write(kind, seq, bytes, 0, bytes.length)) {
        this.#seq = (seq + 1) >>> 0;
        return seq;
      }
    }
    return null;
  }

  /** The largest body `dispatchPush` can ever place: half a ring, less the record header. */
  get maxPushBytes(): number {
    return this.writers[0].maxPayloadBytes;
  }

  /**
   * Like `dispatch`, for text made of whole lines that may be longer than one record can
   * hold (a TCP chunk plus a long pending line): split at newlines into records that fit.
   */
  dispatchLines(
    kind: RecordKind,
    transport: number,
    bytes: Uint8Array,
    start: number,
    end: number,
  ): void {
    const limit = this.writers[0].maxPayloadBytes;
    let from = start;
    while (end - from > limit) {
      const cut = bytes.lastIndexOf(NEWLINE, from + limit - 1);
      // A line longer than a record cannot occur (the config keeps --tcp-max-line-bytes
      // under half a ring); if it did, it is cut, and its halves fail to parse, counted.
      const to = cut < from ? from + limit : cut + 1;
      this.dispatch(kind, transport, bytes, from, to);
      from = to;
    }
    if (from < end) this.dispatch(kind, transport, bytes, from, end);
  }

  usedBytes(): number[] {
    return this.writers.map((writer) => writer.usedBytes());
  }
}
