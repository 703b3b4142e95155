import { readFileSync } from 'node:fs';

/**
 * RcvbufErrors from /proc/net/snmp: datagrams the kernel dropped because a UDP socket's
 * receive buffer was full. Host-wide (every UDP socket of this network namespace), but on
 * a StatsD host it is where loss starts, before any of our own counters can see it.
 * Returns 0 where the file does not exist (not Linux).
 */
export function readHostUdpReceiveBufferErrors(path = '/proc/net/snmp'): number {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return 0;
  }
  const udpLines = text.split('\n').filter((line) => line.startsWith('Udp:'));
  if (udpLines.length < 2) return 0;
  const names = udpLines[0].trim().split(/\s+/);
  const values = udpLines[1].trim().split(/\s+/);
  const at = names.indexOf('RcvbufErrors');
  return at < 0 ? 0 : Number(values[at]) || 0;
}
