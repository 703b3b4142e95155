import { Merger, type MergerOptions } from './merger.js';

/**
 * Piscina entry point for the merger: one long-lived task on its own thread. It returns
 * once the main thread has sent `stop` and the final epoch has been rendered.
 */
export default async function runMerger(options: MergerOptions): Promise<{ stopped: true }> {
  const merger = new Merger(options);
  options.mainPort.postMessage({ kind: 'ready' });
  await merger.stopped;
  // After the final epoch is folded: this write holds everything the daemon accepted.
  merger.saveState();
  options.mainPort.close();
  return { stopped: true };
}
