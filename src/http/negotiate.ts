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
  if (!accept.includes('openmetrics')) return false;
  let openMetrics = 0;
  let text = 0;
  for (const { token, quality } of parsePreferences(accept)) {
    if (token === 'application/openmetrics-text') openMetrics = Math.max(openMetrics, quality);
    else if (token === 'text/plain') text = Math.max(text, quality);
  }
  return openMetrics > 0 && openMetrics >= text;
}

export function acceptsGzip(acceptEncoding: string): boolean {
  if (!acceptEncoding.includes('gzip') && !acceptEncoding.includes('*')) return false;
  for (const { token, quality } of parsePreferences(acceptEncoding)) {
    if ((token === 'gzip' || token === '*') && quality > 0) return true;
  }
  return false;
}
