import type {
  ExpositionFormat,
  GroupOp,
  PushedFamily,
  PushedFamilyType,
} from '../../src/protocol.js';
import { SeriesKind } from '../../src/protocol.js';
import type { FamilySnapshot, Labels, RegistryView, SampleValue } from './families.js';
import { counterBaseName, namesOfFamily, type NameClaims } from './name-claims.js';
import type { FamilyRegistrar } from './series-store.js';

/**
 * Pushgateway-style groups: absolute state, replaced by pushes, never added to.
 *
 * How groups combine on /metrics: every sample of a group carries the group's grouping-key
 * labels (`job` and the rest), so two groups never render the same series. A metric name
 * is one family across all groups; the first group to push a name fixes its type, and a
 * later push of that name with another type, or of a name StatsD or another receiver owns,
 * is refused for that family alone (counted as type_conflict).
 *
 * Merge rule per type: none. Counters, gauges, histograms, summaries and untyped samples
 * are all shown exactly as last pushed; the daemon never adds to a group's values.
 */
interface Group {
  labels: Labels;
  pushTimeSeconds: number;
  families: Map<string, PushedFamily>;
}

interface RegisteredName {
  type: PushedFamilyType;
  help: string;
}

export const PUSH_TIME_METRIC = 'push_time_seconds';

export class PushGroups {
  readonly #groups = new Map<string, Group>();
  readonly #names = new Map<string, RegisteredName>();
  readonly #claims: NameClaims;
  readonly #registrar: FamilyRegistrar;

  constructor(claims: NameClaims, registrar: FamilyRegistrar) {
    this.#claims = claims;
    this.#registrar = registrar;
  }

  get groupCount(): number {
    return this.#groups.size;
  }

  /** Applies one epoch's ops from every shard, in stream order. Returns samples refused. */
  apply(ops: GroupOp[]): number {
    let refused = 0;
    ops.sort((a, b) => a.order - b.order);
    for (const op of ops) {
      const key = op.group.join('\u0000');
      if (op.method === 'delete') {
        this.#groups.delete(key);
        continue;
      }
      // Only StatsD traffic that arrived first could hold this name; groups still apply.
      this.#ensurePushTime();

      let group = this.#groups.get(key);
      // PUT starts the group over; POST keeps the families this push does not name.
      if (group === undefined || op.method === 'put') {
        group = { labels: toLabels(op.group), pushTimeSeconds: 0, families: new Map() };
        this.#groups.set(key, group);
      }
      group.pushTimeSeconds = op.pushTimeSeconds;
      for (const family of op.families) {
        if (this.#ensureName(family)) group.families.set(family.name, family);
        else refused += family.samples.length;
      }
    }
    return refused;
  }

  #ensurePushTime(): boolean {
    if (this.#names.has(PUSH_TIME_METRIC)) return true;
    if (!this.#claims.claim(`push:${PUSH_TIME_METRIC}`, [PUSH_TIME_METRIC])) return false;
    const help = 'Last time a group was pushed to, in seconds since the Unix epoch.';
    this.#names.set(PUSH_TIME_METRIC, { type: 'gauge', help });
    this.#registrar.register({
      text: this.#pushTimeView(help),
      openmetrics: this.#pushTimeView(help),
    });
    return true;
  }

  /** True when `family.name` is (now) a pushed family of the same type. */
  #ensureName(family: PushedFamily): boolean {
    const known = this.#names.get(family.name);
    if (known !== undefined) return known.type === family.type;
    if (!this.#claims.claim(`push:${family.name}`, claimedNames(family))) return false;

    const registered = { type: family.type, help: family.help || `Pushed ${family.name}` };
    this.#names.set(family.name, registered);
    this.#registrar.register({
      text: this.#view(family.name, registered, 'text'),
      openmetrics: this.#view(family.name, registered, 'openmetrics'),
    });
    return true;
  }

  #view(name: string, registered: RegisteredName, format: ExpositionFormat): RegistryView {
    const isCounter = registered.type === 'counter';
    const isOpenMetrics = format === 'openmetrics';
    // OpenMetrics: prom-client adds `_total` to counter samples, and says `unknown`.
    const familyName = isOpenMetrics && isCounter ? counterBaseName(name) : name;
    const type = (
      registered.type === 'untyped' && isOpenMetrics ? 'unknown' : registered.type
    ) as RegistryView['type'];
    const collect = (): SampleValue[] => {
      const values: SampleValue[] = [];
      for (const group of this.#groups.values()) {
        const family = group.families.get(name);
        if (family === undefined) continue;
        for (const [sampleName, labels, value] of family.samples) {
          const metricName = isOpenMetrics && isCounter ? counterBaseName(sampleName) : sampleName;
          values.push({ metricName, value, labels: toLabels(labels) });
        }
      }
      return values;
    };
    return staticView(familyName, registered.help, type, collect);
  }

  #pushTimeView(help: string): RegistryView {
    return staticView(PUSH_TIME_METRIC, help, 'gauge', () =>
      [...this.#groups.values()].map((group) => ({
        value: group.pushTimeSeconds,
        labels: group.labels,
      })),
    );
  }
}

function staticView(
  name: string,
  help: string,
  type: RegistryView['type'],
  collect: () => SampleValue[],
): RegistryView {
  const snapshot = (): FamilySnapshot => ({
    name,
    help,
    type,
    aggregator: 'sum',
    values: collect(),
  });
  return { name, help, type, aggregator: 'sum', get: snapshot, reset() {} };
}

/** The names a pushed family renders, claimed so no other receiver shows them typed apart. */
function claimedNames(family: PushedFamily): string[] {
  switch (family.type) {
    case 'counter':
      return namesOfFamily(SeriesKind.Counter, family.name).names;
    case 'histogram':
      return namesOfFamily(SeriesKind.Histogram, family.name).names;
    case 'summary':
      return [family.name, `${family.name}_sum`, `${family.name}_count`, `${family.name}_created`];
    default:
      return [family.name];
  }
}

function toLabels(flat: readonly string[]): Labels {
  const labels: Labels = Object.create(null);
  for (let i = 0; i < flat.length; i += 2) labels[flat[i]] = flat[i + 1];
  return labels;
}
