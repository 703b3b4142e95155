import { describe, expect, it } from 'vitest';
import {
  MIN_RING_BYTES,
  RECORD_HEADER_BYTES,
  RecordKind,
  createRingBuffer,
  recordBytes,
} from '../../../../src/ring/layout.js';
import { RingWriter } from '../../../../src/ring/ring-writer.js';
import { RingReader } from '../../../../workers/shard/ring-reader.js';

interface ReadRecord {
  seq: number;
  kind: number;
  text: string;
}

/** Reads and releases every record the last refresh shows, copying each payload out. */
function readAll(reader: RingReader): ReadRecord[] {
  const records: ReadRecord[] = [];
  reader.refresh();
  for (let record = reader.peek(); record !== null; record = reader.peek()) {
    records.push({ seq: record.seq, kind: record.kind, text: record.payload.toString('latin1') });
    reader.release();
  }
  return records;
}

function writeText(
  writer: RingWriter,
  seq: number,
  text: string,
  kind: RecordKind = RecordKind.StatsdUdp,
): boolean {
  const bytes = Buffer.from(text, 'latin1');
  return writer.write(kind, seq, bytes, 0, bytes.length);
}

/** Distinct, checkable bytes for record `seq`: its number, then letters up to `length`. */
function payloadOf(seq: number, length: number): string {
  const head = `${seq}:`;
  let text = head;
  for (let i = head.length; i < length; i++) text += String.fromCharCode(97 + ((seq + i) % 26));
  return text.slice(0, Math.max(length, 0));
}

function smallRing(): { ring: SharedArrayBuffer; writer: RingWriter; reader: RingReader } {
  const ring = createRingBuffer(MIN_RING_BYTES);
  return { ring, writer: new RingWriter(ring), reader: new RingReader(ring) };
}

