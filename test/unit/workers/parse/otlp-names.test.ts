import { describe, expect, it } from 'vitest';
import { translateLabelName, translateMetricName } from '../../../../workers/parse/otlp-names.js';

describe('translateMetricName', () => {
  const rows: Array<{
    case: string;
    name: string;
    unit: string;
    kind: 'counter' | 'gauge' | 'other';
    expected: string;
  }> = [
    {
      case: 'dots to underscores with the seconds unit',
      name: 'http.server.duration',
      unit: 's',
      kind: 'other',
      expected: 'http_server_duration_seconds',
    },
    {
      case: 'a unit already at the end',
      name: 'http.server.duration.seconds',
      unit: 's',
      kind: 'other',
      expected: 'http_server_duration_seconds',
    },
    {
      case: 'an annotation unit dropped',
      name: 'http.server.requests',
      unit: '{request}',
      kind: 'counter',
      expected: 'http_server_requests',
    },
    {
      case: "a counter's own total moved to the end",
      name: 'requests.total',
      unit: 'By',
      kind: 'counter',
      expected: 'requests_bytes',
    },
    {
      case: 'a ratio gauge',
      name: 'process.cpu.utilization',
      unit: '1',
      kind: 'gauge',
      expected: 'process_cpu_utilization_ratio',
    },
    {
      case: 'unit 1 on a counter adds nothing',
      name: 'retries',
      unit: '1',
      kind: 'counter',
      expected: 'retries',
    },
    {
      case: 'a per unit',
      name: 'disk.speed',
      unit: 'm/s',
      kind: 'gauge',
      expected: 'disk_speed_meters_per_second',
    },
    {
      case: 'an annotation over a per unit',
      name: 'throughput',
      unit: '{request}/s',
      kind: 'gauge',
      expected: 'throughput_per_second',
    },
    {
      case: 'runs of odd characters',
      name: 'a..b--c__d',
      unit: '',
      kind: 'gauge',
      expected: 'a_b_c_d',
    },
    { case: 'a leading digit', name: '9lives', unit: '', kind: 'gauge', expected: '_9lives' },
    {
      case: 'an unknown unit kept as a word',
      name: 'flow',
      unit: 'parsecs',
      kind: 'gauge',
      expected: 'flow_parsecs',
    },
  ];
  for (const row of rows) {
    it(`translates ${row.case}`, () => {
      const name = translateMetricName(
        row.name,
        row.unit,
        row.kind === 'counter',
        row.kind === 'gauge',
      );
      expect(name).toBe(row.expected);
    });
  }
});

describe('translateLabelName', () => {
  it('turns dots into underscores and prefixes a leading digit', () => {
    expect(translateLabelName('deployment.environment')).toBe('deployment_environment');
    expect(translateLabelName('1st')).toBe('key_1st');
    expect(translateLabelName('')).toBe('_');
  });

  it('sets names Prometheus gives a meaning to aside as exported_*', () => {
    expect(
      ['__name__', '__proto__', 'le', 'quantile', 'constructor'].map(translateLabelName),
    ).toEqual([
      'exported___name__',
      'exported___proto__',
      'exported_le',
      'exported_quantile',
      'constructor',
    ]);
  });
});

describe('translateMetricName with Object.prototype names', () => {
  it('sets a family named after an Object.prototype property aside as exported_*', () => {
    expect(translateMetricName('constructor', '', false, true)).toBe('exported_constructor');
    expect(translateMetricName('toString', '', true, false)).toBe('exported_toString');
    expect(translateMetricName('valueOf_total', '', false, true)).toBe('exported_valueOf_total');
    expect(translateMetricName('constructors', '', false, true)).toBe('constructors');
  });
});
