/**
 * When a trial's figures may be read: after the blast, poll the sink until what it exposes
 * has caught up with everything sent, or a bound passes.
 *
 * Two conditions, both needed for catalyst-metrics at high cardinality:
 *  1. Marker (sinks that have one): the trial sends a marker line through the same socket
 *     after the blast and waits for a rendering that counts it. At 100k series one rendering outlasts
 *     several flush intervals, so the merger folds and renders epochs seconds behind the
 *     socket: two renderings in a row can both predate the blast and agree on a count that
 *     lacks every line of the trial. Only a rendering that shows the marker is known to
 *     cover the epochs the blast fell into (they are folded in order, the marker after them).
 *  2. Stability: two renderings apart show the same delivered count, so a delta folded
 *     late (a shard that missed its epoch) still lands before the figure is taken. Skipped
 *     for a sink whose marker reading is final (`isMarkerFinal`).
 */
import type { SinkCounts } from './udp-trial.js';

export interface SettleDriver {
  readCounts(): Promise<SinkCounts>;
  /** Sends the marker again; called on every poll until a rendering shows it. */
  sendMarker?(): Promise<void>;
  /** The marker count this trial waits for; absent when the sink has no marker. */
  marker?: number;
  /**
   * True when one reading that counts the marker is final: the sink publishes the marker
   * and the delivered count in one snapshot, and nothing can be folded after it (netdata).
   */
  isMarkerFinal?: boolean;
  intervalMs: number;
  timeoutMs: number;
  now(): number;
  sleep(ms: number): Promise<void>;
}

export type SettledCounts = SinkCounts & { isSettled: boolean };

export async function settle(driver: SettleDriver): Promise<SettledCounts> {
  const deadline = driver.now() + driver.timeoutMs;
  let previous = await waitForMarker(driver, deadline);
  if (previous === null) return { ...(await driver.readCounts()), isSettled: false };
  if (driver.isMarkerFinal === true && driver.marker !== undefined) {
    return { ...previous, isSettled: true };
  }

  // Bounded by the deadline: every pass sleeps one interval.
  for (;;) {
    await driver.sleep(driver.intervalMs);
    const current = await driver.readCounts();
    if (driver.now() > deadline) return { ...current, isSettled: false };
    const isNewRendering =
      current.renderings === undefined || current.renderings !== previous.renderings;
    if (!isNewRendering) continue;
    if (current.delivered === previous.delivered) return { ...current, isSettled: true };
    previous = current;
  }
}

/** The first reading whose rendering shows the marker; null when the deadline passes first. */
async function waitForMarker(driver: SettleDriver, deadline: number): Promise<SinkCounts | null> {
  const wanted = driver.marker;
  if (wanted === undefined || driver.sendMarker === undefined) return driver.readCounts();
  // Bounded by the deadline: every pass sleeps one interval.
  for (;;) {
    // Resent each pass: a marker lost to a full socket buffer must not stall the trial.
    await driver.sendMarker();
    await driver.sleep(driver.intervalMs);
    const current = await driver.readCounts();
    if ((current.marker ?? -Infinity) >= wanted) return current;
    if (driver.now() > deadline) return null;
  }
}
