/**
 * The Pushgateway's grouping key in a URL path: `/metrics/job/<job>{/<label>/<value>}`.
 * A label name ending in `@base64` carries its value base64url-encoded (padding optional,
 * the standard alphabet accepted too), for values holding a `/` or empty ones (`=`).
 * Reading the URL is routing, not parsing a body, so it happens on the main thread.
 */
export type GroupingKey = { labels: string[] } | { error: string };

const PREFIX = '/metrics/';
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const BASE64_SUFFIX = '@base64';

/** Labels flattened [name0, value0, ...], names sorted; or why the path is not a key. */
export function parseGroupingKey(path: string): GroupingKey {
  const parts = path.slice(PREFIX.length).split('/');
  if (parts.length % 2 !== 0) return { error: 'grouping key needs a value for every label' };

  const byName = new Map<string, string>();
  for (let i = 0; i < parts.length; i += 2) {
    let name = parts[i];
    let value: string;
    try {
      value = decodeURIComponent(parts[i + 1]);
    } catch {
      return { error: `grouping key value for ${name} is not valid percent-encoding` };
    }
    if (name.endsWith(BASE64_SUFFIX)) {
      name = name.slice(0, -BASE64_SUFFIX.length);
      const decoded = decodeBase64(value);
      if (decoded === null) return { error: `grouping key value for ${name} is not base64` };
      value = decoded;
    }
    if (!LABEL_NAME.test(name)) return { error: `invalid label name ${JSON.stringify(name)}` };
    if (byName.has(name)) return { error: `label ${name} given twice in the grouping key` };
    byName.set(name, value);
  }

  if (parts[0] !== 'job' && parts[0] !== `job${BASE64_SUFFIX}`) {
    return { error: 'grouping key must start with job' };
  }
  if (byName.get('job') === '') return { error: 'job name must not be empty' };
  return { labels: [...byName].sort((a, b) => (a[0] < b[0] ? -1 : 1)).flat() };
}

function decodeBase64(text: string): string | null {
  const url = text.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  if (!/^[A-Za-z0-9_-]*$/.test(url)) return null;
  return Buffer.from(url, 'base64url').toString('utf8');
}
