import { describe, expect, it } from 'vitest';
import {
  sanitizeLabelName,
  sanitizeLabelValue,
  sanitizeMetricName,
} from '../../../../workers/parse/sanitize.js';

interface Row {
  case: string;
  raw: string;
  expected: string;
}

const METRIC_NAMES: Row[] = [
  { case: 'keeps a valid name', raw: 'http_requests', expected: 'http_requests' },
  { case: 'keeps upper case', raw: 'HTTP_Requests', expected: 'HTTP_Requests' },
  { case: 'turns dots into underscores', raw: 'api.requests', expected: 'api_requests' },
  {
    case: 'turns dashes into underscores',
    raw: 'api-requests-total',
    expected: 'api_requests_total',
  },
  { case: 'turns each invalid character into one underscore', raw: 'a..b  c', expected: 'a__b__c' },
  { case: 'prefixes a leading digit', raw: '5xx.count', expected: '_5xx_count' },
  { case: 'keeps a leading underscore', raw: '_private', expected: '_private' },
  { case: 'sets aside __proto__', raw: '__proto__', expected: 'exported___proto__' },
  { case: 'sets aside constructor', raw: 'constructor', expected: 'exported_constructor' },
  {
    case: 'sets aside a counter whose base is an object property',
    raw: 'toString_total',
    expected: 'exported_toString_total',
  },
  {
    case: 'keeps a name that only contains one',
    raw: 'hasOwnProperty_x',
    expected: 'hasOwnProperty_x',
  },
  { case: 'replaces a colon, which StatsD cannot carry in a name', raw: 'a:b', expected: 'a_b' },
  { case: 'replaces non-ASCII letters', raw: 'café', expected: 'caf_' },
  { case: 'replaces U+FFFD left by invalid UTF-8', raw: 'bad\ufffdname', expected: 'bad_name' },
  { case: 'replaces NUL', raw: 'nul\u0000name', expected: 'nul_name' },
  { case: 'replaces each half of a surrogate pair', raw: 'ok😀', expected: 'ok__' },
];

const LABEL_NAMES: Row[] = [
  { case: 'keeps a valid label name', raw: 'env', expected: 'env' },
  { case: 'turns dots and dashes into underscores', raw: 'k8s.pod-name', expected: 'k8s_pod_name' },
  { case: 'prefixes a leading digit', raw: '2fa', expected: '_2fa' },
  { case: 'moves le aside, which histograms set', raw: 'le', expected: 'exported_le' },
  {
    case: 'moves quantile aside, which summaries set',
    raw: 'quantile',
    expected: 'exported_quantile',
  },
  { case: 'moves __name__ aside', raw: '__name__', expected: 'exported___name__' },
  {
    case: 'moves __proto__ aside like any reserved name',
    raw: '__proto__',
    expected: 'exported___proto__',
  },
  {
    case: 'moves a name that becomes reserved once sanitised',
    raw: '..x',
    expected: 'exported___x',
  },
  { case: 'keeps a single leading underscore', raw: '_shard', expected: '_shard' },
  { case: 'keeps le inside a longer name', raw: 'level', expected: 'level' },
  { case: 'keeps LE, which Prometheus does not reserve', raw: 'LE', expected: 'LE' },
  { case: 'keeps constructor as an ordinary name', raw: 'constructor', expected: 'constructor' },
];

const LABEL_VALUES: Row[] = [
  { case: 'keeps any printable text', raw: 'http://x:8080/a b', expected: 'http://x:8080/a b' },
  { case: 'keeps non-ASCII text', raw: 'zürich 東京', expected: 'zürich 東京' },
  { case: 'keeps U+FFFD left by invalid UTF-8', raw: 'v\ufffd', expected: 'v\ufffd' },
  { case: 'replaces NUL, the series-key separator', raw: 'a\u0000b', expected: 'a\ufffdb' },
  { case: 'replaces every NUL', raw: '\u0000\u0000', expected: '\ufffd\ufffd' },
  { case: 'keeps an empty value', raw: '', expected: '' },
];

describe('sanitizeMetricName', () => {
  for (const { case: name, raw, expected } of METRIC_NAMES) {
    it(name, () => {
      expect(sanitizeMetricName(raw)).toBe(expected);
    });
  }
});

describe('sanitizeLabelName', () => {
  for (const { case: name, raw, expected } of LABEL_NAMES) {
    it(name, () => {
      expect(sanitizeLabelName(raw)).toBe(expected);
    });
  }
});

describe('sanitizeLabelValue', () => {
  for (const { case: name, raw, expected } of LABEL_VALUES) {
    it(name, () => {
      expect(sanitizeLabelValue(raw)).toBe(expected);
    });
  }
});
