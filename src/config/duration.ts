const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * A Go/Prometheus duration (`90s`, `1m30s`, `250ms`, `0`) in milliseconds; NaN when the
 * text is not one. statsd_exporter's `ttl` values are written this way.
 */
export function parseDuration(text: string): number {
  if (text === '0') return 0;
  const parts = /^(\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/.test(text)
    ? text.match(/\d+(?:\.\d+)?(?:ms|s|m|h|d)/g)
    : null;
  if (parts === null) return NaN;
  let total = 0;
  for (const part of parts) {
    const unit = /ms|s|m|h|d$/.exec(part)![0];
    total += Number(part.slice(0, part.length - unit.length)) * UNIT_MS[unit];
  }
  return total;
}
