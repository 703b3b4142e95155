import {
  SeriesKind,
  type Aggregation,
  type GaugeSourceKey,
  type SeriesDefinition,
  type SummaryOptions,
} from '../../src/protocol.js';
import { buildLabels, type LabelPairs, type TagProblems } from '../parse/labels.js';
import { sanitizeLabelName, sanitizeLabelValue, sanitizeMetricName } from '../parse/sanitize.js';
import type { MapOutcome, Mapper } from './mapper.js';
import type { ParsedLine } from '../parse/statsd-line.js';

/**
 * Gives every series this shard sees a numeric id, and remembers how each raw spelling
 * (name, type, tag text as received) maps to it, so the hot path is one or two Map lookups
 * and sanitising, tag sorting and label building run once per spelling.
 *
 * id = slot * 4 + kind: the kind travels inside the id, and each kind's stores index their
 * arrays by slot, densely.
 */
export const SERVICE_CHECK_METRIC = 'service_check_status';

const RAW_TYPES = ['c', 'g', 'ms', 'h', 'd', 's', 'sc'] as const;
type RawType = (typeof RAW_TYPES)[number];
const KIND_OF_RAW_TYPE: Record<RawType, SeriesKind> = {
  c: SeriesKind.Counter,
  g: SeriesKind.Gauge,
  ms: SeriesKind.Histogram,
  h: SeriesKind.Histogram,
  d: SeriesKind.Histogram,
  s: SeriesKind.Set,
  sc: SeriesKind.Gauge,
};

/** The tagged spellings of one raw name: tag text as received → its series. */
type TaggedSpellings = Map<string, TaggedSpelling>;

interface TaggedSpelling {
  id: number;
  /** Tags building the labels dropped; counted again for every line of this spelling. */
  droppedTags: number;
}

/** The id of a spelling a mapping rule drops: its samples are counted and discarded. */
export const DROPPED_ID = -1;
/** The id of a new spelling past the table's bound: refused until the table starts afresh. */
export const OVER_CAPACITY_ID = -3;

export function kindOfId(id: number): SeriesKind {
  return (id & 3) as SeriesKind;
}

export function slotOfId(id: number): number {
  return id >>> 2;
}

export class SeriesTable {
  // Untagged lines, most of the traffic, map name → id with the id stored in the Map
  // itself: at 100k names every extra object read on this path is a cache miss.
  readonly #untaggedByRawType = RAW_TYPES.map(() => new Map<string, number>());
  readonly #taggedByRawType = RAW_TYPES.map(() => new Map<string, TaggedSpellings>());
  readonly #idByCanonicalKey = new Map<string, number>();
  readonly #nextSlot = [0, 0, 0, 0];
  #definitions: SeriesDefinition[] = [];
  // Every definition of this table, for a replacement merger that never saw them.
  readonly #everyDefinition: SeriesDefinition[] = [];
  readonly tagProblems: TagProblems = { dropped: 0 };
  #mapper: Mapper | null = null;
  #aggregations = new Map<
    string,
    { dropped: ReadonlySet<string>; rule: Aggregation['gaugeCombine'] }
  >();
  /** Histogram slot → index into bucketSets; 0 is the daemon's --buckets. */
  readonly #bucketSetOfSlot: number[] = [];
  /** Histogram slot → the summary options a mapping rule gave it, if any. */
  readonly #summaryOfSlot: Array<SummaryOptions | undefined> = [];
  /** Bound lists mapping rules chose, by their text; index 0 stands for the default. */
  readonly bucketSets: Array<number[] | null> = [null];
  readonly #bucketSetIndex = new Map<string, number>();
  #spellingCount = 0;

  readonly #maxSpellings: number;

  /** `maxSpellings`: new spellings past it are refused (OVER_CAPACITY_ID) rather than kept. */
  constructor(mapper: Mapper | null = null, maxSpellings = Infinity) {
    this.#maxSpellings = maxSpellings;
    this.useMapper(mapper);
  }

