import { SeriesKind } from '../../src/protocol.js';

/**
 * Which family owns each name that can appear in the exposition. The first family to
 * claim a name keeps it; a later family needing any of the same names is refused, so
 * /metrics never shows one name with two types (counter `x` renders `x_total`, a
 * histogram `x` renders `x_bucket`, `x_sum` and `x_count`, and so on).
 */
export class NameClaims {
  readonly #ownerByName = new Map<string, string>();

  /**
   * Claims every name a family would render. True when the family owns them all (now or
   * from before); false, claiming nothing, when another family owns any of them.
   */
  claim(owner: string, names: readonly string[]): boolean {
    for (const name of names) {
      const current = this.#ownerByName.get(name);
      if (current !== undefined && current !== owner) return false;
    }
    for (const name of names) this.#ownerByName.set(name, owner);
    return true;
  }
}

/** A counter's name without any `_total`: `x` and `x_total` are one family. */
export function counterBaseName(name: string): string {
  return name.endsWith('_total') ? name.slice(0, -6) : name;
}

/** The family key (owner) and every exposition name a family of this kind would use. */
export function namesOfFamily(kind: SeriesKind, name: string): { owner: string; names: string[] } {
  switch (kind) {
    case SeriesKind.Counter: {
      const base = counterBaseName(name);
      return { owner: `counter:${base}`, names: [base, `${base}_total`, `${base}_created`] };
    }
    case SeriesKind.Histogram:
      return {
        owner: `histogram:${name}`,
        names: [name, `${name}_bucket`, `${name}_sum`, `${name}_count`, `${name}_created`],
      };
    case SeriesKind.Set:
      return { owner: `set:${name}`, names: [name] };
    default:
      return { owner: `gauge:${name}`, names: [name] };
  }
}

/** The names a self-metric of this type renders, claimed before any traffic arrives. */
export function namesOfSelfMetric(name: string, type: 'counter' | 'gauge' | 'histogram'): string[] {
  if (type === 'counter') return namesOfFamily(SeriesKind.Counter, name).names;
  if (type === 'histogram') return namesOfFamily(SeriesKind.Histogram, name).names;
  return [name];
}
