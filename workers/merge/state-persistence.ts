import { renameSync } from 'node:fs';
import type { MergerNotice } from '../../src/protocol.js';
import type { SeriesStore } from './series-store.js';
import { readStateFile, writeStateFile } from './state-file.js';
import { encodeSnapshot, restoreSnapshot, takeSnapshot } from './state-snapshot.js';

/** How the merger reports what happened to --state-file (the main thread logs it). */
export type Notify = (
  level: MergerNotice['level'],
  msg: string,
  fields: MergerNotice['fields'],
) => void;

/** Writes the store's cumulative state to `path`; a failure is reported, never thrown. */
export function saveStateFile(
  path: string,
  store: SeriesStore,
  histogramBuckets: readonly number[],
  notify: Notify,
): void {
  const snapshot = takeSnapshot(store, histogramBuckets);
  try {
    writeStateFile(path, encodeSnapshot(snapshot));
  } catch (error) {
    notify('error', 'state file not written', { path, err: (error as Error).message });
  }
}

/**
 * Loads `path` into the store at start. A refused file (not ours, torn, another layout or
 * other buckets) is set aside as `<path>.refused` and the merger starts empty.
 */
export function loadStateFile(
  path: string,
  store: SeriesStore,
  histogramBuckets: readonly number[],
  notify: Notify,
): void {
  const read = readStateFile(path);
  if (read.kind === 'missing') {
    notify('info', 'state file absent; starting empty', { path });
    return;
  }
  const outcome =
    read.kind === 'loaded' ? restoreSnapshot(store, read.payload, histogramBuckets) : read;
  if (outcome.kind === 'refused') {
    // Set the file aside: the next periodic write would otherwise destroy the evidence.
    const setAside = `${path}.refused`;
    try {
      renameSync(path, setAside);
    } catch {
      // Unreadable or already gone: nothing to keep.
    }
    notify('error', 'state file refused; starting empty', {
      path,
      reason: outcome.reason,
      setAside,
    });
    return;
  }
  notify('info', 'state restored', { path, count: outcome.series, refused: outcome.refused });
}
