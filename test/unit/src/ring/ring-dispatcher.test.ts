import { describe, expect, it } from 'vitest';
import {
  IngestCounters,
  TRANSPORT_TCP,
  TRANSPORT_UDP,
} from '../../../../src/ingest/ingest-counters.js';
import { MIN_RING_BYTES, RecordKind, createRingBuffer } from '../../../../src/ring/layout.js';
import { RingDispatcher } from '../../../../src/ring/ring-dispatcher.js';
import type { RingWriter } from '../../../../src/ring/ring-writer.js';
import { RingReader } from '../../../../workers/shard/ring-reader.js';

function setUp(ringCount: number) {
  const rings = Array.from({ length: ringCount }, () => createRingBuffer(MIN_RING_BYTES));
  const counters = new IngestCounters();
  const dispatcher = new RingDispatcher(rings, counters);
  const readers = rings.map((ring) => new RingReader(ring));
  const dispatchText = (text: string, transport = TRANSPORT_UDP): boolean => {
    const bytes = Buffer.from(text);
    return dispatcher.dispatch(RecordKind.StatsdUdp, transport, bytes, 0, bytes.length);
  };
  return { counters, dispatcher, readers, dispatchText };
}

/** Seq and text of every record waiting in the reader's ring, released as read. */
function drain(reader: RingReader): Array<[number, string]> {
  const records: Array<[number, string]> = [];
  reader.refresh();
  for (let record = reader.peek(); record !== null; record = reader.peek()) {
    records.push([record.seq, record.payload.toString()]);
    reader.release();
  }
  return records;
}

/** Fills a ring directly (not through the dispatcher) until one more small record fails. */
function fill(writer: RingWriter): void {
  const block = new Uint8Array(1024);
  for (let n = 0; n < 1000 && writer.write(RecordKind.StatsdUdp, 0, block, 0, block.length); n++);
  for (let n = 0; n < 1000 && writer.write(RecordKind.StatsdUdp, 0, block, 0, 4); n++);
  expect(writer.write(RecordKind.StatsdUdp, 0, block, 0, 4)).toBe(false);
}

describe('RingDispatcher', () => {
  it('deals records round-robin over the rings, one seq each', () => {
    const { dispatcher, readers, dispatchText } = setUp(3);
    for (const text of ['a:1|c', 'b:1|c', 'c:1|c', 'd:1|c', 'e:1|c']) {
      expect(dispatchText(text)).toBe(true);
    }

    expect(drain(readers[0])).toEqual([
      [0, 'a:1|c'],
      [3, 'd:1|c'],
    ]);
    expect(drain(readers[1])).toEqual([
      [1, 'b:1|c'],
      [4, 'e:1|c'],
    ]);
    expect(drain(readers[2])).toEqual([[2, 'c:1|c']]);
    expect(dispatcher.nextSeq).toBe(5);
  });

  it('passes a record over a full ring to the next one, without counting a drop', () => {
    const { counters, dispatcher, readers, dispatchText } = setUp(2);
    fill(dispatcher.writers[0]);

    expect(dispatchText('a:1|c')).toBe(true);
    expect(dispatchText('b:1|c')).toBe(true);

    expect(drain(readers[1])).toEqual([
      [0, 'a:1|c'],
      [1, 'b:1|c'],
    ]);
    expect(counters.ringDroppedMessages).toEqual([0, 0]);
    expect(dispatcher.nextSeq).toBe(2);
  });

  it('drops and counts a record only when every ring is full, and spends no seq on it', () => {
    const { counters, dispatcher, readers, dispatchText } = setUp(2);
    fill(dispatcher.writers[0]);
    fill(dispatcher.writers[1]);

    expect(dispatchText('lost:1|c', TRANSPORT_TCP)).toBe(false);
    expect(counters.ringDroppedMessages).toEqual([0, 1]);
    expect(counters.ringDroppedBytes).toEqual([0, 'lost:1|c'.length]);
    expect(dispatcher.nextSeq).toBe(0);

    // Space on ring 1 again: the next record lands there with the seq the drop did not use.
    drain(readers[1]);
    expect(dispatchText('kept:1|c')).toBe(true);
    expect(drain(readers[1])).toEqual([[0, 'kept:1|c']]);
    expect(counters.ringDroppedMessages).toEqual([0, 1]);
  });

  it("reports each ring's used bytes, in worker order", () => {
    const { dispatcher, dispatchText } = setUp(2);
    dispatchText('abcd');
    dispatchText('abcdefgh');
    dispatchText('abcdefghi');

    expect(dispatcher.usedBytes()).toEqual([12 + 4 + 12 + 12, 12 + 8]);
  });

  it('splits text longer than a record at newlines, each record holding whole lines', () => {
    const { dispatcher, readers } = setUp(1);
    const line = `${'x'.repeat(1000)}:1|c\n`;
    const count = Math.ceil((dispatcher.writers[0].maxPayloadBytes * 1.5) / line.length);
    const text = Buffer.from(line.repeat(count));

    dispatcher.dispatchLines(RecordKind.StatsdTcp, TRANSPORT_TCP, text, 0, text.length);

    const records: string[] = [];
    const reader = readers[0];
    reader.refresh();
    for (let record = reader.peek(); record !== null; record = reader.peek()) {
      records.push(record.payload.toString());
      reader.release();
      reader.refresh();
    }
    expect(records.length).toBe(2);
    for (const record of records) expect(record.endsWith('\n')).toBe(true);
    expect(records.join('')).toBe(text.toString());
  });
});
