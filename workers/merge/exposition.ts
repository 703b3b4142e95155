import { gzipSync } from 'node:zlib';
import type client from 'prom-client';

export interface RenderedExposition {
  plain: Uint8Array;
  gzip: Uint8Array;
}

// Level 3 compresses exposition text to within a few percent of level 6 at about half the
// time, and a large exposition is rendered every flush.
const GZIP_LEVEL = 3;

/** Renders a registry once and compresses it once; every scrape is served these bytes. */
export async function renderExposition(registry: client.Registry): Promise<RenderedExposition> {
  const text = await registry.metrics();
  const plain = Buffer.from(text, 'utf8');
  const gzip = gzipSync(plain, { level: GZIP_LEVEL });
  // Own ArrayBuffers, so they can be transferred to the main thread without a copy.
  return { plain: new Uint8Array(plain), gzip: new Uint8Array(gzip) };
}
