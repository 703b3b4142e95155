/**
 * Content negotiation for /metrics, reduced to the two questions it needs answered.
 * Media ranges and codings are compared by their q value (RFC 9110 §12.4.2); absent q is 1.
 */

interface Preference {
  token: string;
  quality: number;
}

function parsePreferences(header: string): Preference[] {
  return header
    .split(',')
    .map((part) => {
      const [token, ...parameters] = part.split(';').map((piece) => piece.trim().toLowerCase());
      const q = parameters.find((parameter) => parameter.startsWith('q='));
      const quality = q === undefined ? 1 : Number(q.slice(2));
      return { token: token ?? '', quality: Number.isFinite(quality) ? quality : 0 };
    })
    .filter((preference) => preference.token !== '');
}

/** OpenMetrics when the client ranks it above (or equal to) the Prometheus text format. */
export function prefersOpenMetrics(accept: string): boolean {
  // Media types are case-insensitive; the pre-check must be too.
  if (!/openmetrics/i.test(accept)) return false;
  let openMetrics = 0;
  let text = 0;
  for (const { token, quality } of parsePreferences(accept)) {
    if (token === 'application/openmetrics-text') openMetrics = Math.max(openMetrics, quality);
    else if (token === 'text/plain') text = Math.max(text, quality);
  }
  return openMetrics > 0 && openMetrics >= text;
}

export function acceptsGzip(acceptEncoding: string): boolean {
  if (!/gzip|\*/i.test(acceptEncoding)) return false;
  // A gzip entry decides; `*` speaks only for codings the header does not name.
  let gzip = -1;
  let any = -1;
  for (const { token, quality } of parsePreferences(acceptEncoding)) {
    if (token === 'gzip') gzip = Math.max(gzip, quality);
    else if (token === '*') any = Math.max(any, quality);
  }
  return (gzip >= 0 ? gzip : any) > 0;
}
