/**
 * Process and host figures read from /proc (Linux): CPU time of a process, its resident
 * set, and the kernel's count of UDP datagrams dropped for a full receive buffer.
 */
import { readFileSync } from 'node:fs';

/** USER_HZ: /proc/<pid>/stat counts CPU time in these ticks; 100 on every Linux we target. */
const CLOCK_TICKS_PER_SEC = 100;

/** utime + stime of a process, in milliseconds. */
export function readCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces; fields are counted after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS_PER_SEC;
}

export function readRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  return match === null ? 0 : Number(match[1]) * 1024;
}

/** RcvbufErrors from the `Udp:` rows of /proc/net/snmp text. */
export function parseUdpReceiveBufferErrors(snmp: string): number {
  const rows = snmp.split('\n').filter((line) => line.startsWith('Udp:'));
  if (rows.length < 2) return 0;
  const names = rows[0].split(/\s+/);
  const values = rows[1].split(/\s+/);
  const column = names.indexOf('RcvbufErrors');
  return column < 0 ? 0 : Number(values[column]);
}

export function readUdpReceiveBufferErrors(): number {
  return parseUdpReceiveBufferErrors(readFileSync('/proc/net/snmp', 'utf8'));
}

/** Measures a process's CPU over an interval, in percent of one core. */
export function startCpuMeter(pid: number): () => number {
  const cpuStart = readCpuMs(pid);
  const started = performance.now();
  return () => Math.round(((readCpuMs(pid) - cpuStart) / (performance.now() - started)) * 100);
}
