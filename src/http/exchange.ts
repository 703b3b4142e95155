/**
 * The one request/response shape routes see, whichever engine serves them (uWS's native
 * binding or node:http, see engine.ts). Routes never touch an engine's own objects.
 */
export type BodyResult =
  { kind: 'body'; bytes: Buffer } | { kind: 'too_large' } | { kind: 'aborted' };

/** How a response ended: written in full, the client went away, or cut by the write timeout. */
export type SendOutcome = 'sent' | 'left' | 'cut';

export interface HttpExchange {
  /** Upper case: GET, POST, ... */
  readonly method: string;
  /** Path without the query string, still percent-encoded. */
  readonly path: string;
  /** Query string without the leading '?'; '' when absent. */
  readonly query: string;
  /** A request header by lower-case name; '' when absent. */
  header(name: string): string;
  /**
   * Collects the request body, up to `limitBytes`. Must be called before the route first
   * awaits anything: uWS only delivers body chunks to a reader attached synchronously.
   */
  readBody(limitBytes: number): Promise<BodyResult>;
  /** Sends the whole response once; a second call, or one after the client left, is ignored. */
  respond(status: number, headers: Record<string, string>, body?: Uint8Array | string): void;
  /**
   * Resolves once the response has been handed to the kernel in full, or the client left,
   * or the write timeout cut it: until then a slow reader holds the body. Absent in test
   * doubles (sent at once).
   */
  whenSent?(): Promise<SendOutcome>;
  /**
   * Closes the connection once the response body has made no progress for `ms` (a reader
   * that stopped reading): whenSent then resolves 'cut'. Call before respond().
   */
  setWriteTimeout?(ms: number): void;
  readonly isAborted: boolean;
}

export type HttpHandler = (exchange: HttpExchange) => void;

export interface HttpServer {
  port: number;
  close(): Promise<void>;
}

export interface HttpEngine {
  /** What build_info and the start-up log call it, e.g. `uws-native:uWebSockets.js@20.30.0`. */
  readonly name: string;
  readonly isNative: boolean;
  listen(host: string, port: number, handler: HttpHandler): Promise<HttpServer>;
}

export const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  202: 'Accepted',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};
