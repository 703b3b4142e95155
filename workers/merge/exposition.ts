import { gzipSync } from 'node:zlib';
import type client from 'prom-client';
import type { ExpositionFormat } from '../../src/protocol.js';
import type { DataFamilies } from './data-families.js';

export interface RenderedExposition {
  plain: Uint8Array;
  gzip: Uint8Array;
}

// Level 3 compresses exposition text to within a few percent of level 6 at about half the
// time, and a large exposition is rendered every flush.
const GZIP_LEVEL = 3;

/** What prom-client's Registry ends a rendering with, and puts between two families. */
const ENDING: Record<ExpositionFormat, string> = { text: '\n', openmetrics: '\n# EOF\n' };
const BETWEEN_FAMILIES: Record<ExpositionFormat, string> = { text: '\n\n', openmetrics: '\n' };

/** The data part's bytes and their gzip member, for one format and data version. */
interface DataPart {
  version: number;
  hasSelfPart: boolean;
  plain: Buffer;
  gzip: Buffer;
}

/**
 * One exposition per format: the self-metrics from prom-client's registry first, then the
 * data families (data-families.ts), as one registry holding both would have written them,
 * with a single `# EOF` at the end of OpenMetrics.
 *
 * The data part is rendered and compressed only when its version moved. The gzip body is
 * two gzip members back to back (self-metrics, then data): RFC 1952 allows a file of
 * several members and gunzip, Go's gzip.Reader (Prometheus) and curl read it as one.
 *
 * LIMITATION: the last data part of each format is kept (plain and gzip), about the size of
 * the exposition; holding only the gzip member and inflating it on reuse would trade that
 * memory for time.
 */
export class ExpositionRenderer {
  readonly #data: DataFamilies;
  readonly #parts: Partial<Record<ExpositionFormat, DataPart>> = {};

  constructor(data: DataFamilies) {
    this.#data = data;
  }

  /** Renders once and compresses once; every scrape is served these bytes. */
  async render(registry: client.Registry, format: ExpositionFormat): Promise<RenderedExposition> {
    const selfText = await registry.metrics();
    // Never a family's text: a family always writes its HELP line.
    const selfBody = selfText.slice(0, selfText.length - ENDING[format].length);
    const data = this.#dataPart(format, selfBody.length > 0);

    const selfPlain = Buffer.from(selfBody, 'utf8');
    const selfGzip = selfPlain.length === 0 ? selfPlain : gzipOf(selfPlain);
    return { plain: joined(selfPlain, data.plain), gzip: joined(selfGzip, data.gzip) };
  }

  #dataPart(format: ExpositionFormat, hasSelfPart: boolean): DataPart {
    const version = this.#data.version;
    const known = this.#parts[format];
    if (known !== undefined && known.version === version && known.hasSelfPart === hasSelfPart) {
      return known;
    }
    const body = this.#data.render(format);
    const lead = hasSelfPart && body.length > 0 ? BETWEEN_FAMILIES[format] : '';
    const plain = Buffer.from(`${lead}${body}${ENDING[format]}`, 'utf8');
    const part = { version, hasSelfPart, plain, gzip: gzipOf(plain) };
    this.#parts[format] = part;
    return part;
  }
}

/** A fresh ArrayBuffer of its own, so it can be transferred to the main thread. */
function joined(first: Uint8Array, second: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(first.length + second.length);
  bytes.set(first, 0);
  bytes.set(second, first.length);
  return bytes;
}

function gzipOf(plain: Buffer): Buffer {
  return gzipSync(plain, { level: GZIP_LEVEL });
}
