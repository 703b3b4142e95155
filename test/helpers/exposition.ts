/**
 * Reads Prometheus text exposition back into values, for assertions. Deliberately
 * independent of the daemon's renderer: a bug there must not cancel out here.
 */
export interface ExpositionSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export function parseExposition(text: string): ExpositionSample[] {
  const samples: ExpositionSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (match === null) throw new Error(`unparseable exposition line: ${line}`);
    samples.push({
      name: match[1],
      labels: parseLabels(match[3] ?? ''),
      value: parseValue(match[4]),
    });
  }
  return samples;
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  const pattern = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/g;
  for (const match of text.matchAll(pattern)) {
    labels[match[1]] = match[2].replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return labels;
}

function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text.toLowerCase() === 'nan') return NaN;
  return Number(text);
}

/** The value of the one sample with this name and exactly these labels; undefined if none. */
export function valueOf(
  samples: readonly ExpositionSample[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const wanted = JSON.stringify(sortKeys(labels));
  const found = samples.filter(
    (s) => s.name === name && JSON.stringify(sortKeys(s.labels)) === wanted,
  );
  if (found.length > 1) throw new Error(`${found.length} samples for ${name} ${wanted}`);
  return found[0]?.value;
}

function sortKeys(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
}
