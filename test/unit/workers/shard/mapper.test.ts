import { describe, expect, it } from 'vitest';
import { parseMappingText } from '../../../../src/config/mapping-file.js';
import { Mapper, type MapOutcome } from '../../../../workers/shard/mapper.js';

function mapperOf(yaml: string): Mapper {
  return new Mapper(parseMappingText(yaml).config);
}

/** Name, labels and drop flag only: what a row of the tables below checks. */
function brief(outcome: MapOutcome | null): unknown {
  if (outcome === null) return null;
  if (outcome.isDrop) return 'drop';
  return { name: outcome.name, labels: Object.fromEntries(outcome.labels) };
}

const RULES = `
mappings:
  - match: "client.*.request.*"
    name: "client_requests_total"
    labels: { client: "$1", outcome: "\${2}" }
  - match: "client.*.*.size"
    name: "client_$2_size_bytes"
    labels: { client: "$1" }
  - match: "job.*.latency"
    match_metric_type: observer
    name: "job_latency_seconds"
    labels: { job: "$1" }
  - match: "job.*.latency"
    name: "job_latency_other"
    labels: { job: "$1" }
  - match: "debug.*"
    action: drop
  - match: "^svc_([a-z]+)_(?<verb>get|put)$"
    match_type: regex
    name: "svc_requests"
    labels: { service: "$1", verb: "\${verb}", bare: "$1_x", dollar: "$$1" }
  - match: "client\\\\.(.*)"
    match_type: regex
    name: "never_reached_for_globbed_names"
`;

const CASES: Array<{ case: string; name: string; type: string; expected: unknown }> = [
  {
    case: 'a glob captures one dot-separated part per star',
    name: 'client.api.request.ok',
    type: 'c',
    expected: { name: 'client_requests_total', labels: { client: 'api', outcome: 'ok' } },
  },
  {
    case: 'a star never spans a dot, so the next rule gets the name',
    name: 'client.api.v2.size',
    type: 'g',
    expected: { name: 'client_v2_size_bytes', labels: { client: 'api' } },
  },
  {
    case: 'glob $2 followed by text expands the digit only',
    name: 'client.web.body.size',
    type: 'g',
    expected: { name: 'client_body_size_bytes', labels: { client: 'web' } },
  },
  {
    case: 'a glob before a regex wins even though both match',
    name: 'client.api.request.fail',
    type: 'c',
    expected: { name: 'client_requests_total', labels: { client: 'api', outcome: 'fail' } },
  },
  {
    case: 'a regex catches what no glob matched (glob anchoring refuses a 5th part)',
    name: 'client.api.request.ok.extra',
    type: 'c',
    expected: { name: 'never_reached_for_globbed_names', labels: {} },
  },
  {
    case: 'match_metric_type observer takes timers',
    name: 'job.build.latency',
    type: 'ms',
    expected: { name: 'job_latency_seconds', labels: { job: 'build' } },
  },
  {
    case: 'match_metric_type observer skips gauges; the next rule in order applies',
    name: 'job.build.latency',
    type: 'g',
    expected: { name: 'job_latency_other', labels: { job: 'build' } },
  },
  { case: 'action drop', name: 'debug.anything', type: 'c', expected: 'drop' },
  {
    case: 'regex expands as Go does: $1, ${name}, $1_x as a group named 1_x, $$',
    name: 'svc_users_get',
    type: 'c',
    expected: {
      name: 'svc_requests',
      labels: { service: 'users', verb: 'get', bare: '', dollar: '$1' },
    },
  },
  { case: 'no rule matches', name: 'other.metric', type: 'c', expected: null },
  { case: 'a star needs at least one character', name: 'debug.', type: 'c', expected: null },
];

describe('Mapper', () => {
  for (const row of CASES) {
    it(`maps by statsd_exporter's rules: ${row.case}`, () => {
      expect(brief(mapperOf(RULES).map(row.name, row.type))).toEqual(row.expected);
    });
  }

  it('applies the first of two matching globs in file order, literal or starred', () => {
    const mapper = mapperOf(`
mappings:
  - match: "*.hits"
    name: "first"
  - match: "web.hits"
    name: "second"
`);
    expect(brief(mapper.map('web.hits', 'c'))).toEqual({ name: 'first', labels: {} });
  });

  it('carries buckets and ttl from the rule, else from defaults', () => {
    const mapper = mapperOf(`
defaults:
  ttl: 30s
  histogram_options: { buckets: [1, 2] }
mappings:
  - match: "a.*"
    name: "a"
  - match: "b.*"
    name: "b"
    ttl: 1m
    histogram_options: { buckets: [5] }
`);
    expect(mapper.map('a.x', 'ms')).toMatchObject({ buckets: [1, 2], ttlMs: 30_000 });
    expect(mapper.map('b.x', 'ms')).toMatchObject({ buckets: [5], ttlMs: 60_000 });
  });
});
