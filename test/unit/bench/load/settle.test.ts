import { describe, expect, it } from 'vitest';
import { settle, type SettleDriver } from '../../../../bench/load/settle.js';
import type { SinkCounts } from '../../../../bench/load/udp-trial.js';

/** A sink whose reads return `readings` in order (the last one repeats), on a fake clock. */
function scriptedDriver(
  readings: Array<Partial<SinkCounts>>,
  extra: Partial<SettleDriver> = {},
): SettleDriver & { reads: number; markersSent: number } {
  let clockMs = 0;
  const driver = {
    reads: 0,
    markersSent: 0,
    readCounts: async (): Promise<SinkCounts> => {
      const reading = readings[Math.min(driver.reads, readings.length - 1)];
      driver.reads++;
      return { delivered: 0, ringDroppedMessages: 0, parseErrors: 0, ...reading };
    },
    intervalMs: 300,
    timeoutMs: 15_000,
    now: () => clockMs,
    sleep: async (ms: number) => {
      clockMs += ms;
    },
    ...extra,
  };
  return driver;
}

describe('settle', () => {
  it('does not take two renderings that predate the marker as settled, however equal', async () => {
    // The 100k-series case: renderings 7 and 8 both lag the blast and agree on the old sum.
    const driver = scriptedDriver([
      { delivered: 1000, renderings: 7 },
      { delivered: 1000, renderings: 8 },
      { delivered: 5000, renderings: 9, marker: 1 },
      { delivered: 5000, renderings: 10, marker: 1 },
    ]);
    driver.marker = 1;
    driver.sendMarker = async () => {
      driver.markersSent++;
    };

    const settled = await settle(driver);

    expect(settled.delivered).toBe(5000);
    expect(settled.isSettled).toBe(true);
    expect(driver.markersSent).toBe(3);
  });

  it('waits for a marker at least as high as this trial’s, not one left by the previous trial', async () => {
    const driver = scriptedDriver([
      { delivered: 1000, renderings: 7, marker: 4 },
      { delivered: 3000, renderings: 8, marker: 5 },
      { delivered: 3000, renderings: 9, marker: 5 },
    ]);
    driver.marker = 5;
    driver.sendMarker = async () => {
      driver.markersSent++;
    };

    const settled = await settle(driver);

    expect(settled.delivered).toBe(3000);
    expect(settled.renderings).toBe(9);
    expect(driver.markersSent).toBe(2);
  });

  it('keeps reading past the marker while a late delta still moves the count', async () => {
    const driver = scriptedDriver([
      { delivered: 4000, renderings: 9, marker: 1 },
      { delivered: 4000, renderings: 9, marker: 1 },
      { delivered: 5000, renderings: 10, marker: 1 },
      { delivered: 5000, renderings: 11, marker: 1 },
    ]);
    driver.marker = 1;
    driver.sendMarker = async () => {};

    const settled = await settle(driver);

    expect(settled.delivered).toBe(5000);
    expect(settled.renderings).toBe(11);
    expect(settled.isSettled).toBe(true);
  });

  it('takes the first reading that counts the marker as final when the sink says it is', async () => {
    const driver = scriptedDriver([
      { delivered: 1000, marker: 3 },
      { delivered: 5000, marker: 4 },
      { delivered: 5200, marker: 4 },
    ]);
    driver.marker = 4;
    driver.isMarkerFinal = true;
    driver.sendMarker = async () => {};

    const settled = await settle(driver);

    expect(settled).toMatchObject({ delivered: 5000, marker: 4, isSettled: true });
    expect(driver.reads).toBe(2);
  });

  it('reports not settled when no rendering shows the marker within the bound', async () => {
    const driver = scriptedDriver([{ delivered: 1000, renderings: 7 }], { timeoutMs: 3000 });
    driver.marker = 1;
    driver.sendMarker = async () => {
      driver.markersSent++;
    };

    const settled = await settle(driver);

    expect(settled).toEqual({
      delivered: 1000,
      renderings: 7,
      ringDroppedMessages: 0,
      parseErrors: 0,
      isSettled: false,
    });
    expect(driver.markersSent).toBe(11);
  });

  it('settles a sink without a marker or renderings on two equal reads', async () => {
    const driver = scriptedDriver([{ delivered: 10 }, { delivered: 20 }, { delivered: 20 }]);

    const settled = await settle(driver);

    expect(settled.delivered).toBe(20);
    expect(settled.isSettled).toBe(true);
    expect(driver.reads).toBe(3);
  });
});
