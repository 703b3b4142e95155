/**
 * The datagrams a sender cycles through, built once before the clock starts so that the
 * send loop only copies buffers. Every counter line carries a known increment, and the sum
 * of increments per datagram travels with it: loss is measured from the sums the sink
 * exposes, never guessed from rates.
 */

export interface WorkloadShape {
  /** `packed`: as many lines as fit in `MAX_DATAGRAM_BYTES`; `single`: one line each. */
  packing: 'packed' | 'single';
  /** Distinct series the lines cycle through. */
  series: number;
  /** `counters`: counters only; `mix`: counters, gauges, timers, sets, DogStatsD tags. */
  mix: 'counters' | 'mix';
}

export interface Workload {
  datagrams: Buffer[];
  linesPerDatagram: number[];
  /** Sum of counter increments in each datagram, index for index with `datagrams`. */
  counterSumPerDatagram: number[];
}

/** The largest UDP payload that stays in one Ethernet frame after IPv4 and UDP headers. */
export const MAX_DATAGRAM_BYTES = 1432;

/** Exposed names of every counter the workload sends start with this (`bench.c…`). */
export const COUNTER_NAME_PREFIX = 'bench_c';

export interface WorkloadLine {
  text: string;
  counterIncrement: number;
}

/** Line `index` of the stream; `index` selects the series and, in the mix, the type. */
export function workloadLine(shape: WorkloadShape, index: number): WorkloadLine {
  const series = index % shape.series;
  const increment = 1 + (index % 3);
  if (shape.mix === 'counters')
    return { text: `bench.c${series}:${increment}|c`, counterIncrement: increment };

  // Mix: one line in five of each kind; tagged counters count towards the sum too.
  switch (index % 5) {
    case 0:
      return { text: `bench.c${series}:${increment}|c`, counterIncrement: increment };
    case 1:
      return { text: `bench.g${series}:${index % 1000}|g`, counterIncrement: 0 };
    case 2:
      return { text: `bench.t${series}:${index % 250}|ms`, counterIncrement: 0 };
    case 3:
      return { text: `bench.s${series}:u${index % 64}|s`, counterIncrement: 0 };
    default:
      return {
        text: `bench.ct${series}:${increment}|c|#env:bench,zone:z${series % 4}`,
        counterIncrement: increment,
      };
  }
}

/**
 * Builds `datagramCount` datagrams from line `firstLine` on. Senders start at different
 * lines so that together they cover the series rather than repeat each other.
 */
export function buildWorkload(
  shape: WorkloadShape,
  firstLine: number,
  datagramCount: number,
): Workload {
  const workload: Workload = { datagrams: [], linesPerDatagram: [], counterSumPerDatagram: [] };
  let index = firstLine;
  for (let d = 0; d < datagramCount; d++) {
    let text = '';
    let lines = 0;
    let counterSum = 0;
    // Bounded by the datagram size: every line is at least a few bytes long.
    for (;;) {
      const line = workloadLine(shape, index);
      const grown = text === '' ? line.text : `${text}\n${line.text}`;
      if (lines > 0 && (shape.packing === 'single' || grown.length > MAX_DATAGRAM_BYTES)) break;
      text = grown;
      lines++;
      counterSum += line.counterIncrement;
      index++;
    }
    workload.datagrams.push(Buffer.from(text));
    workload.linesPerDatagram.push(lines);
    workload.counterSumPerDatagram.push(counterSum);
  }
  return workload;
}
