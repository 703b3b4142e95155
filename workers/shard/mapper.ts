import type {
  MappingConfig,
  MappingRule,
  MetricTypeFilter,
  SummaryOptions,
} from '../../src/protocol.js';

/**
 * statsd_exporter's mapping semantics, checked against its pkg/mapper (Apache-2.0; no code
 * taken): glob rules are tried before regex rules, whatever their place in the file; within
 * each kind the first rule in file order that matches (and whose match_metric_type fits)
 * wins. A glob is anchored at both ends and its `*` stands for one or more characters of a
 * single dot-separated part; a regex is not anchored. `name` and label values expand the
 * captures: in a glob `$1` or `${1}` (digits only, so `$1_total` is capture 1 then `_total`);
 * in a regex Go's rules, where `$1_total` names a group called `1_total`, which is empty.
 *
 * The outcome is computed once per raw spelling: the series table caches it with the id.
 */

export interface MapOutcome {
  isDrop: boolean;
  name: string;
  /** Sorted by name. */
  labels: Array<[string, string]>;
  buckets: number[] | null;
  /** Set when the rule makes observations a summary. */
  summary: SummaryOptions | null;
  ttlMs: number;
}

interface CompiledRule {
  index: number;
  rule: MappingRule;
  regex: RegExp;
}

/** StatsD type letters → match_metric_type; null: only rules without a type filter apply. */
const FILTER_OF_TYPE: Record<string, MetricTypeFilter> = {
  c: 'counter',
  g: 'gauge',
  ms: 'observer',
  h: 'observer',
  d: 'observer',
  s: null,
};

export class Mapper {
  /** Glob rules by their first part when it is literal; '*' holds those starting with a star. */
  readonly #globsByHead = new Map<string, CompiledRule[]>();
  readonly #regexes: CompiledRule[] = [];
  readonly config: MappingConfig;

  constructor(config: MappingConfig) {
    this.config = config;
    config.rules.forEach((rule, index) => {
      if (rule.matchType === 'regex') {
        this.#regexes.push({ index, rule, regex: new RegExp(rule.match) });
        return;
      }
      const head = rule.match.split('.', 1)[0];
      const key = head.includes('*') ? '*' : head;
      let list = this.#globsByHead.get(key);
      if (list === undefined) this.#globsByHead.set(key, (list = []));
      list.push({ index, rule, regex: globToRegExp(rule.match) });
    });
  }

  get ruleCount(): number {
    return this.config.rules.length;
  }

  /** The first rule that applies to `name` sent as `type` (c, g, ms, h, d, s), or null. */
  map(name: string, type: string): MapOutcome | null {
    const filter = FILTER_OF_TYPE[type] ?? null;
    const dot = name.indexOf('.');
    const literal = this.#globsByHead.get(dot < 0 ? name : name.slice(0, dot)) ?? [];
    const starred = this.#globsByHead.get('*') ?? [];

    // Two lists, each in file order: walk them together so file order decides between them.
    let a = 0;
    let b = 0;
    while (a < literal.length || b < starred.length) {
      const takeLiteral =
        b >= starred.length || (a < literal.length && literal[a].index < starred[b].index);
      const compiled = takeLiteral ? literal[a++] : starred[b++];
      if (!fits(compiled.rule.metricType, filter)) continue;
      const captures = compiled.regex.exec(name);
      if (captures !== null) return outcome(compiled.rule, (t) => expandGlob(t, captures));
    }

    for (const compiled of this.#regexes) {
      if (!fits(compiled.rule.metricType, filter)) continue;
      const captures = compiled.regex.exec(name);
      if (captures !== null) return outcome(compiled.rule, (t) => expandRegex(t, captures));
    }
    return null;
  }
}

function fits(wanted: MetricTypeFilter, actual: MetricTypeFilter): boolean {
  return wanted === null || wanted === actual;
}

function outcome(rule: MappingRule, expand: (template: string) => string): MapOutcome {
  return {
    isDrop: rule.isDrop,
    name: rule.isDrop ? '' : expand(rule.name),
    labels: rule.labels.map(([key, template]) => [key, expand(template)]),
    buckets: rule.buckets,
    summary: rule.summary,
    ttlMs: rule.ttlMs,
  };
}

function globToRegExp(glob: string): RegExp {
  const parts = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\-]/g, '\\$&'));
  return new RegExp(`^${parts.join('([^.]+)')}$`);
}

/** `$1` and `${1}`: digits only, as statsd_exporter's glob formatter. */
function expandGlob(template: string, captures: RegExpExecArray): string {
  return template.replace(/\$\{?(\d+)\}?/g, (_, digits: string) => captures[Number(digits)] ?? '');
}

/** Go's regexp Expand: `$$`, `${name}`, and `$name` taking the longest run of word characters. */
function expandRegex(template: string, captures: RegExpExecArray): string {
  return template.replace(/\$(\$|\{(\w+)\}|(\w+))/g, (whole, _, braced?: string, bare?: string) => {
    if (whole === '$$') return '$';
    const reference = braced ?? bare!;
    if (/^\d+$/.test(reference)) return captures[Number(reference)] ?? '';
    return captures.groups?.[reference] ?? '';
  });
}
