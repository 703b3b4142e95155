import { describe, expect, it } from 'vitest';
import { acceptsGzip, prefersOpenMetrics } from '../../../../src/http/negotiate.js';

const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,' +
  'text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

describe('prefersOpenMetrics', () => {
  it.each([
    { name: "Prometheus' own Accept header", accept: PROMETHEUS_ACCEPT, isOpenMetrics: true },
    {
      name: 'Prometheus with OpenMetrics turned off',
      accept: 'text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      isOpenMetrics: false,
    },
    { name: 'plain text only', accept: 'text/plain', isOpenMetrics: false },
    { name: 'no header', accept: '', isOpenMetrics: false },
    { name: 'anything', accept: '*/*', isOpenMetrics: false },
    {
      name: 'OpenMetrics alone',
      accept: 'application/openmetrics-text; version=1.0.0',
      isOpenMetrics: true,
    },
    {
      name: 'OpenMetrics ranked below text',
      accept: 'application/openmetrics-text;q=0.3,text/plain;q=0.9',
      isOpenMetrics: false,
    },
    {
      name: 'OpenMetrics and text ranked equal',
      accept: 'text/plain;q=0.5, application/openmetrics-text;q=0.5',
      isOpenMetrics: true,
    },
    {
      name: 'OpenMetrics refused with q=0',
      accept: 'application/openmetrics-text;q=0,*/*',
      isOpenMetrics: false,
    },
    {
      name: 'OpenMetrics in capitals',
      accept: 'Application/OpenMetrics-Text;version=1.0.0,text/plain;q=0.5',
      isOpenMetrics: true,
    },
    {
      name: 'an unparseable q, read as 0',
      accept: 'application/openmetrics-text;q=high',
      isOpenMetrics: false,
    },
  ])('answers for $name', ({ accept, isOpenMetrics }) => {
    expect(prefersOpenMetrics(accept)).toBe(isOpenMetrics);
  });
});

describe('acceptsGzip', () => {
  it.each([
    { name: 'gzip', header: 'gzip', isGzip: true },
    { name: "a browser's list", header: 'gzip, deflate, br, zstd', isGzip: true },
    { name: 'no header', header: '', isGzip: false },
    { name: 'identity only', header: 'identity', isGzip: false },
    { name: 'gzip refused with q=0', header: 'gzip;q=0', isGzip: false },
    { name: 'gzip refused with q=0.0 among others', header: 'br, gzip;q=0.0', isGzip: false },
    { name: 'any coding', header: '*', isGzip: true },
    { name: 'any coding refused', header: '*;q=0', isGzip: false },
    { name: 'gzip refused, any other coding welcome', header: 'gzip;q=0, *', isGzip: false },
    { name: 'gzip with a low but positive q', header: 'identity, gzip;q=0.1', isGzip: true },
    { name: 'gzip in capitals', header: 'GZIP', isGzip: true },
  ])('answers for $name', ({ header, isGzip }) => {
    expect(acceptsGzip(header)).toBe(isGzip);
  });
});
