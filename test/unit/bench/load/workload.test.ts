import { describe, expect, it } from 'vitest';
import {
  buildWorkload,
  MAX_DATAGRAM_BYTES,
  workloadLine,
} from '../../../../bench/load/workload.js';

describe('workloadLine', () => {
  it.each([
    { name: 'counter', index: 0, text: 'bench.c0:1|c', counterIncrement: 1 },
    { name: 'gauge', index: 1, text: 'bench.g1:1|g', counterIncrement: 0 },
    { name: 'timer', index: 2, text: 'bench.t2:2|ms', counterIncrement: 0 },
    { name: 'set', index: 3, text: 'bench.s3:u3|s', counterIncrement: 0 },
    {
      name: 'tagged counter',
      index: 4,
      text: 'bench.ct4:2|c|#env:bench,zone:z0',
      counterIncrement: 2,
    },
    { name: 'counter of a wrapped series', index: 1005, text: 'bench.c5:1|c', counterIncrement: 1 },
  ])('writes a $name in the mix', ({ index, text, counterIncrement }) => {
    expect(workloadLine({ packing: 'packed', series: 1000, mix: 'mix' }, index)).toEqual({
      text,
      counterIncrement,
    });
  });
});

describe('buildWorkload', () => {
  it('sends one line per datagram when single, with its increment as the sum', () => {
    const workload = buildWorkload({ packing: 'single', series: 10, mix: 'counters' }, 9, 3);

    expect(workload.datagrams.map(String)).toEqual([
      'bench.c9:1|c',
      'bench.c0:2|c',
      'bench.c1:3|c',
    ]);
    expect(workload.linesPerDatagram).toEqual([1, 1, 1]);
    expect(workload.counterSumPerDatagram).toEqual([1, 2, 3]);
  });

  it('packs whole lines up to the datagram limit and sums their increments', () => {
    const workload = buildWorkload({ packing: 'packed', series: 1000, mix: 'counters' }, 0, 2);
    const first = String(workload.datagrams[0]).split('\n');

    expect(workload.datagrams.every((d) => d.length <= MAX_DATAGRAM_BYTES)).toBe(true);
    expect(workload.datagrams[0].length + '\nbench.c000:1|c'.length).toBeGreaterThan(
      MAX_DATAGRAM_BYTES,
    );
    expect(first).toHaveLength(workload.linesPerDatagram[0]);
    expect(first[0]).toBe('bench.c0:1|c');
    const sum = first.reduce((total, line) => total + Number(line.split(':')[1].split('|')[0]), 0);
    expect(workload.counterSumPerDatagram[0]).toBe(sum);
    expect(String(workload.datagrams[1]).startsWith(`bench.c${first.length}:`)).toBe(true);
  });
});
