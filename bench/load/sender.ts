/**
 * One sender process of the blaster (forked once by blaster.ts, then given job after job
 * over IPC, so that a trial does not pay a process start). For each job it paces datagrams
 * to its share of the offered rate, keeps at most MAX_IN_FLIGHT sends outstanding, stops at
 * the deadline or the datagram count, whichever comes first, and reports what it sent.
 */
import dgram from 'node:dgram';
import { buildWorkload, type Workload, type WorkloadShape } from './workload.js';

export interface SenderJob {
  port: number;
  shape: WorkloadShape;
  linesPerSec: number;
  durationMs: number;
  firstLine: number;
  datagramCount: number;
}

/** What blaster.ts sends: a job and the id its report must carry back. */
export interface SenderRequest {
  id: number;
  job: SenderJob;
}

export interface SenderReply {
  id: number;
  report: SenderReport;
}

export interface SenderReport {
  datagrams: number;
  lines: number;
  counterSum: number;
  elapsedMs: number;
  cpuMs: number;
}

const MAX_IN_FLIGHT = 256;

// Built once per shape and slice: at 1M series a workload takes a while to build.
const workloads = new Map<string, Workload>();

function workloadFor(job: SenderJob): Workload {
  const key = JSON.stringify([job.shape, job.firstLine, job.datagramCount]);
  let workload = workloads.get(key);
  if (workload === undefined) {
    workload = buildWorkload(job.shape, job.firstLine, job.datagramCount);
    workloads.set(key, workload);
  }
  return workload;
}

async function runSender(job: SenderJob): Promise<SenderReport> {
  const workload = workloadFor(job);
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

process.on('message', (request: SenderRequest) => {
  void runSender(request.job).then((report) => {
    const reply: SenderReply = { id: request.id, report };
    process.send!(reply);
  });
});
// The blaster went away (run over, or crashed): nothing more will come.
process.on('disconnect', () => process.exit(0));
