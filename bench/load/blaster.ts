/**
 * The UDP blaster: several sender processes (sender.ts) share the offered rate, so that on
 * a small machine the senders compete with the sink for cores the way real services do.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SenderJob, SenderReply, SenderReport, SenderRequest } from './sender.js';
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
  const reports = await Promise.all(jobs.map((job, i) => senderAt(i).run(job)));

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

interface PooledSender {
  run(job: SenderJob): Promise<SenderReport>;
  close(): void;
}

// Forked on first use and kept for the whole run: a fork and module load per trial cost
// half a second to a second of wall time, a third of each trial.
const pool: PooledSender[] = [];

function senderAt(index: number): PooledSender {
  while (pool.length <= index) pool.push(forkSender());
  return pool[index];
}

/** Ends every pooled sender process; the runner calls it once, after the last scenario. */
export function closeSenders(): void {
  for (const sender of pool.splice(0)) sender.close();
}

function forkSender(): PooledSender {
  const child: ChildProcess = fork(SENDER_SCRIPT, [], { stdio: 'inherit' });
  const waiting = new Map<number, { resolve(r: SenderReport): void; reject(e: Error): void }>();
  let nextId = 0;
  child.on('message', (reply: SenderReply) => {
    waiting.get(reply.id)?.resolve(reply.report);
    waiting.delete(reply.id);
  });
  child.once('exit', (code) => {
    // A pooled sender that dies fails what it had in hand; the next blast forks anew.
    const index = pool.indexOf(sender);
    if (index >= 0) pool.splice(index, 1);
    for (const pending of waiting.values()) {
      pending.reject(new Error(`sender exited with ${code} before reporting`));
    }
    waiting.clear();
  });
  const sender: PooledSender = {
    run: (job) =>
      new Promise((resolve, reject) => {
        const request: SenderRequest = { id: nextId++, job };
        waiting.set(request.id, { resolve, reject });
        child.send(request);
      }),
    close: () => child.disconnect(),
  };
  return sender;
}
