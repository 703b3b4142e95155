import { describe, expect, it } from 'vitest';
import { buildLabels, type LabelPairs } from '../../../../workers/parse/labels.js';

interface Row {
  case: string;
  influx: string;
  dog: string;
  expected: LabelPairs;
  dropped: number;
}

const ROWS: Row[] = [
  { case: 'gives no labels for no tags', influx: '', dog: '', expected: [], dropped: 0 },
  {
    case: 'sorts DogStatsD tags by label name',
    influx: '',
    dog: 'zone:a,app:web,mid:x',
    expected: [
      ['app', 'web'],
      ['mid', 'x'],
      ['zone', 'a'],
    ],
    dropped: 0,
  },
  {
    case: 'sorts by code unit, upper case before underscore before lower case',
    influx: '',
    dog: 'b:1,_a:2,B:3',
    expected: [
      ['B', '3'],
      ['_a', '2'],
      ['b', '1'],
    ],
    dropped: 0,
  },
  {
    case: 'splits a DogStatsD tag at its first colon only',
    influx: '',
    dog: 'url:http://x',
    expected: [['url', 'http://x']],
    dropped: 0,
  },
  {
    case: 'reads InfluxDB-style tags',
    influx: 'k2=v2,k=v',
    dog: '',
    expected: [
      ['k', 'v'],
      ['k2', 'v2'],
    ],
    dropped: 0,
  },
  {
    case: 'splits an InfluxDB-style tag at its first equals sign only',
    influx: 'expr=a=b',
    dog: '',
    expected: [['expr', 'a=b']],
    dropped: 0,
  },
  {
    case: 'keeps a colon inside an InfluxDB-style value',
    influx: 'addr=10.0.0.1:80',
    dog: '',
    expected: [['addr', '10.0.0.1:80']],
    dropped: 0,
  },
  {
    case: 'merges both dialects into one sorted list',
    influx: 'region=eu',
    dog: 'env:prod',
    expected: [
      ['env', 'prod'],
      ['region', 'eu'],
    ],
    dropped: 0,
  },
  {
    case: 'keeps the last value of a DogStatsD key given twice',
    influx: '',
    dog: 'env:a,env:b',
    expected: [['env', 'b']],
    dropped: 0,
  },
  {
    case: 'keeps the last value of an InfluxDB-style key given twice',
    influx: 'env=a,env=b',
    dog: '',
    expected: [['env', 'b']],
    dropped: 0,
  },
  {
    case: 'lets a DogStatsD tag win over an InfluxDB-style tag of the same key',
    influx: 'env=influx,zone=a',
    dog: 'env:dog',
    expected: [
      ['env', 'dog'],
      ['zone', 'a'],
    ],
    dropped: 0,
  },
  {
    case: 'treats keys that sanitise alike as one key, last wins',
    influx: '',
    dog: 'a.b:1,a-b:2,a_b:3',
    expected: [['a_b', '3']],
    dropped: 0,
  },
  {
    case: 'drops a bare DogStatsD tag and counts it',
    influx: '',
    dog: 'env:prod,bare',
    expected: [['env', 'prod']],
    dropped: 1,
  },
  {
    case: 'drops a DogStatsD tag written with an equals sign',
    influx: '',
    dog: 'env=prod',
    expected: [],
    dropped: 1,
  },
  {
    case: 'drops a bare InfluxDB-style tag and counts it',
    influx: 'bare,env=prod',
    dog: '',
    expected: [['env', 'prod']],
    dropped: 1,
  },
  {
    case: 'drops tags with an empty key or an empty value and counts each',
    influx: '=v,k=',
    dog: ':v,k:',
    expected: [],
    dropped: 4,
  },
  {
    case: 'skips empty entries between commas without counting them',
    influx: '',
    dog: ',,a:b,',
    expected: [['a', 'b']],
    dropped: 0,
  },
  {
    case: 'moves reserved label names aside',
    influx: '',
    dog: 'le:1,quantile:2,__name__:x',
    expected: [
      ['exported___name__', 'x'],
      ['exported_le', '1'],
      ['exported_quantile', '2'],
    ],
    dropped: 0,
  },
  {
    case: 'sanitises label names',
    influx: 'k8s.pod-name=web-1',
    dog: '2fa:on',
    expected: [
      ['_2fa', 'on'],
      ['k8s_pod_name', 'web-1'],
    ],
    dropped: 0,
  },
  {
    case: 'replaces NUL in a label value',
    influx: '',
    dog: 'k:a\u0000b',
    expected: [['k', 'a\ufffdb']],
    dropped: 0,
  },
  {
    case: 'keeps object-prototype names as ordinary labels',
    influx: 'hasOwnProperty=h',
    dog: 'constructor:x,__proto__:y,toString:z',
    expected: [
      ['constructor', 'x'],
      ['exported___proto__', 'y'],
      ['hasOwnProperty', 'h'],
      ['toString', 'z'],
    ],
    dropped: 0,
  },
];

describe('buildLabels', () => {
  for (const { case: name, influx, dog, expected, dropped } of ROWS) {
    it(name, () => {
      const problems = { dropped: 0 };
      expect(buildLabels(influx, dog, problems)).toEqual(expected);
      expect(problems.dropped).toBe(dropped);
    });
  }

  it('adds to the dropped count it is given rather than resetting it', () => {
    const problems = { dropped: 5 };
    buildLabels('bare', 'also-bare', problems);
    expect(problems.dropped).toBe(7);
  });

  it('builds plain arrays from prototype-named keys and leaves Object.prototype alone', () => {
    const pairs = buildLabels('', '__proto__:polluted,constructor:c,prototype:p', { dropped: 0 });

    expect(Object.getPrototypeOf(pairs)).toBe(Array.prototype);
    for (const pair of pairs) {
      expect(Object.getPrototypeOf(pair)).toBe(Array.prototype);
      expect(pair.every((part) => typeof part === 'string')).toBe(true);
    }
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(({} as Record<string, unknown>).exported___proto__).toBeUndefined();
  });
});
