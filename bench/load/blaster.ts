/**
 * The UDP blaster: several sender processes (sender.ts) share the offered rate, so that on
 * a small machine the senders compete with the sink for cores the way real services do.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SenderJob, SenderReport } from './sender.js';
import type { WorkloadShape } from './workload.js';

const SENDER_SCRIPT = fileURLToPath(new URL('./sender.js', import.meta.url));

export interface BlastOptions {
  port: number;
  shape: WorkloadShape;
  linesPerSec: number;
  durationMs: number;
  senders: number;
}

export interface BlastResult {
  lines: number;
  counterSum: number;
  offeredLinesPerSec: number;
  /** CPU of all senders together, in percent of one core. */
  sendersCpuPercent: number;
}

/** Datagrams each sender prebuilds, at least: plenty for 1k series either packing. */
const MIN_DATAGRAMS_PER_SENDER = 2000;
/** Fewest counter lines in a packed datagram (1M series, longest names): sizes the cycle. */
const MIN_LINES_PER_PACKED_DATAGRAM = 60;

export async function blast(options: BlastOptions): Promise<BlastResult> {
  // Each sender's cycle covers its share of the series at least once.
  const linesPerDatagram = options.shape.packing === 'packed' ? MIN_LINES_PER_PACKED_DATAGRAM : 1;
  const datagramCount = Math.max(
    MIN_DATAGRAMS_PER_SENDER,
    Math.ceil(options.shape.series / options.senders / linesPerDatagram),
  );
  const jobs = Array.from({ length: options.senders }, (_, i): SenderJob => ({
    port: options.port,
    shape: options.shape,
    linesPerSec: options.linesPerSec / options.senders,
    durationMs: options.durationMs,
    // Senders start far apart in the line stream so they cover different series.
    firstLine: Math.floor((i * options.shape.series) / options.senders),
    datagramCount,
  }));
  const reports = await Promise.all(jobs.map(runSenderProcess));

  const elapsedMs = Math.max(...reports.map((r) => r.elapsedMs));
  const lines = reports.reduce((sum, r) => sum + r.lines, 0);
  const cpuMs = reports.reduce((sum, r) => sum + r.cpuMs, 0);
  return {
    lines,
    counterSum: reports.reduce((sum, r) => sum + r.counterSum, 0),
    offeredLinesPerSec: Math.round((lines / elapsedMs) * 1000),
    sendersCpuPercent: Math.round((cpuMs / elapsedMs) * 100),
  };
}

function runSenderProcess(job: SenderJob): Promise<SenderReport> {
  return new Promise((resolve, reject) => {
    const child = fork(SENDER_SCRIPT, [JSON.stringify(job)], { stdio: 'inherit' });
    let report: SenderReport | null = null;
    child.once('message', (message) => (report = message as SenderReport));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (report !== null) resolve(report);
      else reject(new Error(`sender exited with ${code} before reporting`));
    });
  });
}
