/**
 * One sender process of the blaster (forked by blaster.ts). Paces datagrams to its share of
 * the offered rate, keeps at most MAX_IN_FLIGHT sends outstanding, stops at the deadline or
 * the datagram count, whichever comes first, and reports what it sent over IPC.
 */
import dgram from 'node:dgram';
import { buildWorkload, type WorkloadShape } from './workload.js';

export interface SenderJob {
  port: number;
  shape: WorkloadShape;
  linesPerSec: number;
  durationMs: number;
  firstLine: number;
  datagramCount: number;
}

export interface SenderReport {
  datagrams: number;
  lines: number;
  counterSum: number;
  elapsedMs: number;
  cpuMs: number;
}

const MAX_IN_FLIGHT = 256;

async function runSender(job: SenderJob): Promise<SenderReport> {
  const workload = buildWorkload(job.shape, job.firstLine, job.datagramCount);
  const meanLines =
    workload.linesPerDatagram.reduce((a, b) => a + b, 0) / workload.datagrams.length;
  const datagramsPerMs = job.linesPerSec / meanLines / 1000;
  const total = Math.floor(datagramsPerMs * job.durationMs);
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.connect(job.port, '127.0.0.1', resolve));

  const cpuStart = process.cpuUsage();
  const started = performance.now();
  const report: SenderReport = { datagrams: 0, lines: 0, counterSum: 0, elapsedMs: 0, cpuMs: 0 };
  let inFlight = 0;
  await new Promise<void>((resolve) => {
    const pump = (): void => {
      const elapsedMs = performance.now() - started;
      const due = Math.min(total, Math.floor(elapsedMs * datagramsPerMs));
      while (report.datagrams < due && inFlight < MAX_IN_FLIGHT) {
        const slot = report.datagrams % workload.datagrams.length;
        inFlight++;
        socket.send(workload.datagrams[slot], () => inFlight--);
        report.datagrams++;
        report.lines += workload.linesPerDatagram[slot];
        report.counterSum += workload.counterSumPerDatagram[slot];
      }
      // A sender that cannot keep up stops at twice its time rather than run on.
      const isDone = report.datagrams >= total || elapsedMs > job.durationMs * 2;
      // Ahead of schedule: sleep a tick rather than spin, so sender CPU means work done.
      if (isDone) drain();
      else if (report.datagrams < due) setImmediate(pump);
      else setTimeout(pump, 1);
    };
    const drain = (): void => {
      if (inFlight > 0) setImmediate(drain);
      else resolve();
    };
    pump();
  });

  report.elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  report.cpuMs = (cpu.user + cpu.system) / 1000;
  socket.close();
  return report;
}

const job = JSON.parse(process.argv[2]) as SenderJob;
const report = await runSender(job);
process.send!(report, () => process.exit(0));
