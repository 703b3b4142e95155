import { describe, expect, it } from 'vitest';
import { GrowableRows, RowIndex } from '../../../../workers/shard/row-index.js';

describe('RowIndex', () => {
  it('hands out rows in first-touch order and keeps a slot on its row', () => {
    const rows = new RowIndex();
    expect(rows.touch(7)).toBe(0);
    expect(rows.touch(2)).toBe(1);
    expect(rows.touch(7)).toBe(0);

    expect(rows.rowCount).toBe(2);
    expect(rows.rowOf(2)).toBe(1);
    expect(rows.rowOf(3)).toBe(-1);
  });

  it('grows for a slot far past its initial size and keeps earlier rows', () => {
    const rows = new RowIndex();
    rows.touch(5);
    expect(rows.touch(100_000)).toBe(1);

    expect(rows.rowOf(5)).toBe(0);
    expect(rows.rowOf(100_000)).toBe(1);
    expect(rows.rowOf(200_000)).toBe(-1);
  });

  it('forgets every row on reset, so the next epoch numbers from 0', () => {
    const rows = new RowIndex();
    rows.touch(4);
    rows.touch(9);
    rows.reset();

    expect(rows.rowCount).toBe(0);
    expect(rows.rowOf(4)).toBe(-1);
    expect(rows.touch(9)).toBe(0);
  });
});

describe('GrowableRows', () => {
  it('keeps what was written when it grows, and takes a zeroing copy', () => {
    const rows = new GrowableRows(2, 1);
    rows.ensure(1).set([1, 2], 0);
    const grown = rows.ensure(3);
    grown.set([3, 4, 5, 6], 2);

    const taken = rows.take(3);
    expect([...taken]).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...rows.ensure(3).subarray(0, 6)]).toEqual([0, 0, 0, 0, 0, 0]);
    expect([...taken]).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
