import { describe, expect, it } from 'vitest';
import {
  MIN_RING_BYTES,
  RecordKind,
  SLEEPING_SLOT,
  createRingBuffer,
} from '../../../../src/ring/layout.js';
import { RingWriter } from '../../../../src/ring/ring-writer.js';
import { RingReader } from '../../../../workers/shard/ring-reader.js';

// Far beyond any test's run time: a wait that ends before it ended because of the doorbell.
const NEVER_MS = 60_000;

function setUp() {
  const ring = createRingBuffer(MIN_RING_BYTES);
  const header = new Int32Array(ring);
  const writer = new RingWriter(ring);
  const reader = new RingReader(ring);
  const write = (seq: number, text: string): boolean => {
    const bytes = Buffer.from(text);
    return writer.write(RecordKind.StatsdUdp, seq, bytes, 0, bytes.length);
  };
  return { header, writer, reader, write };
}

describe('RingReader', () => {
  it('peeks the same record until it is released', () => {
    const { reader, write } = setUp();
    write(1, 'a:1|c');
    write(2, 'b:1|c');
    reader.refresh();

    expect(reader.peek()?.seq).toBe(1);
    expect(reader.peek()?.payload.toString()).toBe('a:1|c');
    reader.release();
    expect(reader.peek()?.seq).toBe(2);
  });

  it('returns at once from waitForData when records are already there', async () => {
    const { header, reader, write } = setUp();
    write(1, 'a:1|c');

    await reader.waitForData(NEVER_MS);

    expect(reader.isEmpty()).toBe(false);
    expect(header[SLEEPING_SLOT]).toBe(0);
  });

  it('sleeps announced, and the next write rings the doorbell that wakes it', async () => {
    const { header, reader, write } = setUp();
    const waiting = reader.waitForData(NEVER_MS);
    expect(header[SLEEPING_SLOT]).toBe(1);

    write(1, 'a:1|c');
    await waiting;

    expect(header[SLEEPING_SLOT]).toBe(0);
    reader.refresh();
    expect(reader.peek()?.seq).toBe(1);
  });

  it('wakes on a doorbell rung without data, as for a flush', async () => {
    const { writer, reader } = setUp();
    const waiting = reader.waitForData(NEVER_MS);

    writer.ring();
    await waiting;

    reader.refresh();
    expect(reader.isEmpty()).toBe(true);
  });
});
