import type { PushedFamily, PushedFamilyType } from '../../src/protocol.js';
import { isObjectPropertyName, sanitizeLabelValue } from './sanitize.js';

/**
 * Prometheus text exposition format 0.0.4, as Pushgateway clients push it, into families.
 *
 *   # HELP name text           # TYPE name counter|gauge|histogram|summary|untyped
 *   name{label="value",...} value [timestamp]
 *
 * Like the Pushgateway, a body with one bad line is refused whole: a push is a snapshot,
 * and half a snapshot would show wrong state. Timestamps are read and dropped: the merged
 * /metrics carries none. `extraLabels` (the grouping key) is set on every sample and wins
 * over a pushed label of the same name.
 */
export type PromTextResult = { families: PushedFamily[] } | { error: string };

const TYPES = new Set<PushedFamilyType>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const SUFFIXES: Record<string, readonly string[]> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['_sum', '_count'],
};

export function parsePromText(text: string, extraLabels: readonly string[]): PromTextResult {
  const families = new Map<string, PushedFamily>();
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index].trim();
    if (line === '') continue;
    const problem = line.startsWith('#')
      ? readComment(line, families)
      : readSample(line, families, extraLabels);
    if (problem !== null) return { error: `line ${index + 1}: ${problem}` };
  }
  // A family declared by # TYPE or # HELP alone, without samples, is not pushed state.
  const pushed = [...families.values()].filter((family) => family.samples.length > 0);
  return { families: pushed.map(setAsideObjectPropertyName) };
}

/** `constructor`, `__proto__`, ... become `exported_*`, samples too (see sanitize.ts). */
function setAsideObjectPropertyName(family: PushedFamily): PushedFamily {
  if (!isObjectPropertyName(family.name)) return family;
  return {
    ...family,
    name: `exported_${family.name}`,
    samples: family.samples.map(([name, labels, value]) => [`exported_${name}`, labels, value]),
  };
}

function familyOf(families: Map<string, PushedFamily>, name: string): PushedFamily {
  let family = families.get(name);
  if (family === undefined) {
    family = { name, type: 'untyped', help: '', samples: [] };
    families.set(name, family);
  }
  return family;
}

function readComment(line: string, families: Map<string, PushedFamily>): string | null {
  const match = /^#\s*(HELP|TYPE)\s+(\S+)\s*(.*)$/.exec(line);
  // Any other comment is just a comment.
  if (match === null) return null;
  const [, keyword, name, rest] = match;
  if (!METRIC_NAME.test(name)) return `invalid metric name ${JSON.stringify(name)}`;
  const family = familyOf(families, name);
  if (keyword === 'HELP') {
    family.help = rest.replace(/\\(n|\\)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
    return null;
  }
  if (!TYPES.has(rest as PushedFamilyType)) return `unknown type ${JSON.stringify(rest)}`;
  if (family.samples.length > 0) return `# TYPE for ${name} after its samples`;
  family.type = rest as PushedFamilyType;
  return null;
}

function readSample(
  line: string,
  families: Map<string, PushedFamily>,
  extraLabels: readonly string[],
): string | null {
  const nameEnd = line.search(/[{\s]/);
  const name = nameEnd < 0 ? line : line.slice(0, nameEnd);
  if (!METRIC_NAME.test(name)) return `invalid metric name ${JSON.stringify(name)}`;

  const labels = new Map<string, string>();
  let rest = nameEnd < 0 ? '' : line.slice(nameEnd);
  if (rest.startsWith('{')) {
    const end = readLabels(rest, labels);
    if (typeof end === 'string') return end;
    rest = rest.slice(end);
  }
  const fields = rest.trim().split(/\s+/);
  if (fields.length < 1 || fields.length > 2 || fields[0] === '') return 'expected a value';
  const value = parseValue(fields[0]);
  if (value === null) return `invalid value ${JSON.stringify(fields[0])}`;
  if (fields.length === 2 && !/^-?\d+$/.test(fields[1])) return 'invalid timestamp';

  for (let i = 0; i < extraLabels.length; i += 2) labels.set(extraLabels[i], extraLabels[i + 1]);
  const flat = [...labels].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).flat();
  familyOf(families, familyNameOf(name, families)).samples.push([name, flat, value]);
  return null;
}

/** The family a sample line belongs to: `x_bucket` belongs to histogram `x`, if declared. */
function familyNameOf(sampleName: string, families: Map<string, PushedFamily>): string {
  if (families.has(sampleName)) return sampleName;
  for (const [type, suffixes] of Object.entries(SUFFIXES)) {
    for (const suffix of suffixes) {
      if (!sampleName.endsWith(suffix)) continue;
      const base = sampleName.slice(0, -suffix.length);
      if (families.get(base)?.type === type) return base;
    }
  }
  return sampleName;
}

/** Reads `{a="1",b="2"}` at the start of `text`; returns the index after `}` or a problem. */
function readLabels(text: string, into: Map<string, string>): number | string {
  let at = 1;
  for (;;) {
    while (text[at] === ' ' || text[at] === ',') at++;
    if (text[at] === '}') return at + 1;
    const nameMatch = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(text.slice(at));
    if (nameMatch === null) return 'invalid label name';
    if (nameMatch[0].startsWith('__')) return `label name ${nameMatch[0]} is reserved`;
    at += nameMatch[0].length;
    while (text[at] === ' ') at++;
    if (text[at] !== '=' || text[at + 1] !== '"') return 'expected ="value" after a label name';
    at += 2;

    let value = '';
    for (; at < text.length && text[at] !== '"'; at++) {
      if (text[at] !== '\\') {
        value += text[at];
        continue;
      }
      at++;
      value += text[at] === 'n' ? '\n' : text[at];
    }
    if (at >= text.length) return 'unterminated label value';
    at++;
    if (into.has(nameMatch[0])) return `label ${nameMatch[0]} given twice`;
    // Names are valid by the pattern above, and kept as pushed: StatsD's renaming of `le`
    // and `quantile` would break the pushed histograms and summaries that need them.
    into.set(nameMatch[0], sanitizeLabelValue(value));
  }
}

/** Go's ParseFloat spellings the text format allows, and plain decimals. */
function parseValue(text: string): number | null {
  const lower = text.toLowerCase();
  if (lower === '+inf' || lower === 'inf') return Infinity;
  if (lower === '-inf') return -Infinity;
  if (lower === 'nan') return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return null;
  return Number(text);
}
