import { describe, expect, it } from 'vitest';
import {
  parseUdpReceiveBufferErrors,
  readCpuMs,
  readRssBytes,
} from '../../../../bench/load/proc-stats.js';

const SNMP = [
  'Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors',
  'Udp: 1000 2 17 900 15 0 0 0 0',
  'UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors',
  'UdpLite: 0 0 0 0 99 0 0 0 0',
].join('\n');

describe('proc-stats', () => {
  it('reads RcvbufErrors from the Udp rows, not UdpLite', () => {
    expect(parseUdpReceiveBufferErrors(SNMP)).toBe(15);
  });

  it('reads no RcvbufErrors from text without Udp rows', () => {
    expect(parseUdpReceiveBufferErrors('Ip: Forwarding\nIp: 1')).toBe(0);
  });

  it('reads CPU time and resident set of this process from /proc', () => {
    expect(readCpuMs(process.pid)).toBeGreaterThan(0);
    expect(readRssBytes(process.pid)).toBeGreaterThan(1024 * 1024);
  });
});