describe('RingWriter and RingReader', () => {
  it('hands records over in order with their exact seq, kind and payload', () => {
    const { writer, reader } = smallRing();
    expect(writeText(writer, 7, 'a.b:1|c')).toBe(true);
    expect(writeText(writer, 8, 'g:+2|g\ng:3|g', RecordKind.StatsdTcp)).toBe(true);
    expect(writeText(writer, 9, '')).toBe(true);

    expect(readAll(reader)).toEqual([
      { seq: 7, kind: RecordKind.StatsdUdp, text: 'a.b:1|c' },
      { seq: 8, kind: RecordKind.StatsdTcp, text: 'g:+2|g\ng:3|g' },
      { seq: 9, kind: RecordKind.StatsdUdp, text: '' },
    ]);
    expect(reader.isEmpty()).toBe(true);
  });

  it('copies only payload[start, end) of the given bytes', () => {
    const { writer, reader } = smallRing();
    const bytes = Buffer.from('xxhits:1|cyy', 'latin1');
    expect(writer.write(RecordKind.StatsdUdp, 1, bytes, 2, 10)).toBe(true);
    expect(readAll(reader)).toEqual([{ seq: 1, kind: RecordKind.StatsdUdp, text: 'hits:1|c' }]);
  });

  it('shows nothing written after the last refresh', () => {
    const { writer, reader } = smallRing();
    writeText(writer, 1, 'one:1|c');
    reader.refresh();
    writeText(writer, 2, 'two:1|c');

    expect(reader.peek()?.seq).toBe(1);
    reader.release();
    expect(reader.peek()).toBeNull();
    expect(readAll(reader).map((record) => record.seq)).toEqual([2]);
  });

  it('keeps records intact across many wrap-arounds with odd payload sizes', () => {
    const { writer, reader } = smallRing();
    const sizes = [1, 3, 17, 250, 4093, 7, 9001, 2, 31, 12_345];
    let seq = 0;
    let expectedSeq = 0;
    // Where the writer must be, to count the wraps this input forces.
    let position = 0;
    let wraps = 0;

    // Write a few records, read them back, repeat: the head laps the ring about 20 times.
    for (let round = 0; round < 400; round++) {
      for (let n = 0; n < 3; n++) {
        const text = payloadOf(seq, sizes[seq % sizes.length]);
        expect(writeText(writer, seq, text)).toBe(true);
        const needed = recordBytes(text.length);
        if (needed > MIN_RING_BYTES - position) {
          wraps++;
          position = 0;
        }
        position = (position + needed) % MIN_RING_BYTES;
        seq++;
      }
      for (const record of readAll(reader)) {
        expect(record).toEqual({
          seq: expectedSeq,
          kind: RecordKind.StatsdUdp,
          text: payloadOf(expectedSeq, sizes[expectedSeq % sizes.length]),
        });
        expectedSeq++;
      }
      expect(writer.usedBytes()).toBe(0);
    }

    expect(expectedSeq).toBe(1200);
    expect(wraps).toBeGreaterThanOrEqual(20);
  });

  it('refuses a record that does not fit, corrupts nothing, takes it once space frees', () => {
    const { writer, reader } = smallRing();
    const text = (seq: number): string => payloadOf(seq, 1000);
    // 64 records of 1012 bytes fill 64768 of 65536 bytes; the 768 left cannot hold a 65th.
    let written = 0;
    while (written < 100 && writeText(writer, written, text(written))) written++;
    expect(written).toBe(64);
    expect(writer.usedBytes()).toBe(64 * 1012);
    expect(writeText(writer, 64, text(64))).toBe(false);
    expect(writer.usedBytes()).toBe(64 * 1012);

    // Freeing one record leaves exactly the 768-byte gap plus one record: it wraps to 0.
    reader.refresh();
    expect(reader.peek()?.seq).toBe(0);
    reader.release();
    expect(writeText(writer, 64, text(64))).toBe(true);
    expect(writer.usedBytes()).toBe(MIN_RING_BYTES);
    expect(writeText(writer, 65, 'x')).toBe(false);

    const records = readAll(reader);
    expect(records.map((record) => record.seq)).toEqual(
      Array.from({ length: 64 }, (_, i) => i + 1),
    );
    for (const record of records) expect(record.text).toBe(text(record.seq));
    expect(writer.usedBytes()).toBe(0);
  });

  it('bounds a payload at half the ring less one record header', () => {
    const { writer, reader } = smallRing();
    expect(writer.maxPayloadBytes).toBe(MIN_RING_BYTES / 2 - RECORD_HEADER_BYTES);
    const largest = new Uint8Array(writer.maxPayloadBytes + 1).fill(120);

    expect(writer.write(RecordKind.StatsdUdp, 1, largest, 0, largest.length)).toBe(false);
    expect(writer.usedBytes()).toBe(0);
    expect(writer.write(RecordKind.StatsdUdp, 2, largest, 1, largest.length)).toBe(true);
    expect(writer.usedBytes()).toBe(MIN_RING_BYTES / 2);

    reader.refresh();
    const record = reader.peek();
    expect(record?.seq).toBe(2);
    expect(record?.payload.length).toBe(writer.maxPayloadBytes);
    expect(record?.payload.every((byte) => byte === 120)).toBe(true);
  });

  it('counts used bytes as headers plus payloads padded to 4, until released', () => {
    const { writer, reader } = smallRing();
    writeText(writer, 1, 'abcde');
    writeText(writer, 2, 'abcdefgh');
    expect(writer.usedBytes()).toBe(RECORD_HEADER_BYTES + 8 + RECORD_HEADER_BYTES + 8);

    reader.refresh();
    reader.peek();
    reader.release();
    expect(writer.usedBytes()).toBe(RECORD_HEADER_BYTES + 8);
  });

  it('picks up HEAD and TAIL from a ring already in use', () => {
    const { ring, writer, reader } = smallRing();
    writeText(writer, 1, 'first:1|c');
    writeText(writer, 2, 'second:1|c');
    reader.refresh();
    reader.peek();
    reader.release();

    const laterWriter = new RingWriter(ring);
    const laterReader = new RingReader(ring);
    expect(laterWriter.usedBytes()).toBe(recordBytes('second:1|c'.length));
    writeText(laterWriter, 3, 'third:1|c');
    expect(readAll(laterReader).map((record) => record.text)).toEqual(['second:1|c', 'third:1|c']);
  });
});
