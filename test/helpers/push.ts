import http from 'node:http';
/** HTTP pushes to a running daemon, answered with status and parsed JSON (or text) body. */
export interface PushResponse {
  status: number;
  body: unknown;
}

export async function push(
  baseUrl: string,
  path: string,
  body: string | Uint8Array,
  headers: Record<string, string> = {},
  method = 'POST',
): Promise<PushResponse> {
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  const isJson = (response.headers.get('content-type') ?? '').startsWith('application/json');
  return { status: response.status, body: isJson ? JSON.parse(text) : text };
}

export interface RawPush {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  /** No Content-Length: the body goes in 64 KiB chunks, Transfer-Encoding: chunked. */
  isChunked?: boolean;
}

/**
 * One request over node:http, so the test decides how the body is framed. Resolves with the
 * status and text once answered; a daemon that closes the connection after answering (a
 * body it refused unread) does not turn the answer into an error.
 */
export function pushRaw(port: number, request: RawPush): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers = request.isChunked
      ? request.headers
      : { ...request.headers, 'content-length': String(request.body.length) };
    const outgoing = http.request(
      { host: '127.0.0.1', port, method: request.method, path: request.path, headers },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, text }));
        response.on('error', () => resolve({ status: response.statusCode!, text }));
      },
    );
    outgoing.setTimeout(30_000, () => outgoing.destroy(new Error(`no answer to ${request.path}`)));
    outgoing.on('error', reject);
    if (!request.isChunked) {
      outgoing.end(request.body);
      return;
    }
    const CHUNK_BYTES = 64 * 1024;
    for (let at = 0; at < request.body.length; at += CHUNK_BYTES) {
      outgoing.write(request.body.subarray(at, at + CHUNK_BYTES));
    }
    outgoing.end();
  });
}
