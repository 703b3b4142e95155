import { describe, expect, it } from 'vitest';
import {
  formatListenAddress,
  isLoopback,
  parseListenAddress,
} from '../../../../src/config/listen-address.js';

describe('parseListenAddress', () => {
  it.each([
    { name: 'IPv4 and port', text: '127.0.0.1:8125', address: { host: '127.0.0.1', port: 8125 } },
    { name: 'localhost', text: 'localhost:1', address: { host: 'localhost', port: 1 } },
    {
      name: ':PORT as every IPv4 interface',
      text: ':9102',
      address: { host: '0.0.0.0', port: 9102 },
    },
    { name: 'bracketed IPv6', text: '[::1]:8125', address: { host: '::1', port: 8125 } },
    {
      name: 'port 0 for an ephemeral port',
      text: '127.0.0.1:0',
      address: { host: '127.0.0.1', port: 0 },
    },
    {
      name: 'surrounding spaces',
      text: ' 127.0.0.1:80 ',
      address: { host: '127.0.0.1', port: 80 },
    },
    { name: 'off', text: 'off', address: null },
  ])('reads $name', ({ text, address }) => {
    expect(parseListenAddress(text)).toEqual(address);
  });

  it.each([
    { name: 'no colon', text: '8125', message: 'expected HOST:PORT, :PORT or off' },
    {
      name: 'no port',
      text: '127.0.0.1:',
      message: 'expected a port from 0 to 65535 after the last ":"',
    },
    {
      name: 'port past 65535',
      text: ':65536',
      message: 'expected a port from 0 to 65535 after the last ":"',
    },
    {
      name: 'a host name',
      text: 'metrics.local:80',
      message: 'expected an IP address or "localhost" before the port',
    },
  ])('refuses $name', ({ text, message }) => {
    expect(() => parseListenAddress(text)).toThrow(message);
  });
});

describe('formatListenAddress', () => {
  it.each([
    { name: 'IPv4', address: { host: '127.0.0.1', port: 8125 }, text: '127.0.0.1:8125' },
    { name: 'IPv6 in brackets', address: { host: '::1', port: 8125 }, text: '[::1]:8125' },
    { name: 'off', address: null, text: 'off' },
  ])('writes $name the way it is read', ({ address, text }) => {
    expect(formatListenAddress(address)).toBe(text);
    expect(parseListenAddress(text)).toEqual(address);
  });
});

describe('isLoopback', () => {
  it.each([
    { host: '127.0.0.1', isLocal: true },
    { host: '127.3.2.1', isLocal: true },
    { host: '::1', isLocal: true },
    { host: 'localhost', isLocal: true },
    { host: '0.0.0.0', isLocal: false },
    { host: '::', isLocal: false },
    { host: '10.0.0.1', isLocal: false },
  ])('says $isLocal for $host', ({ host, isLocal }) => {
    expect(isLoopback({ host, port: 1 })).toBe(isLocal);
  });
});
