import { describe, expect, it } from 'vitest';
import {
  MIN_RING_BYTES,
  RING_HEADER_BYTES,
  createRingBuffer,
  isSeqBefore,
  recordBytes,
  ringCapacity,
} from '../../../../src/ring/layout.js';

describe('ring layout', () => {
  it('allocates the header plus a power-of-two data area', () => {
    const ring = createRingBuffer(MIN_RING_BYTES * 2);
    expect(ring.byteLength).toBe(RING_HEADER_BYTES + MIN_RING_BYTES * 2);
    expect(ringCapacity(ring)).toBe(MIN_RING_BYTES * 2);
  });

  it.each([
    { name: 'not a power of two', capacity: MIN_RING_BYTES + 4 },
    { name: 'below the minimum', capacity: MIN_RING_BYTES / 2 },
    { name: 'zero', capacity: 0 },
  ])('refuses a ring capacity that is $name', ({ capacity }) => {
    expect(() => createRingBuffer(capacity)).toThrow(
      `ring capacity must be a power of two >= ${MIN_RING_BYTES}`,
    );
  });

  it.each([
    { name: 'header only for an empty payload', payload: 0, bytes: 12 },
    { name: 'one byte padded to four', payload: 1, bytes: 16 },
    { name: 'four bytes unpadded', payload: 4, bytes: 16 },
    { name: 'five bytes padded to eight', payload: 5, bytes: 20 },
  ])('sizes a record: $name', ({ payload, bytes }) => {
    expect(recordBytes(payload)).toBe(bytes);
  });

  it.each([
    { name: 'smaller seq', a: 1, b: 2, isBefore: true },
    { name: 'equal seqs', a: 5, b: 5, isBefore: false },
    { name: 'larger seq', a: 3, b: 2, isBefore: false },
    { name: 'just before the 2^32 wrap', a: 0xffff_fffe, b: 1, isBefore: true },
    { name: 'just after the 2^32 wrap', a: 1, b: 0xffff_fffe, isBefore: false },
  ])('orders seqs modulo 2^32: $name', ({ a, b, isBefore }) => {
    expect(isSeqBefore(a, b)).toBe(isBefore);
  });
});