  /**
   * Rules for spellings first seen from now on. Spellings already known keep their outcome
   * until the table is started afresh, which the shard does at its next epoch boundary.
   */
  useMapper(mapper: Mapper | null): void {
    this.#mapper = mapper;
    this.#aggregations = new Map();
    for (const { metric, dropLabels, gaugeCombine } of mapper?.config.aggregations ?? []) {
      this.#aggregations.set(metric, { dropped: new Set(dropLabels), rule: gaugeCombine });
    }
  }

  get size(): number {
    return this.#idByCanonicalKey.size;
  }

  /** Raw spellings remembered; the shard starts a fresh table past its bound. */
  get spellingCount(): number {
    return this.#spellingCount;
  }

  /** Which bound list a histogram slot observes into (index into bucketSets). */
  bucketSetOf(slot: number): number {
    return this.#bucketSetOfSlot[slot] ?? 0;
  }

  /** The summary options of a histogram slot a mapping rule made a summary. */
  summaryOf(slot: number): SummaryOptions | undefined {
    return this.#summaryOfSlot[slot];
  }

  /** The id of the line's series, defining it (at stream position `order`) when new. */
  resolve(line: ParsedLine, order: number): number {
    const rawType: RawType = line.kind === 'service_check' ? 'sc' : line.type;
    const typeIndex = RAW_TYPES.indexOf(rawType);
    if (line.influxTags === '' && line.dogTags === '') {
      const byName = this.#untaggedByRawType[typeIndex];
      const known = byName.get(line.name);
      if (known !== undefined) return known;
      if (this.#spellingCount >= this.#maxSpellings) return OVER_CAPACITY_ID;
      const id = this.#define(line, rawType, order);
      byName.set(detachString(line.name), id);
      this.#spellingCount++;
      return id;
    }

    const byName = this.#taggedByRawType[typeIndex];
    let tagged = byName.get(line.name);
    if (tagged === undefined) {
      if (this.#spellingCount >= this.#maxSpellings) return OVER_CAPACITY_ID;
      tagged = new Map();
      byName.set(detachString(line.name), tagged);
    }

    // '|' joins the two tag texts: neither can hold one, while NUL may arrive in either.
    const tagText = line.influxTags === '' ? line.dogTags : `${line.influxTags}|${line.dogTags}`;
    const known = tagged.get(tagText);
    if (known !== undefined) {
      this.tagProblems.dropped += known.droppedTags;
      return known.id;
    }

    if (this.#spellingCount >= this.#maxSpellings) return OVER_CAPACITY_ID;
    const droppedBefore = this.tagProblems.dropped;
    const id = this.#define(line, rawType, order);
    const droppedTags = this.tagProblems.dropped - droppedBefore;
    tagged.set(detachString(tagText), { id, droppedTags });
    this.#spellingCount++;
    return id;
  }

  /**
   * The id of a pushed sample's series (JSON push API), defining it when new. Pushed
   * samples share the canonical keys of StatsD lines, so `jobs_done` pushed as a counter
   * and `jobs_done:1|c` are one series. Not cached by spelling: pushes are far rarer
   * than datagram lines and carry their labels already split.
   */
  resolvePushed(kind: SeriesKind, rawName: string, rawLabels: LabelPairs, order: number): number {
    const name = sanitizeMetricName(rawName);
    const byName = new Map<string, string>();
    for (const [label, value] of rawLabels) {
      byName.set(sanitizeLabelName(label), sanitizeLabelValue(value));
    }
    const labels = [...byName].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).flat();
    return this.#defineKey(kind, name, labels, order);
  }

  /** The next takeDefinitions returns every definition of this table (a new merger). */
  redefineAll(): void {
    this.#definitions = [...this.#everyDefinition];
  }

  /** Definitions made since the last call, for the next delta. */
  takeDefinitions(): SeriesDefinition[] {
    const taken = this.#definitions;
    this.#definitions = [];
    return taken;
  }

  #define(line: ParsedLine, rawType: RawType, order: number): number {
    const kind = KIND_OF_RAW_TYPE[rawType];
    const isServiceCheck = rawType === 'sc';
    const mapped = isServiceCheck ? null : (this.#mapper?.map(line.name, rawType) ?? null);
    if (mapped?.isDrop) return DROPPED_ID;
    let name = isServiceCheck
      ? SERVICE_CHECK_METRIC
      : sanitizeMetricName(mapped?.name ?? line.name);
    if (name === '') name = sanitizeMetricName(line.name);

    // Mapping labels win over tags of the same name, as in statsd_exporter.
    const pairs = buildLabels(line.influxTags, line.dogTags, this.tagProblems);
    if (isServiceCheck) setLabel(pairs, 'check', sanitizeLabelValue(detachString(line.name)));
    for (const [key, value] of mapped?.labels ?? [])
      setLabel(pairs, key, sanitizeLabelValue(value));
    const aggregation = this.#aggregations.get(name);
    if (aggregation === undefined) return this.#defineKey(kind, name, pairs.flat(), order, mapped);
    const kept = pairs.filter(([key]) => !aggregation.dropped.has(key)).flat();

    // A gauge combined by sum, avg, min or max keeps one id per source series (its dropped
    // labels), so the merger can hold each source's current value; `last` needs no sources.
    let source: GaugeSourceKey | null = null;
    if (kind === SeriesKind.Gauge && !isServiceCheck && aggregation.rule !== 'last') {
      const dropped = pairs.filter(([key]) => aggregation.dropped.has(key)).flat();
      source = { rule: aggregation.rule, dropped };
    }
    return this.#defineKey(kind, name, kept, order, mapped, source);
  }

  #defineKey(
    kind: SeriesKind,
    name: string,
    labels: string[],
    order: number,
    mapped: MapOutcome | null = null,
    source: GaugeSourceKey | null = null,
  ): number {
    let canonicalKey = `${kind}\u0000${name}\u0000${labels.join('\u0000')}`;
    if (source !== null) canonicalKey += `\u0001${source.dropped.join('\u0000')}`;
    const existing = this.#idByCanonicalKey.get(canonicalKey);
    if (existing !== undefined) return existing;

    const slot = this.#nextSlot[kind]++;
    const id = slot * 4 + kind;
    this.#idByCanonicalKey.set(canonicalKey, id);
    const definition: SeriesDefinition = { id, kind, name, labels, firstOrder: order };
    if (mapped !== null && mapped.ttlMs > 0) definition.ttlMs = mapped.ttlMs;
    if (source !== null) definition.gaugeSource = source;
    if (kind === SeriesKind.Histogram && mapped?.summary) {
      this.#summaryOfSlot[slot] = mapped.summary;
      definition.summary = mapped.summary;
    } else if (kind === SeriesKind.Histogram && mapped?.buckets) {
      this.#bucketSetOfSlot[slot] = this.#bucketSetFor(mapped.buckets);
      definition.buckets = mapped.buckets;
    }
    this.#definitions.push(definition);
    this.#everyDefinition.push(definition);
    return id;
  }

  #bucketSetFor(bounds: number[]): number {
    const key = bounds.join(',');
    let index = this.#bucketSetIndex.get(key);
    if (index === undefined) {
      index = this.bucketSets.push(bounds) - 1;
      this.#bucketSetIndex.set(key, index);
    }
    return index;
  }
}

function setLabel(pairs: Array<[string, string]>, name: string, value: string): void {
  const at = pairs.findIndex(([existing]) => existing >= name);
  if (at >= 0 && pairs[at][0] === name) pairs[at][1] = value;
  else if (at >= 0) pairs.splice(at, 0, [name, value]);
  else pairs.push([name, value]);
}

/**
 * A copy of `text` that does not pin the string it was sliced from. V8 keeps a long slice
 * as a view on its parent, so a key kept from one line would hold the whole datagram.
 */
function detachString(text: string): string {
  return text.length < 13 ? text : Buffer.from(text, 'utf8').toString('utf8');
}
