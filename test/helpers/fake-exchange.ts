import type { HttpExchange } from '../../src/http/exchange.js';

export interface RecordedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** An HttpExchange with the given request; `responses` collects what the route sent. */
export function fakeExchange(request: {
  method?: string;
  path?: string;
  query?: string;
  headers?: Record<string, string>;
}): { exchange: HttpExchange; responses: RecordedResponse[] } {
  const responses: RecordedResponse[] = [];
  const headers = request.headers ?? {};
  const exchange: HttpExchange = {
    method: request.method ?? 'GET',
    path: request.path ?? '/',
    query: request.query ?? '',
    isAborted: false,
    header: (name) => headers[name] ?? '',
    readBody: () => Promise.resolve({ kind: 'aborted' }),
    respond: (status, responseHeaders, body) => {
      responses.push({
        status,
        headers: responseHeaders,
        body: Buffer.from(body ?? '').toString(),
      });
    },
  };
  return { exchange, responses };
}
