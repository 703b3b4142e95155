import { describe, expect, it } from 'vitest';
import { parsePromText } from '../../../../workers/parse/prom-text.js';

const JOB = ['job', 'batch'];

describe('parsePromText', () => {
  it('reads typed families with help, labels and the grouping key on every sample', () => {
    const text = [
      '# HELP jobs_total Jobs done.',
      '# TYPE jobs_total counter',
      'jobs_total{queue="a"} 3',
      'jobs_total{queue="b"} 4 1700000000000',
      '# TYPE depth gauge',
      'depth -1.5e1',
    ].join('\n');

    expect(parsePromText(text, JOB)).toEqual({
      families: [
        {
          name: 'jobs_total',
          type: 'counter',
          help: 'Jobs done.',
          samples: [
            ['jobs_total', ['job', 'batch', 'queue', 'a'], 3],
            ['jobs_total', ['job', 'batch', 'queue', 'b'], 4],
          ],
        },
        { name: 'depth', type: 'gauge', help: '', samples: [['depth', ['job', 'batch'], -15]] },
      ],
    });
  });

  it('puts _bucket, _sum and _count lines into their declared histogram', () => {
    const text = [
      '# TYPE lat histogram',
      'lat_bucket{le="0.5"} 1',
      'lat_bucket{le="+Inf"} 2',
      'lat_sum 1.25',
      'lat_count 2',
    ].join('\n');

    const result = parsePromText(text, []);

    expect(result).toEqual({
      families: [
        {
          name: 'lat',
          type: 'histogram',
          help: '',
          samples: [
            ['lat_bucket', ['le', '0.5'], 1],
            ['lat_bucket', ['le', '+Inf'], 2],
            ['lat_sum', [], 1.25],
            ['lat_count', [], 2],
          ],
        },
      ],
    });
  });

  it('lets the grouping key win over a pushed label of the same name', () => {
    expect(parsePromText('up{job="other",zone="x"} 1', JOB)).toEqual({
      families: [
        {
          name: 'up',
          type: 'untyped',
          help: '',
          samples: [['up', ['job', 'batch', 'zone', 'x'], 1]],
        },
      ],
    });
  });

  it('reads escaped label values and the special float spellings', () => {
    const text = 'a{p="x\\"y\\\\z\\nw"} +Inf\nb NaN\nc -Inf';
    const result = parsePromText(text, []);
    expect(result).toEqual({
      families: [
        { name: 'a', type: 'untyped', help: '', samples: [['a', ['p', 'x"y\\z\nw'], Infinity]] },
        { name: 'b', type: 'untyped', help: '', samples: [['b', [], NaN]] },
        { name: 'c', type: 'untyped', help: '', samples: [['c', [], -Infinity]] },
      ],
    });
  });

  it('sets families named after Object.prototype properties aside as exported_*, samples too', () => {
    const text = ['# TYPE constructor_total counter', 'constructor_total 3', 'valueOf 2'].join(
      '\n',
    );
    expect(parsePromText(text, JOB)).toEqual({
      families: [
        {
          name: 'exported_constructor_total',
          type: 'counter',
          help: '',
          samples: [['exported_constructor_total', ['job', 'batch'], 3]],
        },
        {
          name: 'exported_valueOf',
          type: 'untyped',
          help: '',
          samples: [['exported_valueOf', ['job', 'batch'], 2]],
        },
      ],
    });
  });

  it('accepts an empty body as no families', () => {
    expect(parsePromText('', JOB)).toEqual({ families: [] });
  });

  const badBodies: Array<{ case: string; text: string; error: string }> = [
    { case: 'a line without a value', text: 'ok 1\nbroken', error: 'line 2: expected a value' },
    { case: 'a value that is not a number', text: 'x abc', error: 'line 1: invalid value "abc"' },
    { case: 'too many fields', text: 'x 1 2 3', error: 'line 1: expected a value' },
    { case: 'a bad timestamp', text: 'x 1 soon', error: 'line 1: invalid timestamp' },
    {
      case: 'an unterminated label value',
      text: 'x{a="1} 1',
      error: 'line 1: unterminated label value',
    },
    {
      case: 'a label without quotes',
      text: 'x{a=1} 1',
      error: 'line 1: expected ="value" after a label name',
    },
    { case: 'a repeated label', text: 'x{a="1",a="2"} 1', error: 'line 1: label a given twice' },
    {
      case: 'a reserved label name',
      text: 'x{__name__="y"} 1',
      error: 'line 1: label name __name__ is reserved',
    },
    { case: 'an unknown type', text: '# TYPE x timer', error: 'line 1: unknown type "timer"' },
    {
      case: 'a name starting with a digit',
      text: '1x 1',
      error: 'line 1: invalid metric name "1x"',
    },
  ];
  for (const row of badBodies) {
    it(`refuses the whole body for ${row.case}`, () => {
      expect(parsePromText(row.text, JOB)).toEqual({ error: row.error });
    });
  }
});
